// One member as this node sees it: identity, attributes, SWIM claim, and local observations
// (times on *this* node's monotonic clock). Held by MemberTable; read by the derived table.
#pragma once

#include <cstdint>
#include <string>

#include "membership/Address.h"
#include "membership/Incarnation.h"
#include "membership/MemberState.h"
#include "membership/Precedence.h"
#include "membership/NodeId.h"
#include "membership/Time.h"

namespace rollcall::membership {

// How long a suspicion marks a member as degraded (flapping, lossy) in the table.
inline constexpr Duration kSuspicionMemory = std::chrono::minutes(10);

struct Member {
  NodeId id;
  std::string name;
  Address address;
  Incarnation incarnation;
  MemberState state = MemberState::alive;
  Instant state_since{};       // when this node saw the member enter `state`
  Instant last_heard{};        // last direct evidence of life (an ack or a message from it)
  Duration rtt{};              // last measured probe round trip; 0 = unknown
  std::uint32_t recent_suspicions = 0;  // suspicions raised about it lately (decays); > 0 = degraded
  Instant last_suspected{};             // when the latest of those suspicions started

  Claim claim() const { return {incarnation, state}; }
};

}  // namespace rollcall::membership
