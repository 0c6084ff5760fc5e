// A component's heartbeat counter (state key "heartbeat/<kind>"), bumped by its owner whenever the
// product reports in. Observers judge staleness by when *they* last saw the counter advance.
#pragma once

#include <cstdint>

namespace rollcall::membership {

struct Heartbeat {
  std::uint64_t counter = 0;

  friend bool operator==(const Heartbeat&, const Heartbeat&) = default;
};

}  // namespace rollcall::membership
