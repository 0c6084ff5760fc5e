#include "sim/EventQueue.h"

#include <algorithm>

namespace rollcall::sim {

namespace {
// std heaps keep the largest on top: "later" is the max.
struct Later {
  bool operator()(const SimEvent& a, const SimEvent& b) const { return b.before(a); }
};
}  // namespace

EventQueue::EventQueue() : buckets_(kBuckets) {}

void EventQueue::push(const SimEvent& e) {
  ++size_;
  const std::int64_t s = std::max(slot_of(e.at), cur_);
  if (s >= cur_ + static_cast<std::int64_t>(kBuckets)) {
    overflow_.push_back(e);
    std::push_heap(overflow_.begin(), overflow_.end(), Later{});
    return;
  }
  ++in_buckets_;
  auto& b = bucket(s);
  if (s != cur_) {
    b.push_back(e);
    return;
  }
  // Into the sorted current bucket: after every event due at or before it (its seq is the largest).
  auto pos = std::upper_bound(b.begin() + static_cast<std::ptrdiff_t>(head_), b.end(), e.at,
                              [](membership::Instant t, const SimEvent& x) { return t < x.at; });
  b.insert(pos, e);
}

void EventQueue::enter(std::int64_t slot) {
  bucket(cur_).clear();
  head_ = 0;
  cur_ = slot;
  // Overflow events now inside the horizon move into their buckets.
  const std::int64_t horizon = cur_ + static_cast<std::int64_t>(kBuckets);
  while (!overflow_.empty() && slot_of(overflow_.front().at) < horizon) {
    std::pop_heap(overflow_.begin(), overflow_.end(), Later{});
    const SimEvent e = overflow_.back();
    overflow_.pop_back();
    bucket(std::max(slot_of(e.at), cur_)).push_back(e);
    ++in_buckets_;
  }
  auto& b = bucket(cur_);
  if (b.size() > 1) std::sort(b.begin(), b.end(), [](const SimEvent& x, const SimEvent& y) { return x.before(y); });
}

bool EventQueue::pop_due(membership::Instant t, SimEvent& out) {
  if (size_ == 0) return false;
  if (head_ == bucket(cur_).size()) {
    const std::int64_t limit = slot_of(t);
    if (cur_ >= limit) return false;
    std::int64_t next;
    if (in_buckets_ == 0) {
      // Nothing in the ring: jump straight to the first overflow event (or to `t`).
      next = std::min(limit, slot_of(overflow_.front().at));
    } else {
      // The first non-empty bucket lies inside the ring, before any overflow event.
      next = cur_ + 1;
      while (next < limit && bucket(next).empty()) ++next;
    }
    enter(next);
    if (head_ == bucket(cur_).size()) return false;
  }
  auto& b = bucket(cur_);
  if (b[head_].at > t) return false;
  out = b[head_++];
  --in_buckets_;
  --size_;
  return true;
}

}  // namespace rollcall::sim
