// One entry of the world's deadline heap: what happens to which node at which virtual time.
// Compact (40 bytes, static_assert below): payloads (datagram bytes, timers, stream frames, scheduled actions) live in
// pools owned by sim::World and are named by index. Used only by World and EventQueue.
#pragma once

#include <cstdint>

#include "membership/Time.h"

namespace rollcall::sim {

struct SimEvent {
  enum class Kind : std::uint8_t { timer, datagram, stream_request, stream_reply, stream_failed, action };

  membership::Instant at;
  std::uint64_t seq = 0;      // insertion order: ties at one instant fire first-in first-out
  std::uint32_t node = 0;     // target node
  std::uint32_t epoch = 0;    // target's epoch when scheduled (timers, stream answers)
  std::uint32_t payload = 0;  // pool index (meaning depends on kind)
  std::uint32_t src = 0;      // datagram: sending node
  Kind kind = Kind::timer;
  // Timers: kPooled (the timer is in the pool at `payload`), or the index of a timer packed into
  // payload (low 32 bits) and src (high 32 bits); see sim/InlineTimer.h.
  std::uint8_t timer = kPooled;
  static constexpr std::uint8_t kPooled = 0xff;

  bool before(const SimEvent& o) const { return at != o.at ? at < o.at : seq < o.seq; }
};
static_assert(sizeof(SimEvent) == 40, "SimEvent grew: the event queue's nodes would no longer fit 48 bytes");

}  // namespace rollcall::sim
