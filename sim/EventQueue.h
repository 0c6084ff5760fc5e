// The deadline heap of sim::World: a 4-ary min-heap of SimEvent ordered by (time, insertion
// sequence), so every event due at one instant fires in a defined order. Shallower than a binary
// heap and cache friendly; about twice as fast as std::priority_queue here. Single-threaded.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/SimEvent.h"

namespace rollcall::sim {

class EventQueue {
 public:
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  const SimEvent& top() const { return heap_.front(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

  void push(const SimEvent& e) {
    std::size_t i = heap_.size();
    heap_.push_back(e);
    while (i > 0) {
      const std::size_t parent = (i - 1) / 4;
      if (!e.before(heap_[parent])) break;
      heap_[i] = heap_[parent];
      i = parent;
    }
    heap_[i] = e;
  }

  SimEvent pop() {
    SimEvent out = heap_.front();
    SimEvent last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return out;
    std::size_t i = 0;
    while (true) {
      const std::size_t first = 4 * i + 1;
      if (first >= n) break;
      std::size_t best = first;
      const std::size_t end = first + 4 < n ? first + 4 : n;
      for (std::size_t c = first + 1; c < end; ++c)
        if (heap_[c].before(heap_[best])) best = c;
      if (!heap_[best].before(last)) break;
      heap_[i] = heap_[best];
      i = best;
    }
    heap_[i] = last;
    return out;
  }

 private:
  std::vector<SimEvent> heap_;
};

}  // namespace rollcall::sim
