// Timers that travel inside a SimEvent. Half of the simulator's events are timers, and all but
// one kind (Suspicion: a member id and an incarnation) are 8 bytes or less of trivially copyable
// data. Those ride in the event itself (the variant index plus 64 bits) instead of a pool slot, so
// arming and firing one touches no memory beyond the event: no pool write, read and free.
// Used only by sim::World; tests/sim/InlineTimerTest.cpp round-trips every alternative.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "gossip/Timer.h"
#include "sim/SimEvent.h"

namespace rollcall::sim {

struct PackedTimer {
  std::uint8_t index = 0;  // the alternative's index in gossip::Timer
  std::uint64_t bits = 0;  // its bytes
};

namespace detail {
template <class T>
inline constexpr bool kInlineable = std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t);

template <std::size_t I>
gossip::Timer unpack_alternative(std::uint64_t bits) {
  using T = std::variant_alternative_t<I, gossip::Timer>;
  if constexpr (kInlineable<T>) {
    T value;
    std::memcpy(static_cast<void*>(&value), &bits, sizeof(T));  // T has initializers: not trivial, but trivially copyable
    return gossip::Timer{std::in_place_index<I>, value};
  } else {
    return gossip::Timer{std::in_place_index<I>};  // never packed; unreachable through unpack()
  }
}

template <std::size_t... I>
constexpr auto make_unpackers(std::index_sequence<I...>) {
  return std::array<gossip::Timer (*)(std::uint64_t), sizeof...(I)>{&unpack_alternative<I>...};
}
}  // namespace detail

// The timer packed, or nullopt if it does not fit (it then goes to the pool).
inline std::optional<PackedTimer> pack(const gossip::Timer& t) {
  return std::visit(
      [&](const auto& value) -> std::optional<PackedTimer> {
        using T = std::decay_t<decltype(value)>;
        if constexpr (detail::kInlineable<T>) {
          PackedTimer p{static_cast<std::uint8_t>(t.index()), 0};
          std::memcpy(&p.bits, &value, sizeof(T));
          return p;
        } else {
          return std::nullopt;
        }
      },
      t);
}

// Precondition: p came from pack().
inline gossip::Timer unpack(const PackedTimer& p) {
  static constexpr auto kUnpackers =
      detail::make_unpackers(std::make_index_sequence<std::variant_size_v<gossip::Timer>>{});
  return kUnpackers[p.index](p.bits);
}

// A packed timer's place in the event: the index in SimEvent::timer, the bits in payload (low 32)
// and src (high 32), which a timer event does not otherwise use.
inline void store(SimEvent& e, const PackedTimer& p) {
  e.timer = p.index;
  e.payload = static_cast<std::uint32_t>(p.bits);
  e.src = static_cast<std::uint32_t>(p.bits >> 32);
}
inline PackedTimer packed_timer(const SimEvent& e) { return {e.timer, (std::uint64_t{e.src} << 32) | e.payload}; }

}  // namespace rollcall::sim
