// How client output is rendered: with ANSI colours or plain. Decided once per command from the
// Target (colour only on a terminal, NO_COLOR unset, TERM not "dumb"); used by the formatters.
#pragma once

namespace rollcall::daemon::cli {

struct Style {
  bool color = false;
};

}  // namespace rollcall::daemon::cli
