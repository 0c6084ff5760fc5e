#include "sim/ProgressLine.h"

#include <cstdio>
#include <unistd.h>

namespace rollcall::sim {

ProgressLine::ProgressLine() : start_(Clock::now()), last_print_(start_), last_sample_(start_), tty_(isatty(2) != 0) {}

void ProgressLine::update(membership::Instant now, membership::Instant end, std::uint64_t events, std::uint64_t messages) {
  const auto t = Clock::now();
  const double since_print = std::chrono::duration<double>(t - last_print_).count();
  if (since_print < (tty_ ? 0.5 : 10.0)) return;
  const double wall = std::chrono::duration<double>(t - start_).count();
  const double dt = std::chrono::duration<double>(t - last_sample_).count();
  const double rate = dt > 0 ? static_cast<double>(events - last_events_) / dt : 0;
  const double virt = membership::to_seconds(now.time_since_epoch());
  const double total = membership::to_seconds(end.time_since_epoch());
  const double eta = virt > 0 ? wall * (total - virt) / virt : 0;
  std::fprintf(stderr, "%s[rollcall-sim] t=%.1f/%.0f s virtual  %.0f events/s  %.2fM msgs  wall %.0f s  ETA %.0f s%s",
               tty_ ? "\r" : "", virt, total, rate, static_cast<double>(messages) / 1e6, wall, eta, tty_ ? "   " : "\n");
  std::fflush(stderr);
  printed_ = true;
  last_print_ = t;
  last_sample_ = t;
  last_events_ = events;
}

void ProgressLine::finish() {
  if (printed_ && tty_) std::fprintf(stderr, "\n");
}

}  // namespace rollcall::sim
