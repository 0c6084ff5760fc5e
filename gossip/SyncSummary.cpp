#include "gossip/SyncSummary.h"

#include <cassert>
#include <string_view>

#include "gossip/Context.h"
#include "membership/SyncHash.h"

namespace rollcall::gossip {

using membership::member_sync_hash;
using membership::state_sync_hash;
using membership::SyncItemHash;

namespace {

std::uint64_t cluster_part(const Context& ctx) {
  std::uint64_t x = 0;
  for (const auto& d : ctx.items.digest()) x ^= SyncItemHash().add(d.key).add(d.lamport).add(d.writer).done();
  return x;
}

// Our own claim is hashed as we announce it (incarnation, alive or left), not as the table stores it.
std::uint64_t self_claim(const Context& ctx) {
  const auto u = ctx.self_update(ctx.leaving ? membership::MemberState::left : membership::MemberState::alive);
  return member_sync_hash(u.id, u.name, u.address, u.incarnation, u.state);
}

}  // namespace

SyncSummary SyncSummary::of(const Context& ctx) {
  // The table and the store keep their XORs up to date as they change: O(1) here, plus the
  // cluster items (a handful).
  SyncSummary s;
  s.members = ctx.table.sync_xor();
  if (const auto* self = ctx.table.find(ctx.self.id)) {
    s.members ^= member_sync_hash(self->id, self->name, self->address, self->incarnation, self->state);
    s.members ^= self_claim(ctx);
  }
  s.state = ctx.store.sync_xor();
  s.cluster = cluster_part(ctx);
  assert(s == recompute(ctx) && "a member or state change bypassed the table's or the store's setters");
  return s;
}

SyncSummary SyncSummary::recompute(const Context& ctx) {
  SyncSummary s;
  ctx.table.for_each([&](const membership::Member& m) {
    s.members ^= m.id == ctx.self.id ? self_claim(ctx)
                                     : member_sync_hash(m.id, m.name, m.address, m.incarnation, m.state);
  });
  for (const auto& [owner, max_version] : ctx.store.digest()) {
    (void)max_version;
    if (const auto* entries = ctx.store.owner(owner)) {
      for (const auto& [key, stored] : *entries) s.state ^= state_sync_hash(owner, key, stored.entry.version);
    }
  }
  s.cluster = cluster_part(ctx);
  return s;
}

std::optional<SyncSummary> SyncSummary::from_wire(const std::vector<std::uint64_t>& v) {
  if (v.size() < 3) return std::nullopt;
  return SyncSummary{v[0], v[1], v[2]};
}

}  // namespace rollcall::gossip
