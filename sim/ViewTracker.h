// Every live node's view of every node (none/alive/suspect/dead/left), kept incrementally from
// the engines' membership events, with counts per observer, per subject and in total over the
// live observers. Lets Recorder and Runner answer "does every live node see X" in O(1)..O(N)
// instead of walking N member tables. N x N bytes. Used only by Recorder and Runner.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rollcall::sim {

class ViewTracker {
 public:
  enum State : std::uint8_t { none = 0, alive, suspect, dead, left, kStates };
  using Counts = std::array<std::uint32_t, kStates>;

  explicit ViewTracker(std::size_t n);

  // Observer o (re)started with an empty view of others (it sees itself alive); it counts.
  void observer_up(std::size_t o);
  // Observer o crashed or stopped: its view no longer counts.
  void observer_down(std::size_t o);
  void set(std::size_t o, std::size_t subject, State s);

  State get(std::size_t o, std::size_t subject) const { return static_cast<State>(cells_[o * n_ + subject]); }
  bool counting(std::size_t o) const { return counting_[o] != 0; }
  std::size_t live_observers() const { return live_; }
  // Among counting observers: how many see `subject` in each state.
  const Counts& seen(std::size_t subject) const { return seen_[subject]; }
  // Observer o's view: how many nodes it sees in each state.
  const Counts& row(std::size_t o) const { return rows_[o]; }
  // Sum over counting observers.
  const std::array<std::uint64_t, kStates>& totals() const { return totals_; }
  std::size_t size() const { return n_; }

 private:
  std::size_t n_;
  std::vector<std::uint8_t> cells_;
  std::vector<std::uint8_t> counting_;
  std::vector<Counts> seen_, rows_;
  std::array<std::uint64_t, kStates> totals_{};
  std::size_t live_ = 0;
};

}  // namespace rollcall::sim
