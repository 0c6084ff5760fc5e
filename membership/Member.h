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

// Field order is for the cache: the first 64-byte line holds what every probe and ack touches
// (id, address, state, last_heard, rtt), the second what gossip and the table page read. A
// simulator runs hundreds of engines whose tables together exceed the CPU cache, so a probe that
// touches one line instead of three is measurably faster; sizeof stays 128 (two lines).
struct alignas(64) Member {
  NodeId id;
  Address address;
  MemberState state = MemberState::alive;
  Instant last_heard{};        // last direct evidence of life (an ack or a message from it)
  Duration rtt{};              // last measured probe round trip; 0 = unknown
  std::uint32_t recent_suspicions = 0;  // suspicions raised about it lately (decays); > 0 = degraded
  // -- second cache line
  Incarnation incarnation;
  std::string name;
  Instant state_since{};       // when this node saw the member enter `state`
  Instant last_suspected{};             // when the latest of those suspicions started

  Claim claim() const { return {incarnation, state}; }
};
static_assert(sizeof(Member) == 128, "Member is two cache lines; see the field order note");

}  // namespace rollcall::membership
