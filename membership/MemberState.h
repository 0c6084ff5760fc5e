// SWIM liveness of a member as seen by this node. The numeric order is part of the precedence
// rule (see Precedence.h) and of the wire format: append only, never renumber.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace rollcall::membership {

enum class MemberState : std::uint8_t { alive = 0, suspect = 1, dead = 2, left = 3 };

constexpr std::string_view to_string(MemberState s) {
  switch (s) {
    case MemberState::alive: return "alive";
    case MemberState::suspect: return "suspect";
    case MemberState::dead: return "dead";
    case MemberState::left: return "left";
  }
  return "unknown";
}

constexpr std::optional<MemberState> member_state_from(std::uint64_t v) {
  if (v > 3) return std::nullopt;
  return static_cast<MemberState>(v);
}

constexpr bool is_live(MemberState s) { return s == MemberState::alive || s == MemberState::suspect; }

}  // namespace rollcall::membership
