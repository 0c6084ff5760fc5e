#include "membership/MemberTable.h"

#include <algorithm>

namespace rollcall::membership {

Member* MemberTable::find(const NodeId& id) {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

const Member* MemberTable::find(const NodeId& id) const {
  auto it = members_.find(id);
  return it == members_.end() ? nullptr : &it->second;
}

Member& MemberTable::add(Member m, Rng& rng) {
  const NodeId id = m.id;
  if (is_live(m.state)) ++live_;
  names_.emplace(m.name, id);
  auto [it, inserted] = members_.emplace(id, std::move(m));
  if (id != self_) {
    // Insert at a random position: append, then swap with a random slot.
    order_.push_back(id);
    order_pos_[id] = order_.size() - 1;
    const std::size_t j = rng.below(order_.size());
    const std::size_t last = order_.size() - 1;
    if (j != last) {
      std::swap(order_[j], order_[last]);
      order_pos_[order_[j]] = j;
      order_pos_[order_[last]] = last;
    }
  }
  return it->second;
}

void MemberTable::remove_from_order(const NodeId& id) {
  auto pos = order_pos_.find(id);
  if (pos == order_pos_.end()) return;
  const std::size_t i = pos->second;
  const std::size_t last = order_.size() - 1;
  if (i != last) {
    order_[i] = order_[last];
    order_pos_[order_[i]] = i;
  }
  order_.pop_back();
  order_pos_.erase(pos);
  if (cursor_ > order_.size()) cursor_ = order_.size();
}

void MemberTable::erase(const NodeId& id) {
  auto it = members_.find(id);
  if (it == members_.end()) return;
  if (is_live(it->second.state)) --live_;
  auto range = names_.equal_range(it->second.name);
  for (auto n = range.first; n != range.second; ++n) {
    if (n->second == id) {
      names_.erase(n);
      break;
    }
  }
  remove_from_order(id);
  members_.erase(it);
}

std::optional<NodeId> MemberTable::next_probe_target(Rng& rng) {
  if (order_.empty()) return std::nullopt;
  // At most two passes: the rest of this round, then one fresh shuffled round.
  for (std::size_t visited = 0; visited < 2 * order_.size() + 1; ++visited) {
    if (cursor_ >= order_.size()) {
      for (std::size_t i = order_.size(); i > 1; --i) {
        const std::size_t j = rng.below(i);
        std::swap(order_[i - 1], order_[j]);
      }
      for (std::size_t i = 0; i < order_.size(); ++i) order_pos_[order_[i]] = i;
      cursor_ = 0;
    }
    const NodeId id = order_[cursor_++];
    const Member* m = find(id);
    if (m && is_live(m->state)) return id;
  }
  return std::nullopt;
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
      const NodeId& id = order_[(start + i) % n];
      if (const Member* m = find(id); m && pred(*m)) out.push_back(id);
    }
    return out;
  }
  for (std::size_t draws = 0; draws < 8 * k && out.size() < k; ++draws) {
    const NodeId& id = order_[rng.below(n)];
    if (std::find(out.begin(), out.end(), id) != out.end()) continue;
    if (const Member* m = find(id); m && pred(*m)) out.push_back(id);
  }
  return out;
}

void MemberTable::set_state(Member& m, MemberState s, Instant now) {
  if (m.state == s) return;
  const bool was = is_live(m.state), will = is_live(s);
  if (was && !will) --live_;
  if (!was && will) ++live_;
  m.state = s;
  m.state_since = now;
}

std::vector<NodeId> MemberTable::ids_named(const std::string& name) const {
  std::vector<NodeId> out;
  auto range = names_.equal_range(name);
  for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
  return out;
}

void MemberTable::rename(Member& m, std::string name) {
  if (m.name == name) return;
  auto range = names_.equal_range(m.name);
  for (auto n = range.first; n != range.second; ++n) {
    if (n->second == m.id) {
      names_.erase(n);
      break;
    }
  }
  m.name = std::move(name);
  names_.emplace(m.name, m.id);
}

std::vector<Member> MemberTable::snapshot() const {
  std::vector<Member> out;
  out.reserve(members_.size());
  for (const auto& [id, m] : members_) out.push_back(m);
  return out;
}

}  // namespace rollcall::membership
