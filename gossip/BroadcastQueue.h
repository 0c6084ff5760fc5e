// The dissemination queue: encoded updates waiting to piggyback on outgoing packets.
// Coalescing (a newer update with the same key replaces the older one), bounded (when full the
// most-transmitted item is dropped), least-sent first, and fair across owners: among items sent
// equally often, every owner's first pending item goes before anyone's second. Each item is
// retransmitted up to a limit and then retired. Used only by the engine; O(log n) per operation.
// Keys are structured (kind, node id, sub-key) and hashed once, so the hot path builds no strings.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "membership/NodeId.h"

namespace rollcall::gossip {

class BroadcastQueue {
 public:
  explicit BroadcastQueue(std::size_t limit) : limit_(limit) {}

  // Send classes, in order: our own refutations and leave, then membership changes, then state.
  // During a join storm membership converges first; state follows (anti-entropy carries it too).
  enum class Tier : std::uint8_t { urgent = 0, member = 1, state = 2 };

  // What an item is about: items with equal keys coalesce.
  struct Key {
    enum class Kind : std::uint8_t { member, state, cluster, named };
    Kind kind = Kind::named;
    membership::NodeId id;  // member: the subject; state: the owner; otherwise nil
    std::string sub;        // state: entry key; cluster: item key; named: the name
    friend bool operator==(const Key&, const Key&) = default;
  };
  static Key member_key(const membership::NodeId& id) { return Key{Key::Kind::member, id, {}}; }
  static Key state_key(const membership::NodeId& owner, std::string key) {
    return Key{Key::Kind::state, owner, std::move(key)};
  }
  static Key cluster_key(std::string key) { return Key{Key::Kind::cluster, {}, std::move(key)}; }

  // Queues `bytes` (one encoded message) under `key`, replacing an older item with the same key.
  // `owner` groups items for fairness (the node the update is about; nil for cluster items).
  void push(Key key, const membership::NodeId& owner, std::vector<std::uint8_t> bytes, Tier tier = Tier::member);
  // Same with a free-form key and owner name (tests, rare callers): Key::Kind::named.
  void push(std::string key, const std::string& owner, std::vector<std::uint8_t> bytes, Tier tier = Tier::member);

  // Calls `take(bytes)` for queued items in send order; `take` returns true if it used the item
  // (it fit). Used items count one transmission; items reaching `limit` transmissions are retired.
  // Stops after `max_visits` items looked at.
  template <class Take>
  void fill(std::uint32_t transmit_limit, std::size_t max_visits, Take&& take);

  // Removes an item (e.g. superseded by knowledge that it is moot).
  void erase(const Key& key);
  void erase(const std::string& named) { erase(Key{Key::Kind::named, {}, named}); }
  bool contains(const Key& key) const { return items_.count(key) != 0; }
  bool contains(const std::string& named) const { return contains(Key{Key::Kind::named, {}, named}); }
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
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      std::uint64_t h = k.id.hash() ^ (static_cast<std::uint64_t>(k.kind) * 0xff51afd7ed558ccdULL);
      if (!k.sub.empty()) h ^= std::hash<std::string>{}(k.sub) * 0xc4ceb9fe1a85ec53ULL;
      return static_cast<std::size_t>(h);
    }
  };
  struct Item {
    membership::NodeId owner;
    std::vector<std::uint8_t> bytes;
    Order order;
  };
  using Items = std::unordered_map<Key, Item, KeyHash>;
  void remove(Items::iterator it);
  void reorder(Items::value_type& entry, std::uint32_t transmits);

  std::size_t limit_;
  std::uint64_t next_seq_ = 0;
  std::uint64_t dropped_ = 0;
  Items items_;
  std::map<Order, Items::value_type*> order_;  // send order -> item (nodes are stable)
  std::unordered_map<membership::NodeId, std::uint32_t> owner_pending_;
  std::vector<Items::value_type*> used_;       // scratch for fill()
};

template <class Take>
void BroadcastQueue::fill(std::uint32_t transmit_limit, std::size_t max_visits, Take&& take) {
  used_.clear();
  std::size_t visits = 0;
  for (auto it = order_.begin(); it != order_.end() && visits < max_visits; ++it, ++visits) {
    if (take(std::span<const std::uint8_t>(it->second->second.bytes))) used_.push_back(it->second);
  }
  for (auto* entry : used_) {
    const std::uint32_t t = entry->second.order.transmits + 1;
    if (t >= transmit_limit) {
      remove(items_.find(entry->first));
    } else {
      reorder(*entry, t);
    }
  }
}

}  // namespace rollcall::gossip
