// Timers the engine asks its driver to arm. A timer is a value that names what it refers to
// (a probe sequence number, a member and incarnation, ...). When it fires the driver hands it
// back through Engine::on_timer; the engine checks it against current state, so a stale timer is
// a no-op and nothing ever needs cancelling.
#pragma once

#include <cstdint>
#include <variant>

#include "membership/Incarnation.h"
#include "membership/NodeId.h"

namespace rollcall::gossip {

namespace timer {
struct ProbeTick { std::uint64_t round = 0; };                       // start the next probe period
struct ProbeTimeout { std::uint32_t seq = 0; };                      // direct ack missing: go indirect
struct ProbeDeadline { std::uint32_t seq = 0; };                     // probe period over: judge the target
struct RelayNack { std::uint32_t relay_seq = 0; };                   // relay: send nack (80% of timeout)
struct RelayExpire { std::uint32_t relay_seq = 0; };                 // relay: forget the request
struct Suspicion { membership::NodeId member; membership::Incarnation incarnation; };
struct GossipTick {};                                                // piggyback-only gossip round
struct PushPullTick {};                                              // periodic anti-entropy
struct ReconnectTick {};                                             // retry seeds and dead members
struct ReapTick {};                                                  // forget old dead members
struct LeaveDone {};                                                 // graceful leave spread: stop
}  // namespace timer

using Timer = std::variant<timer::ProbeTick, timer::ProbeTimeout, timer::ProbeDeadline, timer::RelayNack,
                           timer::RelayExpire, timer::Suspicion, timer::GossipTick, timer::PushPullTick,
                           timer::ReconnectTick, timer::ReapTick, timer::LeaveDone>;

}  // namespace rollcall::gossip
