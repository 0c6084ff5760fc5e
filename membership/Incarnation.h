// A member's incarnation: (generation, counter). The generation is persisted and bumped at every
// start of the node, so a restarted node always outranks its old self; the counter is bumped by
// the node to refute suspicion. Ordered lexicographically. Pure value type.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

namespace rollcall::membership {

struct Incarnation {
  std::uint64_t generation = 0;
  std::uint64_t counter = 0;

  friend constexpr auto operator<=>(const Incarnation&, const Incarnation&) = default;

  Incarnation next() const { return {generation, counter + 1}; }
  std::string to_string() const { return std::to_string(generation) + "." + std::to_string(counter); }
};

}  // namespace rollcall::membership
