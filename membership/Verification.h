// Result of the owner's last verification probe of a component (state key "verify/<kind>").
// `checked_age_ms` is the age of the check when the owner published it; observers add the time
// since they received the entry on their own monotonic clock (wall clocks are never compared).
#pragma once

#include <cstdint>
#include <string>

namespace rollcall::membership {

struct Verification {
  enum class Result : std::uint8_t { unknown = 0, ok = 1, failed = 2 };
  Result result = Result::unknown;
  std::string detail;  // e.g. "HTTP 200 in 3 ms", "connect 127.0.0.1:33237: refused"
  std::int64_t checked_age_ms = 0;

  friend bool operator==(const Verification&, const Verification&) = default;
};

}  // namespace rollcall::membership
