// All members this node knows (itself included), with the randomized round-robin probe order of
// SWIM: the order is reshuffled at the end of every round and a new member is inserted at a random
// position, so every live member is probed within a bounded number of periods. Owned by the gossip
// engine; read-only views are handed to the derived table. Every operation is O(1) amortized
// except the per-round shuffle.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "membership/Member.h"
#include "membership/Rng.h"

namespace rollcall::membership {

class MemberTable {
 public:
  explicit MemberTable(NodeId self) : self_(self) {}

  const NodeId& self_id() const { return self_; }
  Member* find(const NodeId& id);
  const Member* find(const NodeId& id) const;

  // Adds a member (not already present). Non-self members join the probe order at a random spot.
  Member& add(Member m, Rng& rng);
  // Forgets a member entirely.
  void erase(const NodeId& id);

  // Next member to probe: alive or suspect, never self. nullopt if there is none. A full pass
  // over the order ends a round and reshuffles it.
  std::optional<NodeId> next_probe_target(Rng& rng);

  // Up to k distinct random members satisfying `pred`, excluding self; O(k) expected
  // (bounded number of draws), so it may return fewer when few members qualify.
  std::vector<NodeId> random_members(std::size_t k, Rng& rng,
                                     const std::function<bool(const Member&)>& pred) const;

  std::size_t size() const { return members_.size(); }  // including self, dead and left
  std::size_t live_count() const { return live_; }       // alive + suspect, including self

  // Must be called whenever a member's state changes, to keep counts right.
  void set_state(Member& m, MemberState s, Instant now);

  // Ids sharing `name` (any state).
  std::vector<NodeId> ids_named(const std::string& name) const;
  void rename(Member& m, std::string name);

  template <class F>
  void for_each(F&& f) const {
    for (const auto& [id, m] : members_) f(m);
  }
  template <class F>
  void for_each_mut(F&& f) {
    for (auto& [id, m] : members_) f(m);
  }
  std::vector<Member> snapshot() const;

 private:
  void remove_from_order(const NodeId& id);

  NodeId self_;
  std::unordered_map<NodeId, Member> members_;
  std::vector<NodeId> order_;
  std::unordered_map<NodeId, std::size_t> order_pos_;
  std::size_t cursor_ = 0;
  std::size_t live_ = 0;
  std::unordered_multimap<std::string, NodeId> names_;
};

}  // namespace rollcall::membership
