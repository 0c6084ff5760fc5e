// Who this node is, from its data directory: the stable random id (created once) and the
// generation of this run (persisted and bumped at every open, strictly increasing). Returned by
// DataDir::open; the agent puts both into the engine's incarnation.
#pragma once

#include <cstdint>

#include "membership/NodeId.h"

namespace rollcall::daemon::persist {

struct Identity {
  membership::NodeId id;
  std::uint64_t generation = 0;
};

}  // namespace rollcall::daemon::persist
