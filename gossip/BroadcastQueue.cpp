#include "gossip/BroadcastQueue.h"

namespace rollcall::gossip {

void BroadcastQueue::push(std::string key, std::string owner, std::vector<std::uint8_t> bytes, Tier tier) {
  if (auto it = items_.find(key); it != items_.end()) remove(it);
  if (items_.size() >= limit_ && !order_.empty()) {
    // Drop the item that has been sent the most (the last in send order).
    auto last = std::prev(order_.end());
    auto victim = items_.find(last->second);
    ++dropped_;
    remove(victim);
  }
  auto& pending = owner_pending_[owner];
  Order order{tier, 0, pending, next_seq_++};
  ++pending;
  order_.emplace(order, key);
  items_.emplace(std::move(key), Item{std::move(owner), std::move(bytes), order});
}

void BroadcastQueue::erase(const std::string& key) {
  if (auto it = items_.find(key); it != items_.end()) remove(it);
}

void BroadcastQueue::remove(std::unordered_map<std::string, Item>::iterator it) {
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

void BroadcastQueue::reorder(const std::string& key, Item& item, std::uint32_t transmits) {
  order_.erase(item.order);
  item.order.transmits = transmits;
  order_.emplace(item.order, key);
}

}  // namespace rollcall::gossip
