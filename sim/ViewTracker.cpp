#include "sim/ViewTracker.h"

namespace rollcall::sim {

ViewTracker::ViewTracker(std::size_t n)
    : n_(n), cells_(n * n, none), counting_(n, 0), seen_(n, Counts{}), rows_(n, Counts{}) {}

void ViewTracker::observer_up(std::size_t o) {
  observer_down(o);
  std::uint8_t* row = &cells_[o * n_];
  for (std::size_t v = 0; v < n_; ++v) row[v] = none;
  rows_[o] = Counts{};
  counting_[o] = 1;
  ++live_;
  set(o, o, alive);
}

void ViewTracker::observer_down(std::size_t o) {
  if (!counting_[o]) return;
  const std::uint8_t* row = &cells_[o * n_];
  for (std::size_t v = 0; v < n_; ++v) {
    if (row[v] == none) continue;
    --seen_[v][row[v]];
    --totals_[row[v]];
  }
  counting_[o] = 0;
  --live_;
}

void ViewTracker::set(std::size_t o, std::size_t subject, State s) {
  std::uint8_t& cell = cells_[o * n_ + subject];
  const auto old = static_cast<State>(cell);
  if (old == s) return;
  cell = s;
  if (old != none) --rows_[o][old];
  if (s != none) ++rows_[o][s];
  if (!counting_[o]) return;
  if (old != none) {
    --seen_[subject][old];
    --totals_[old];
  }
  if (s != none) {
    ++seen_[subject][s];
    ++totals_[s];
  }
}

}  // namespace rollcall::sim
