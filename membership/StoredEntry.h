// One owner's state entry as held by THIS node, with the instant (on this node's monotonic clock)
// at which this node accepted that version. Held by StateStore; read by the table derivation
// (heartbeat and verification ages are measured from `received_at`, never from a remote clock).
#pragma once

#include "membership/StateEntry.h"
#include "membership/Time.h"

namespace rollcall::membership {

struct StoredEntry {
  StateEntry entry;
  Instant received_at{};  // when this node accepted `entry.version`
};

}  // namespace rollcall::membership
