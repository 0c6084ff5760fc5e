#include "membership/StateStore.h"

#include "membership/SyncHash.h"

#include <algorithm>
#include <type_traits>

namespace rollcall::membership {

namespace {

std::size_t value_size(const StateValue& value) {
  return std::visit(
      [](const auto& v) -> std::size_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return 1;
        } else if constexpr (std::is_same_v<T, ServerInfo>) {
          std::size_t n = 16 + v.name.size() + v.os_name.size() + v.os_version.size() + v.agent_version.size() +
                          v.host_id.size();
          for (const auto& a : v.addresses) n += 2 + a.size();
          for (const auto& [k, l] : v.labels) n += 4 + k.size() + l.size();
          return n;
        } else if constexpr (std::is_same_v<T, ComponentInfo>) {
          return 6 + v.kind.size() + v.version.size() + v.endpoint.size();
        } else if constexpr (std::is_same_v<T, Heartbeat>) {
          return 10;
        } else if constexpr (std::is_same_v<T, Verification>) {
          return 14 + v.detail.size();
        } else if constexpr (std::is_same_v<T, KeyFingerprint>) {
          return 3 + v.fingerprint.size();
        } else {
          static_assert(std::is_same_v<T, KeyringInfo>);
          std::size_t n = 4 + v.primary.size();
          for (const auto& k : v.installed) n += 2 + k.size();
          return n;
        }
      },
      value);
}

}  // namespace

std::size_t StateStore::estimate_size(const StateEntry& entry) {
  return 12 + entry.key.size() + value_size(entry.value);
}

std::vector<StateEntry> StateStore::apply(const NodeId& owner, std::span<const StateEntry> entries, Instant now) {
  std::vector<StateEntry> accepted;
  if (entries.empty()) return accepted;
  auto& o = owners_[owner];
  for (const auto& e : entries) {
    if (e.version == 0) continue;  // versions start at 1; 0 means "none"
    auto it = o.entries.find(e.key);
    if (it == o.entries.end()) {
      o.entries.emplace(e.key, StoredEntry{e, now});
      o.bytes += estimate_size(e);
      sync_xor_ ^= state_sync_hash(owner, e.key, e.version);
    } else {
      if (e.version <= it->second.entry.version) continue;
      o.bytes -= estimate_size(it->second.entry);
      o.bytes += estimate_size(e);
      sync_xor_ ^= state_sync_hash(owner, e.key, it->second.entry.version) ^ state_sync_hash(owner, e.key, e.version);
      it->second = StoredEntry{e, now};
    }
    o.max_version = std::max(o.max_version, e.version);
    accepted.push_back(e);
  }
  if (o.entries.empty()) owners_.erase(owner);  // only stale duplicates of nothing: keep no empty owner
  return accepted;
}

std::uint64_t StateStore::version(const NodeId& owner) const {
  auto it = owners_.find(owner);
  return it == owners_.end() ? 0 : it->second.max_version;
}

std::vector<StateEntry> StateStore::newer_than(const NodeId& owner, std::uint64_t since) const {
  std::vector<StateEntry> out;
  auto it = owners_.find(owner);
  if (it == owners_.end()) return out;
  for (const auto& [key, stored] : it->second.entries)
    if (stored.entry.version > since) out.push_back(stored.entry);
  std::sort(out.begin(), out.end(), [](const StateEntry& a, const StateEntry& b) { return a.version < b.version; });
  return out;
}

std::vector<std::pair<NodeId, std::uint64_t>> StateStore::digest() const {
  std::vector<std::pair<NodeId, std::uint64_t>> out;
  out.reserve(owners_.size());
  for (const auto& [id, o] : owners_) out.emplace_back(id, o.max_version);
  return out;
}

const std::map<std::string, StoredEntry>* StateStore::owner(const NodeId& owner) const {
  auto it = owners_.find(owner);
  return it == owners_.end() ? nullptr : &it->second.entries;
}

const StoredEntry* StateStore::find(const NodeId& owner, const std::string& key) const {
  auto it = owners_.find(owner);
  if (it == owners_.end()) return nullptr;
  auto e = it->second.entries.find(key);
  return e == it->second.entries.end() ? nullptr : &e->second;
}

void StateStore::forget(const NodeId& owner) {
  auto it = owners_.find(owner);
  if (it == owners_.end()) return;
  for (const auto& [key, stored] : it->second.entries) sync_xor_ ^= state_sync_hash(owner, key, stored.entry.version);
  owners_.erase(it);
}

std::size_t StateStore::bytes_estimate(const NodeId& owner) const {
  auto it = owners_.find(owner);
  return it == owners_.end() ? 0 : it->second.bytes;
}

}  // namespace rollcall::membership
