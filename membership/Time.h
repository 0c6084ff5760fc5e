// Monotonic time as the pure layers see it: a point on the *observer's own* monotonic clock.
// The pure layers never read a clock; drivers (daemon: steady_clock, sim: virtual clock) pass
// `Instant` values in. Wall-clock time never appears here.
#pragma once

#include <chrono>
#include <cstdint>

namespace rollcall::membership {

// Tag clock: has no now(). Its epoch is whatever the driver chose (daemon: process start).
struct MonoClock {
  using rep = std::int64_t;
  using period = std::micro;
  using duration = std::chrono::duration<rep, period>;
  using time_point = std::chrono::time_point<MonoClock>;
  static constexpr bool is_steady = true;
};

using Duration = MonoClock::duration;
using Instant = MonoClock::time_point;

using std::chrono_literals::operator""ms;
using std::chrono_literals::operator""s;

// Microseconds since the driver's epoch, for logs, wire timestamps (same node only) and tests.
constexpr std::int64_t to_us(Instant t) { return t.time_since_epoch().count(); }
constexpr Instant from_us(std::int64_t us) { return Instant{Duration{us}}; }
constexpr double to_seconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

}  // namespace rollcall::membership
