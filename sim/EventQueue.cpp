#include "sim/EventQueue.h"

#include <algorithm>

namespace rollcall::sim {

namespace {
// std heaps keep the largest on top: "later" is the max.
struct Later {
  bool operator()(const SimEvent& a, const SimEvent& b) const { return b.before(a); }
};
}  // namespace

EventQueue::EventQueue() : heads_(kBuckets, kNil) {}

void EventQueue::link(std::int64_t slot, const SimEvent& e) {
  std::uint32_t n;
  if (free_ != kNil) {
    n = free_;
    free_ = nodes_[n].next;
  } else {
    n = static_cast<std::uint32_t>(nodes_.size());
    nodes_.emplace_back();
  }
  std::uint32_t& h = head(slot);
  nodes_[n].event = e;
  nodes_[n].next = h;
  h = n;
  ++in_buckets_;
}

void EventQueue::push(const SimEvent& e) {
  ++size_;
  const std::int64_t s = std::max(slot_of(e.at), cur_);
  if (s >= cur_ + static_cast<std::int64_t>(kBuckets)) {
    overflow_.push_back(e);
    std::push_heap(overflow_.begin(), overflow_.end(), Later{});
    return;
  }
  if (s != cur_) {
    link(s, e);
    return;
  }
  // Into the sorted current bucket: after every event due at or before it (its seq is the largest).
  auto pos = std::upper_bound(current_.begin() + static_cast<std::ptrdiff_t>(head_), current_.end(), e.at,
                              [](membership::Instant t, const SimEvent& x) { return t < x.at; });
  current_.insert(pos, e);
}

void EventQueue::enter(std::int64_t slot) {
  current_.clear();
  head_ = 0;
  cur_ = slot;
  // Overflow events now inside the horizon move into their buckets.
  const std::int64_t horizon = cur_ + static_cast<std::int64_t>(kBuckets);
  while (!overflow_.empty() && slot_of(overflow_.front().at) < horizon) {
    std::pop_heap(overflow_.begin(), overflow_.end(), Later{});
    const SimEvent e = overflow_.back();
    overflow_.pop_back();
    const std::int64_t s = std::max(slot_of(e.at), cur_);
    if (s == cur_) {
      current_.push_back(e);
    } else {
      link(s, e);
    }
  }
  // The bucket's list becomes the sorted current bucket; its nodes go back to the free list.
  std::uint32_t& h = head(cur_);
  for (std::uint32_t n = h; n != kNil;) {
    Node& node = nodes_[n];
    current_.push_back(node.event);
    const std::uint32_t next = node.next;
    node.next = free_;
    free_ = n;
    n = next;
    --in_buckets_;
  }
  h = kNil;
  if (current_.size() > 1)
    std::sort(current_.begin(), current_.end(), [](const SimEvent& x, const SimEvent& y) { return x.before(y); });
}

bool EventQueue::pop_due(membership::Instant t, SimEvent& out) {
  if (size_ == 0) return false;
  if (head_ == current_.size()) {
    const std::int64_t limit = slot_of(t);
    if (cur_ >= limit) return false;
    std::int64_t next;
    if (in_buckets_ == 0) {
      // Nothing in the ring: jump straight to the first overflow event (or to `t`).
      next = overflow_.empty() ? limit : std::min(limit, slot_of(overflow_.front().at));
    } else {
      // The first non-empty bucket lies inside the ring, before any overflow event.
      next = cur_ + 1;
      while (next < limit && head(next) == kNil) ++next;
    }
    enter(next);
    if (head_ == current_.size()) return false;
  }
  if (current_[head_].at > t) return false;
  out = current_[head_++];
  --size_;
  return true;
}

}  // namespace rollcall::sim
