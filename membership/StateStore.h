// Every owner's replicated state (scuttlebutt): per owner, a map key -> newest StoredEntry plus
// the highest version held. The gossip engine feeds it deltas from peers (and the agent's own
// writes) and asks it what a peer lacks; the table derivation reads it. Pure, single-threaded.
// Note: version(owner) is the highest version held, so a receiver must apply an owner's entries
// without gaps (anti-entropy sends newer_than(since) in ascending order, a prefix is fine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "membership/NodeId.h"
#include "membership/StateEntry.h"
#include "membership/StoredEntry.h"
#include "membership/Time.h"

namespace rollcall::membership {

class StateStore {
 public:
  // Merges entries of `owner` (any order; duplicates allowed). An entry is accepted iff its
  // version is greater than the version held for its key (versions start at 1: an entry with
  // version 0 is never accepted); accepted entries are stamped with
  // `now`. Returns the accepted entries (in the order given). Raises the owner's max version.
  // Cost O(k log m) for k entries and m keys of that owner, plus O(log n) to find the owner.
  std::vector<StateEntry> apply(const NodeId& owner, std::span<const StateEntry> entries, Instant now);

  // Highest version held for `owner`; 0 = nothing known.
  std::uint64_t version(const NodeId& owner) const;
  // Entries of `owner` with version > since, in ascending version order. O(m log m).
  std::vector<StateEntry> newer_than(const NodeId& owner, std::uint64_t since) const;
  // Every known owner with its max version, sorted by id.
  std::vector<std::pair<NodeId, std::uint64_t>> digest() const;
  // The owner's entries by key (deleted fields included as monostate entries); nullptr if unknown.
  const std::map<std::string, StoredEntry>* owner(const NodeId& owner) const;
  // One entry; nullptr if the owner or key is unknown.
  const StoredEntry* find(const NodeId& owner, const std::string& key) const;
  // Drops everything about `owner` (e.g. a member reaped after dead_retention).
  void forget(const NodeId& owner);
  std::size_t owners() const { return owners_.size(); }
  // Rough encoded size of the owner's entries in bytes (keys + values + per-entry overhead),
  // maintained incrementally, for fairness and limits. 0 if unknown.
  std::size_t bytes_estimate(const NodeId& owner) const;
  // The rough encoded size of one entry, as counted by bytes_estimate.
  static std::size_t estimate_size(const StateEntry& entry);
  // XOR of state_sync_hash(owner, key, version) over every entry held (tombstones included):
  // the state part of the sync summary (ADR 0005), kept up to date by apply and forget.
  std::uint64_t sync_xor() const { return sync_xor_; }

 private:
  struct Owner {
    std::map<std::string, StoredEntry> entries;
    std::uint64_t max_version = 0;
    std::size_t bytes = 0;
  };
  std::map<NodeId, Owner> owners_;
  std::uint64_t sync_xor_ = 0;
};

}  // namespace rollcall::membership
