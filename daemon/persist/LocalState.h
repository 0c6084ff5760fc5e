// The node's own replicated state as persisted in local_state.json: its version counter and its
// own entries, so versions only grow across restarts. Saved and loaded by the agent via DataDir.
#pragma once

#include <cstdint>
#include <vector>

#include "membership/StateEntry.h"

namespace rollcall::daemon::persist {

struct LocalState {
  std::uint64_t counter = 0;  // highest version handed out; >= every entry's version
  std::vector<membership::StateEntry> entries;
};

}  // namespace rollcall::daemon::persist
