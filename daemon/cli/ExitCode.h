// The exit codes of every `rollcall` client subcommand, a contract scripts rely on (docs/cli.md).
// Returned by the functions in Commands.h; daemon/main.cpp returns them from main().
#pragma once

namespace rollcall::daemon::cli {

struct ExitCode {
  static constexpr int ok = 0;           // done
  static constexpr int failed = 1;       // the agent refused or failed the request (4xx/5xx), or
                                         // answered something unexpected; message on stderr
  static constexpr int usage = 2;        // bad arguments (unknown key, bad value, bad address...)
  static constexpr int unreachable = 3;  // no answer from the agent (refused, timeout, TLS error)
};

}  // namespace rollcall::daemon::cli
