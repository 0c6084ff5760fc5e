#include "membership/ContentDigest.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "membership/Fnv1a.h"
#include "membership/StateKeys.h"

namespace rollcall::membership {

namespace {

void hash_id(Fnv1a& h, const NodeId& id) { h.bytes(id.bytes().data(), id.bytes().size()); }

void hash_value(Fnv1a& h, const StateValue& value) {
  h.u64(value.index());
  std::visit(
      [&h](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
        } else if constexpr (std::is_same_v<T, ServerInfo>) {
          h.str(v.name);
          h.str(v.os_name);
          h.str(v.os_version);
          h.u64(v.addresses.size());
          for (const auto& a : v.addresses) h.str(a);
          h.str(v.agent_version);
          h.u64(v.protocol_version);
          h.str(v.host_id);
          h.u64(v.labels.size());
          for (const auto& [k, l] : v.labels) {
            h.str(k);
            h.str(l);
          }
        } else if constexpr (std::is_same_v<T, ComponentInfo>) {
          h.str(v.kind);
          h.str(v.version);
          h.str(v.endpoint);
        } else if constexpr (std::is_same_v<T, Heartbeat>) {
          h.u64(v.counter);
        } else if constexpr (std::is_same_v<T, Verification>) {
          h.u64(static_cast<std::uint64_t>(v.result));
          h.str(v.detail);
          h.i64(v.checked_age_ms);
        } else if constexpr (std::is_same_v<T, KeyFingerprint>) {
          h.str(v.fingerprint);
        } else {
          static_assert(std::is_same_v<T, KeyringInfo>);
          h.u64(v.installed.size());
          for (const auto& k : v.installed) h.str(k);
          h.str(v.primary);
        }
      },
      value);
}

void hash_item(Fnv1a& h, const ClusterItem& item) {
  h.str(item.key);
  h.u64(item.lamport);
  hash_id(h, item.writer);
  h.u64(item.value.index());
  if (const auto* c = std::get_if<ClusterConfig>(&item.value)) {
    h.byte(c->load_balancing ? 1 : 0);
    h.byte(c->automatic_failover ? 1 : 0);
    h.i64(c->heartbeat_interval_ms);
    h.i64(c->stale_timeout_ms);
    h.i64(c->web_stale_window_ms);
  } else if (const auto* r = std::get_if<Removal>(&item.value)) {
    hash_id(h, r->server);
    h.str(r->component);
    h.u64(r->owner_version);
    h.u64(r->generation);
    h.i64(r->removed_age_ms);
  }
}

}  // namespace

std::uint64_t ContentDigest::compute(std::span<const Member> members, const StateStore& store,
                                     const ClusterItems& items) {
  Fnv1a h;
  std::vector<const Member*> sorted;
  sorted.reserve(members.size());
  for (const auto& m : members) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(), [](const Member* a, const Member* b) { return a->id < b->id; });
  h.str("members");
  h.u64(sorted.size());
  for (const Member* m : sorted) {
    hash_id(h, m->id);
    h.u64(m->incarnation.generation);
    h.u64(m->incarnation.counter);
    // Suspicion is transient and seen by some nodes only: count it as alive.
    const MemberState s = m->state == MemberState::suspect ? MemberState::alive : m->state;
    h.u64(static_cast<std::uint64_t>(s));
  }
  h.str("state");
  for (const auto& [owner, max_version] : store.digest()) {
    (void)max_version;  // moves with every heartbeat: not part of the shared content
    const auto* entries = store.owner(owner);
    if (entries == nullptr) continue;
    hash_id(h, owner);
    for (const auto& [key, stored] : *entries) {
      if (StateKeys::is_volatile(key)) continue;
      h.str(key);
      h.u64(stored.entry.version);
      hash_value(h, stored.entry.value);
    }
    h.str("");  // end of owner
  }
  h.str("items");
  for (const auto& item : items.all()) hash_item(h, item);
  return h.value();
}

std::string ContentDigest::hex(std::span<const Member> members, const StateStore& store, const ClusterItems& items) {
  return Fnv1a::hex16(compute(members, store, items));
}

}  // namespace rollcall::membership
