// The convergence digest: a stable 64-bit FNV-1a hash of the replicated content every agent
// shares — members (id, incarnation, state with suspect counted as alive), every owner's state
// entries except volatile ones (heartbeat/*, verify/*), and the cluster items — and none of the
// local observations (ages, received_at). Called by derive_table; pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "membership/ClusterItems.h"
#include "membership/Member.h"
#include "membership/StateStore.h"

namespace rollcall::membership {

class ContentDigest {
 public:
  // Independent of the order of `members` and of insertion orders.
  static std::uint64_t compute(std::span<const Member> members, const StateStore& store, const ClusterItems& items);
  // 16 lowercase hex digits of compute().
  static std::string hex(std::span<const Member> members, const StateStore& store, const ClusterItems& items);
};

}  // namespace rollcall::membership
