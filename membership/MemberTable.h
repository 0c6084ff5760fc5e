// All members this node knows (itself included), with the randomized round-robin probe order of
// SWIM: the order is reshuffled at the end of every round and a new member is inserted at a random
// position, so every live member is probed within a bounded number of periods. Owned by the gossip
// engine; read-only views are handed to the derived table. Every operation is O(1) amortized
// except the per-round shuffle. Storage is dense: members live in stable slots (fixed-size chunks,
// so a Member& stays valid until that member is erased), indexed by open-addressing tables of slot
// numbers; the probe order is a vector of slot numbers (no hashing to walk it).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "membership/Member.h"
#include "membership/Rng.h"
#include "membership/SlotIndex.h"

namespace rollcall::membership {

class alignas(64) MemberTable {
 public:
  explicit MemberTable(NodeId self) : self_(self) {}

  const NodeId& self_id() const { return self_; }
  Member* find(const NodeId& id);
  const Member* find(const NodeId& id) const;
  // find() trying `slot` first, a slot the caller remembered from next_probe_member: the probe
  // cycle finds its target again on the ack without the hash index (one cache line, not two).
  // Any slot is safe: the id is compared, and a miss falls back to the index.
  Member* find(const NodeId& id, std::uint32_t slot);

  // Adds a member (not already present). Non-self members join the probe order at a random spot.
  Member& add(Member m, Rng& rng);
  // Forgets a member entirely.
  void erase(const NodeId& id);

  // Next member to probe: alive or suspect, never self. nullopt if there is none. A full pass
  // over the order ends a round and reshuffles it.
  std::optional<NodeId> next_probe_target(Rng& rng);
  // The same member itself (nullptr if none), saving the prober a second lookup by id; its slot
  // (for find(id, slot)) in *slot if given.
  Member* next_probe_member(Rng& rng, std::uint32_t* slot = nullptr);

  // Up to k distinct random members satisfying `pred`, excluding self; O(k) expected
  // (bounded number of draws), so it may return fewer when few members qualify.
  std::vector<NodeId> random_members(std::size_t k, Rng& rng,
                                     const std::function<bool(const Member&)>& pred) const;

  std::size_t size() const { return by_id_.size(); }  // including self, dead and left
  std::size_t live_count() const { return live_; }       // alive + suspect, including self

  // A stored member's claim (name, address, incarnation, state) changes only through set_state,
  // rename, set_incarnation and set_address: they keep the live count, the name index and the
  // sync hash right. (On a Member that is not this table's, they just set the field.)
  void set_state(Member& m, MemberState s, Instant now);
  void set_incarnation(Member& m, const Incarnation& inc);
  void set_address(Member& m, const Address& address);
  // XOR of member_sync_hash over every stored member (self as stored): the member part of the
  // sync summary (ADR 0005), maintained in O(1) per change.
  std::uint64_t sync_xor() const { return sync_xor_; }

  // Ids sharing `name` (any state).
  std::vector<NodeId> ids_named(const std::string& name) const;
  void rename(Member& m, std::string name);

  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < used_.size(); ++i)
      if (used_[i]) f(slot(static_cast<std::uint32_t>(i)));
  }
  std::vector<Member> snapshot() const;

 private:
  static constexpr std::uint32_t kNone = SlotIndex::kNone;
  static std::uint64_t name_hash(const std::string& name) { return std::hash<std::string>{}(name); }
  static constexpr std::size_t kChunk = 32;  // members per storage chunk
  Member& slot(std::uint32_t s) { return chunks_[s / kChunk][s % kChunk]; }
  const Member& slot(std::uint32_t s) const { return chunks_[s / kChunk][s % kChunk]; }
  std::uint32_t slot_of(const NodeId& id) const {
    return by_id_.find(id.hash(), [&](std::uint32_t s) { return slot(s).id == id; });
  }
  void remove_from_order(std::uint32_t slot);
  bool owns(const Member& m) const {
    const std::uint32_t idx = slot_of(m.id);
    return idx != kNone && &slot(idx) == &m;
  }
  static std::uint64_t sync_hash(const Member& m);
  // Applies `change` to a stored member, keeping sync_xor_ right (its old hash out, its new in).
  template <class F>
  void rehash_around(Member& m, F&& change) {
    sync_xor_ ^= sync_hash(m);
    change();
    sync_xor_ ^= sync_hash(m);
  }

  // Field order is for the cache (a simulator's hundreds of tables do not fit it): a probe reads
  // the first 64-byte line (storage, probe order and cursor), a lookup by id the second (the
  // id index and the slot count); the class is 64-byte aligned so the lines are those.
  std::vector<std::unique_ptr<Member[]>> chunks_;  // stable storage; erased slots are reused
  std::vector<std::uint32_t> order_;   // probe order: slots of non-self members
  std::size_t cursor_ = 0;
  SlotIndex by_id_;                    // id -> slot
  std::vector<std::uint8_t> used_;     // per slot: holds a member (its size is the slot count)
  NodeId self_;
  std::vector<std::uint32_t> free_;    // erased slots
  SlotIndex by_name_;                  // name -> slots (several ids may share a name)
  std::vector<std::uint32_t> pos_;     // per slot: index in order_, or kNone
  std::size_t live_ = 0;
  std::uint64_t sync_xor_ = 0;
};

}  // namespace rollcall::membership
