#include "gossip/BroadcastQueue.h"

namespace rollcall::gossip {

void BroadcastQueue::push(Key key, const membership::NodeId& owner, std::vector<std::uint8_t> bytes, Tier tier) {
  if (auto it = items_.find(key); it != items_.end()) remove(it);
  if (items_.size() >= limit_ && !order_.empty()) {
    // Drop the item that has been sent the most (the last in send order).
    auto last = std::prev(order_.end());
    auto victim = items_.find(last->second->first);
    ++dropped_;
    remove(victim);
  }
  auto& pending = owner_pending_[owner];
  Order order{tier, 0, pending, next_seq_++};
  ++pending;
  auto [it, inserted] = items_.emplace(std::move(key), Item{owner, std::move(bytes), order});
  order_.emplace(order, &*it);
}

void BroadcastQueue::push(std::string key, const std::string& owner, std::vector<std::uint8_t> bytes, Tier tier) {
  // A named owner is grouped by its hash (a collision only merges two fairness groups).
  const auto group = membership::NodeId::from_words(0x6e616d6564ULL, std::hash<std::string>{}(owner));
  push(Key{Key::Kind::named, {}, std::move(key)}, group, std::move(bytes), tier);
}

void BroadcastQueue::erase(const Key& key) {
  if (auto it = items_.find(key); it != items_.end()) remove(it);
}

void BroadcastQueue::remove(Items::iterator it) {
  order_.erase(it->second.order);
  if (auto p = owner_pending_.find(it->second.owner); p != owner_pending_.end()) {
    if (p->second <= 1) {
      owner_pending_.erase(p);
    } else {
      --p->second;
    }
  }
  items_.erase(it);
}

void BroadcastQueue::reorder(Items::value_type& entry, std::uint32_t transmits) {
  order_.erase(entry.second.order);
  entry.second.order.transmits = transmits;
  order_.emplace(entry.second.order, &entry);
}

}  // namespace rollcall::gossip
