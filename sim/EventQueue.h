// The deadline queue of sim::World: a calendar queue (a ring of 1 ms buckets covering ~4 s; events
// further out wait in an overflow heap) that pops events in (time, insertion sequence) order, so
// every event due at one instant fires in a defined order. O(1) amortized per event; the
// binary/4-ary heap it replaced cost a quarter of the simulator's time. Used only by World.
// Single-threaded.
//
// Memory layout, for the cache: a bucket is a singly linked list threaded through one pool of
// nodes (the bucket heads are a 16 KiB array), and freed nodes are reused last-in first-out, so the
// few thousand events in flight at a time occupy a small, hot region. (One vector per bucket, as
// before, spread the same events over 4,096 separately allocated buffers, and a push into a bucket
// a second ahead touched two cold cache lines.) The bucket being drained is copied out and sorted.
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
  static constexpr std::uint32_t kNil = 0xffffffffu;
  struct Node {
    SimEvent event;
    std::uint32_t next = kNil;
  };
  static std::int64_t slot_of(membership::Instant t) { return membership::to_us(t) / kWidthUs; }
  std::uint32_t& head(std::int64_t slot) { return heads_[static_cast<std::size_t>(slot) & (kBuckets - 1)]; }
  void link(std::int64_t slot, const SimEvent& e);  // into a bucket other than the current one
  void enter(std::int64_t slot);                     // makes `slot` the current bucket

  std::vector<Node> nodes_;          // pool; a bucket's events are linked through it
  std::uint32_t free_ = kNil;        // free nodes, last freed first
  std::vector<std::uint32_t> heads_;  // per bucket: first node, or kNil
  std::vector<SimEvent> current_;    // the bucket being drained, sorted from head_ on
  std::vector<SimEvent> overflow_;   // min-heap of events at or beyond cur_ + kBuckets
  std::int64_t cur_ = 0;             // slot of the current bucket
  std::size_t head_ = 0;             // next event of current_
  std::size_t in_buckets_ = 0;       // events in the ring's lists (not current_, not overflow_)
  std::size_t size_ = 0;
};

}  // namespace rollcall::sim
