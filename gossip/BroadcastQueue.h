// The dissemination queue: encoded updates waiting to piggyback on outgoing packets.
// Coalescing (a newer update with the same key replaces the older one), bounded (when full the
// most-transmitted item is dropped), least-sent first, and fair across owners: among items sent
// equally often, every owner's first pending item goes before anyone's second. Each item is
// retransmitted up to a limit and then retired. Used only by the engine; O(log n) per operation.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace rollcall::gossip {

class BroadcastQueue {
 public:
  explicit BroadcastQueue(std::size_t limit) : limit_(limit) {}

  // Send classes, in order: our own refutations and leave, then membership changes, then state.
  // During a join storm membership converges first; state follows (anti-entropy carries it too).
  enum class Tier : std::uint8_t { urgent = 0, member = 1, state = 2 };

  // Queues `bytes` (one encoded message) under `key`, replacing an older item with the same key.
  // `owner` groups items for fairness (e.g. the node the update is about).
  void push(std::string key, std::string owner, std::vector<std::uint8_t> bytes, Tier tier = Tier::member);

  // Calls `take(bytes)` for queued items in send order; `take` returns true if it used the item
  // (it fit). Used items count one transmission; items reaching `limit` transmissions are retired.
  // Stops after `max_visits` items looked at.
  template <class Take>
  void fill(std::uint32_t transmit_limit, std::size_t max_visits, Take&& take);

  // Removes an item (e.g. superseded by knowledge that it is moot).
  void erase(const std::string& key);
  bool contains(const std::string& key) const { return items_.count(key) != 0; }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Order {
    Tier tier;                // lower tiers first
    std::uint32_t transmits;  // least sent first
    std::uint32_t owner_rank; // fairness across owners
    std::uint64_t seq;        // newest first among equals (larger seq first)
    bool operator<(const Order& o) const {
      if (tier != o.tier) return tier < o.tier;
      if (transmits != o.transmits) return transmits < o.transmits;
      if (owner_rank != o.owner_rank) return owner_rank < o.owner_rank;
      return seq > o.seq;
    }
  };
  struct Item {
    std::string owner;
    std::vector<std::uint8_t> bytes;
    Order order;
  };
  void remove(std::unordered_map<std::string, Item>::iterator it);
  void reorder(const std::string& key, Item& item, std::uint32_t transmits);

  std::size_t limit_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t dropped_ = 0;
  std::unordered_map<std::string, Item> items_;
  std::map<Order, std::string> order_;                // send order -> key
  std::unordered_map<std::string, std::uint32_t> owner_pending_;
};

template <class Take>
void BroadcastQueue::fill(std::uint32_t transmit_limit, std::size_t max_visits, Take&& take) {
  std::vector<std::string> used;
  std::size_t visits = 0;
  for (auto it = order_.begin(); it != order_.end() && visits < max_visits; ++it, ++visits) {
    auto item = items_.find(it->second);
    if (take(std::span<const std::uint8_t>(item->second.bytes))) used.push_back(it->second);
  }
  for (auto& key : used) {
    auto item = items_.find(key);
    if (item == items_.end()) continue;
    const std::uint32_t t = item->second.order.transmits + 1;
    if (t >= transmit_limit) {
      remove(item);
    } else {
      reorder(key, item->second, t);
    }
  }
}

}  // namespace rollcall::gossip
