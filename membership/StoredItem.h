// A cluster item as held by THIS node, with the instant (this node's monotonic clock) at which it
// was accepted; the removal collection grace is measured from it. Held by ClusterItems.
#pragma once

#include "membership/ClusterItem.h"
#include "membership/Time.h"

namespace rollcall::membership {

struct StoredItem {
  ClusterItem item;
  Instant received_at{};
};

}  // namespace rollcall::membership
