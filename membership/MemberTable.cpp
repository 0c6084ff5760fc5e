#include "membership/MemberTable.h"

#include "membership/SyncHash.h"

#include <algorithm>

namespace rollcall::membership {

Member* MemberTable::find(const NodeId& id) {
  const std::uint32_t s = slot_of(id);
  return s == kNone ? nullptr : &slot(s);
}

const Member* MemberTable::find(const NodeId& id) const {
  const std::uint32_t s = slot_of(id);
  return s == kNone ? nullptr : &slot(s);
}

Member* MemberTable::find(const NodeId& id, std::uint32_t s) {
  // An erased slot holds a nil id (erase resets it), so comparing ids is enough.
  if (s < used_.size() && !id.is_nil() && slot(s).id == id) return &slot(s);
  return find(id);
}

Member& MemberTable::add(Member m, Rng& rng) {
  const NodeId id = m.id;
  if (is_live(m.state)) ++live_;
  std::uint32_t idx;
  if (!free_.empty()) {
    idx = free_.back();
    free_.pop_back();
    slot(idx) = std::move(m);
    used_[idx] = 1;
  } else {
    idx = static_cast<std::uint32_t>(used_.size());
    if (idx % kChunk == 0) chunks_.push_back(std::make_unique<Member[]>(kChunk));
    slot(idx) = std::move(m);
    used_.push_back(1);
    pos_.push_back(kNone);
  }
  by_id_.insert(id.hash(), idx);
  by_name_.insert(name_hash(slot(idx).name), idx);
  sync_xor_ ^= sync_hash(slot(idx));
  if (id != self_) {
    // Insert at a random position: append, then swap with a random spot.
    order_.push_back(idx);
    pos_[idx] = static_cast<std::uint32_t>(order_.size() - 1);
    const std::size_t j = rng.below(order_.size());
    const std::size_t last = order_.size() - 1;
    if (j != last) {
      std::swap(order_[j], order_[last]);
      pos_[order_[j]] = static_cast<std::uint32_t>(j);
      pos_[order_[last]] = static_cast<std::uint32_t>(last);
    }
  }
  return slot(idx);
}

void MemberTable::remove_from_order(std::uint32_t idx) {
  const std::uint32_t i = pos_[idx];
  if (i == kNone) return;
  const std::size_t last = order_.size() - 1;
  if (i != last) {
    order_[i] = order_[last];
    pos_[order_[i]] = i;
  }
  order_.pop_back();
  pos_[idx] = kNone;
  if (cursor_ > order_.size()) cursor_ = order_.size();
}

void MemberTable::erase(const NodeId& id) {
  const std::uint32_t idx = slot_of(id);
  if (idx == kNone) return;
  Member& m = slot(idx);
  if (is_live(m.state)) --live_;
  sync_xor_ ^= sync_hash(m);
  by_name_.erase(name_hash(m.name), idx);
  by_id_.erase(id.hash(), idx);
  remove_from_order(idx);
  m = Member{};
  used_[idx] = 0;
  free_.push_back(idx);
}

std::optional<NodeId> MemberTable::next_probe_target(Rng& rng) {
  const Member* m = next_probe_member(rng);
  if (!m) return std::nullopt;
  return m->id;
}

Member* MemberTable::next_probe_member(Rng& rng, std::uint32_t* slot_out) {
  if (order_.empty()) return nullptr;
  // At most two passes: the rest of this round, then one fresh shuffled round.
  for (std::size_t visited = 0; visited < 2 * order_.size() + 1; ++visited) {
    if (cursor_ >= order_.size()) {
      for (std::size_t i = order_.size(); i > 1; --i) {
        const std::size_t j = rng.below(i);
        std::swap(order_[i - 1], order_[j]);
      }
      for (std::size_t i = 0; i < order_.size(); ++i) pos_[order_[i]] = static_cast<std::uint32_t>(i);
      cursor_ = 0;
    }
    const std::uint32_t s = order_[cursor_++];
    Member& m = slot(s);
    if (is_live(m.state)) {
      if (slot_out) *slot_out = s;
      return &m;
    }
  }
  return nullptr;
}

std::vector<NodeId> MemberTable::random_members(std::size_t k, Rng& rng,
                                                const std::function<bool(const Member&)>& pred) const {
  std::vector<NodeId> out;
  if (order_.empty() || k == 0) return out;
  const std::size_t n = order_.size();
  if (n <= 4 * k) {
    // Small table: scan from a random offset.
    const std::size_t start = rng.below(n);
    for (std::size_t i = 0; i < n && out.size() < k; ++i) {
      const Member& m = slot(order_[(start + i) % n]);
      if (pred(m)) out.push_back(m.id);
    }
    return out;
  }
  for (std::size_t draws = 0; draws < 8 * k && out.size() < k; ++draws) {
    const Member& m = slot(order_[rng.below(n)]);
    if (std::find(out.begin(), out.end(), m.id) != out.end()) continue;
    if (pred(m)) out.push_back(m.id);
  }
  return out;
}

std::uint64_t MemberTable::sync_hash(const Member& m) {
  return member_sync_hash(m.id, m.name, m.address, m.incarnation, m.state);
}

void MemberTable::set_state(Member& m, MemberState s, Instant now) {
  if (m.state == s) return;
  if (!owns(m)) {
    m.state = s;
    m.state_since = now;
    return;
  }
  const bool was = is_live(m.state), will = is_live(s);
  if (was && !will) --live_;
  if (!was && will) ++live_;
  rehash_around(m, [&] {
    m.state = s;
    m.state_since = now;
  });
}

void MemberTable::set_incarnation(Member& m, const Incarnation& inc) {
  if (m.incarnation == inc) return;
  if (owns(m)) rehash_around(m, [&] { m.incarnation = inc; });
  else m.incarnation = inc;
}

void MemberTable::set_address(Member& m, const Address& address) {
  if (m.address == address) return;
  if (owns(m)) rehash_around(m, [&] { m.address = address; });
  else m.address = address;
}

std::vector<NodeId> MemberTable::ids_named(const std::string& name) const {
  std::vector<NodeId> out;
  by_name_.for_each_candidate(name_hash(name), [&](std::uint32_t s) {
    if (slot(s).name == name) out.push_back(slot(s).id);
  });
  return out;
}

void MemberTable::rename(Member& m, std::string name) {
  if (m.name == name) return;
  const std::uint32_t idx = slot_of(m.id);
  if (idx == kNone || &slot(idx) != &m) {  // not one of ours: just set it
    m.name = std::move(name);
    return;
  }
  by_name_.erase(name_hash(m.name), idx);
  rehash_around(m, [&] { m.name = std::move(name); });
  by_name_.insert(name_hash(m.name), idx);
}

std::vector<Member> MemberTable::snapshot() const {
  std::vector<Member> out;
  out.reserve(by_id_.size());
  for_each([&](const Member& m) { out.push_back(m); });
  return out;
}

}  // namespace rollcall::membership
