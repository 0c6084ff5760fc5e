// The cluster-wide last-writer-wins items: the cluster config ("config") and removal tombstones
// ("removal/<server id hex>/<kind>", "removal/<server id hex>"). Any node writes with lamport =
// max_lamport() + 1; merges are commutative and idempotent, so every node ends with the same items.
// Fed by the gossip engine and the agent; read by the table derivation and persistence. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "membership/ClusterConfig.h"
#include "membership/ClusterDigestEntry.h"
#include "membership/ClusterItem.h"
#include "membership/NodeId.h"
#include "membership/Removal.h"
#include "membership/StoredItem.h"
#include "membership/Time.h"

namespace rollcall::membership {

class ClusterItems {
 public:
  static constexpr std::string_view kConfigKey = "config";
  static constexpr std::string_view kRemovalPrefix = "removal/";
  // "removal/<server id hex>/<kind>", or "removal/<server id hex>" when `kind` is empty.
  static std::string removal_key(const NodeId& server, std::string_view kind);

  // Stores `item` iff no item is held for its key or it wins (ClusterItem::newer_than) over the
  // held one. Returns true iff stored. Raises max_lamport(). O(log n).
  bool apply(const ClusterItem& item, Instant now);
  const ClusterItem* get(std::string_view key) const;
  const StoredItem* stored(std::string_view key) const;
  // Every item's version, sorted by key.
  std::vector<ClusterDigestEntry> digest() const;
  // Items the remote lacks or holds an older version of (given the remote's digest, any order).
  std::vector<ClusterItem> newer_than(std::span<const ClusterDigestEntry> remote) const;
  // Highest lamport ever seen (never decreases, even when tombstones are collected).
  std::uint64_t max_lamport() const { return max_lamport_; }
  // The current cluster config, or the defaults if none was ever written.
  ClusterConfig config() const;
  // All removal tombstones, sorted by key.
  std::vector<Removal> removals() const;
  // The removal hiding `server` as a whole, or nullptr.
  const Removal* server_removal(const NodeId& server) const;
  // The removal of component `kind` of `server`, or nullptr.
  const Removal* component_removal(const NodeId& server, std::string_view kind) const;
  // Drops removal tombstones whose age (removed_age_ms at publication + time since this node
  // received them) is at least `grace`. Returns how many were dropped. Never drops the config.
  std::size_t collect(Instant now, Duration grace);
  // All items, sorted by key.
  std::vector<ClusterItem> all() const;
  std::size_t size() const { return items_.size(); }

 private:
  bool has_removals() const;  // any "removal/..." item held (no allocation)

  std::map<std::string, StoredItem, std::less<>> items_;
  std::uint64_t max_lamport_ = 0;
};

}  // namespace rollcall::membership
