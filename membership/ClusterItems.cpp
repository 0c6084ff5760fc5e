#include "membership/ClusterItems.h"

#include <algorithm>
#include <unordered_map>

namespace rollcall::membership {

namespace {
constexpr std::int64_t kMaxAgeMs = 1'000'000'000'000;  // ~31 years: clamps hostile ages (no overflow)
}  // namespace

std::string ClusterItems::removal_key(const NodeId& server, std::string_view kind) {
  std::string key = std::string(kRemovalPrefix) + server.hex();
  if (!kind.empty()) {
    key += '/';
    key += kind;
  }
  return key;
}

bool ClusterItems::apply(const ClusterItem& item, Instant now) {
  max_lamport_ = std::max(max_lamport_, item.lamport);
  auto it = items_.find(item.key);
  if (it == items_.end()) {
    items_.emplace(item.key, StoredItem{item, now});
    return true;
  }
  if (!item.newer_than(it->second.item)) return false;
  it->second = StoredItem{item, now};
  return true;
}

const ClusterItem* ClusterItems::get(std::string_view key) const {
  auto it = items_.find(key);
  return it == items_.end() ? nullptr : &it->second.item;
}

const StoredItem* ClusterItems::stored(std::string_view key) const {
  auto it = items_.find(key);
  return it == items_.end() ? nullptr : &it->second;
}

std::vector<ClusterDigestEntry> ClusterItems::digest() const {
  std::vector<ClusterDigestEntry> out;
  out.reserve(items_.size());
  for (const auto& [key, s] : items_) out.push_back({key, s.item.lamport, s.item.writer});
  return out;
}

std::vector<ClusterItem> ClusterItems::newer_than(std::span<const ClusterDigestEntry> remote) const {
  std::unordered_map<std::string_view, const ClusterDigestEntry*> theirs;
  theirs.reserve(remote.size());
  for (const auto& d : remote) {
    auto [it, inserted] = theirs.emplace(d.key, &d);
    // A digest should not repeat a key; if it does, trust the newest claim.
    if (!inserted && (d.lamport > it->second->lamport ||
                      (d.lamport == it->second->lamport && d.writer > it->second->writer)))
      it->second = &d;
  }
  std::vector<ClusterItem> out;
  for (const auto& [key, s] : items_) {
    auto it = theirs.find(key);
    if (it == theirs.end()) {
      out.push_back(s.item);
      continue;
    }
    const ClusterDigestEntry& d = *it->second;
    if (s.item.lamport > d.lamport || (s.item.lamport == d.lamport && s.item.writer > d.writer))
      out.push_back(s.item);
  }
  return out;
}

ClusterConfig ClusterItems::config() const {
  const ClusterItem* item = get(kConfigKey);
  if (item != nullptr)
    if (const auto* c = std::get_if<ClusterConfig>(&item->value)) return *c;
  return ClusterConfig{};
}

std::vector<Removal> ClusterItems::removals() const {
  std::vector<Removal> out;
  for (const auto& [key, s] : items_)
    if (const auto* r = std::get_if<Removal>(&s.item.value)) out.push_back(*r);
  return out;
}

bool ClusterItems::has_removals() const {
  auto it = items_.lower_bound(kRemovalPrefix);
  return it != items_.end() && it->first.starts_with(kRemovalPrefix);
}

const Removal* ClusterItems::server_removal(const NodeId& server) const {
  if (!has_removals()) return nullptr;  // the common case, asked for every member update
  const ClusterItem* item = get(removal_key(server, {}));
  return item == nullptr ? nullptr : std::get_if<Removal>(&item->value);
}

const Removal* ClusterItems::component_removal(const NodeId& server, std::string_view kind) const {
  if (kind.empty() || !has_removals()) return nullptr;
  const ClusterItem* item = get(removal_key(server, kind));
  return item == nullptr ? nullptr : std::get_if<Removal>(&item->value);
}

std::size_t ClusterItems::collect(Instant now, Duration grace) {
  std::size_t dropped = 0;
  for (auto it = items_.begin(); it != items_.end();) {
    const auto* r = std::get_if<Removal>(&it->second.item.value);
    if (r != nullptr) {
      const Duration age = std::chrono::milliseconds(std::clamp<std::int64_t>(r->removed_age_ms, 0, kMaxAgeMs)) +
                           (now - it->second.received_at);
      if (age >= grace) {
        it = items_.erase(it);
        ++dropped;
        continue;
      }
    }
    ++it;
  }
  return dropped;
}

std::vector<ClusterItem> ClusterItems::all() const {
  std::vector<ClusterItem> out;
  out.reserve(items_.size());
  for (const auto& [key, s] : items_) out.push_back(s.item);
  return out;
}

}  // namespace rollcall::membership
