// The progress line rollcall-sim prints on stderr during long runs: virtual time reached, events
// per wall second, ETA. Rewrites one line on a terminal, else prints a line every ~10 s. Reads
// the wall clock (the simulator's only use of it; nothing of it reaches results.json).
#pragma once

#include <chrono>
#include <cstdint>

#include "membership/Time.h"

namespace rollcall::sim {

class ProgressLine {
 public:
  ProgressLine();
  // `events` and `messages`: totals so far.
  void update(membership::Instant now, membership::Instant end, std::uint64_t events, std::uint64_t messages);
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_, last_print_;
  std::uint64_t last_events_ = 0;
  Clock::time_point last_sample_;
  bool tty_ = false;
  bool printed_ = false;
};

}  // namespace rollcall::sim
