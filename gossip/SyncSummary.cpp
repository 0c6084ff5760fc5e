#include "gossip/SyncSummary.h"

#include <string_view>

#include "gossip/Context.h"

namespace rollcall::gossip {

namespace {

// FNV-1a over the fields of one item, then a splitmix finalizer so that XOR-combining many items
// stays well distributed. Fixed arithmetic: equal inputs hash equally on every build and host.
class ItemHash {
 public:
  ItemHash& add(std::string_view s) {
    for (unsigned char c : s) step(c);
    step(0xff);  // field separator: ("ab","c") != ("a","bc")
    return *this;
  }
  ItemHash& add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) step(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  ItemHash& add(const NodeId& id) {
    for (auto b : id.bytes()) step(b);
    return *this;
  }
  std::uint64_t done() const {
    std::uint64_t z = h_ + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }

 private:
  void step(std::uint8_t b) {
    h_ ^= b;
    h_ *= 0x100000001b3ull;
  }
  std::uint64_t h_ = 0xcbf29ce484222325ull;
};

std::uint64_t member_hash(const wire::MemberUpdate& u) {
  return ItemHash()
      .add(u.id)
      .add(u.name)
      .add(u.address.to_string())
      .add(u.incarnation.generation)
      .add(u.incarnation.counter)
      .add(static_cast<std::uint64_t>(u.state))
      .done();
}

}  // namespace

SyncSummary SyncSummary::of(const Context& ctx) {
  SyncSummary s;
  ctx.table.for_each([&](const membership::Member& m) {
    if (m.id == ctx.self.id) {
      s.members ^= member_hash(ctx.self_update(ctx.leaving ? membership::MemberState::left : membership::MemberState::alive));
    } else {
      s.members ^= member_hash(Context::to_update(m, m.id));
    }
  });
  for (const auto& [owner, max_version] : ctx.store.digest()) {
    (void)max_version;
    if (const auto* entries = ctx.store.owner(owner)) {
      for (const auto& [key, stored] : *entries) s.state ^= ItemHash().add(owner).add(key).add(stored.entry.version).done();
    }
  }
  for (const auto& d : ctx.items.digest()) s.cluster ^= ItemHash().add(d.key).add(d.lamport).add(d.writer).done();
  return s;
}

std::optional<SyncSummary> SyncSummary::from_wire(const std::vector<std::uint64_t>& v) {
  if (v.size() < 3) return std::nullopt;
  return SyncSummary{v[0], v[1], v[2]};
}

}  // namespace rollcall::gossip
