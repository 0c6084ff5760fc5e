// Everything the derived table is computed from: this node's id, the cluster name, the member
// list (self included), the replicated state, the cluster items, and "now" on this node's own
// monotonic clock. Built by the agent (or a test) just before calling derive_table.
#pragma once

#include <span>
#include <string>

#include "membership/ClusterItems.h"
#include "membership/Member.h"
#include "membership/NodeId.h"
#include "membership/StateStore.h"
#include "membership/Time.h"

namespace rollcall::membership {

struct TableInput {
  NodeId self;
  std::string cluster_name;
  std::span<const Member> members;  // includes self
  const StateStore& store;
  const ClusterItems& items;
  Instant now{};
};

}  // namespace rollcall::membership
