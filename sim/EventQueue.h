// The deadline queue of sim::World: a calendar queue (a ring of 1 ms buckets covering ~4 s, the
// bucket being drained kept sorted; events further out wait in an overflow heap) that
// pops events in (time, insertion sequence) order, so every event due at one instant fires in a
// defined order. O(1) amortized per event; the binary/4-ary heap it replaced cost a quarter of
// the simulator's time. Used only by World. Single-threaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/SimEvent.h"

namespace rollcall::sim {

class EventQueue {
 public:
  EventQueue();

  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }

  // Precondition: e.at is not before the time of the last event popped, nor before the `t` of
  // the last pop_due call that returned false.
  void push(const SimEvent& e);
  // Pops the earliest event if it is due at or before `t`.
  bool pop_due(membership::Instant t, SimEvent& out);

 private:
  static constexpr std::int64_t kWidthUs = 1000;  // bucket width
  static constexpr std::size_t kBuckets = 4096;   // power of two: horizon = 4.096 s
  static std::int64_t slot_of(membership::Instant t) { return membership::to_us(t) / kWidthUs; }
  std::vector<SimEvent>& bucket(std::int64_t slot) { return buckets_[static_cast<std::size_t>(slot) & (kBuckets - 1)]; }
  void enter(std::int64_t slot);  // makes `slot` the current bucket

  std::vector<std::vector<SimEvent>> buckets_;
  std::vector<SimEvent> overflow_;  // min-heap of events at or beyond cur_ + kBuckets
  std::int64_t cur_ = 0;            // slot of the current bucket (sorted from head_ on)
  std::size_t head_ = 0;            // next event of the current bucket
  std::size_t in_buckets_ = 0;      // events in the ring (all buckets)
  std::size_t size_ = 0;
};

}  // namespace rollcall::sim
