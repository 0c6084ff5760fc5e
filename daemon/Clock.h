// The agent's monotonic clock: steady_clock measured from agent start, as membership::Instant.
// The only place (with the simulator's virtual clock) where the engine's notion of "now" is made.
#pragma once

#include <chrono>

#include "membership/Time.h"

namespace rollcall::daemon {

class Clock {
 public:
  Clock() : epoch_(std::chrono::steady_clock::now()) {}
  membership::Instant now() const {
    return membership::Instant{std::chrono::duration_cast<membership::Duration>(std::chrono::steady_clock::now() - epoch_)};
  }
  std::chrono::steady_clock::time_point to_steady(membership::Instant t) const {
    return epoch_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(t.time_since_epoch());
  }

 private:
  std::chrono::steady_clock::time_point epoch_;
};

}  // namespace rollcall::daemon
