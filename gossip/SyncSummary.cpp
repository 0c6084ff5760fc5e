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
  // Same as add(a.to_string()), without formatting through the C library for IPv4 (this runs for
  // every member at every periodic push-pull).
  ItemHash& add(const membership::Address& a) {
    if (a.family() != membership::Address::Family::v4) return add(a.to_string());
    char buf[24];
    std::size_t n = 0;
    auto put = [&](unsigned v) {
      char d[5];
      std::size_t k = 0;
      do {
        d[k++] = static_cast<char>('0' + v % 10);
        v /= 10;
      } while (v != 0);
      while (k > 0) buf[n++] = d[--k];
    };
    const auto& ip = a.ip_bytes();
    for (int i = 0; i < 4; ++i) {
      if (i > 0) buf[n++] = '.';
      put(ip[static_cast<std::size_t>(i)]);
    }
    buf[n++] = ':';
    put(a.port());
    return add(std::string_view(buf, n));
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

std::uint64_t member_hash(const NodeId& id, std::string_view name, const membership::Address& address,
                          const membership::Incarnation& inc, membership::MemberState state) {
  return ItemHash()
      .add(id)
      .add(name)
      .add(address)
      .add(inc.generation)
      .add(inc.counter)
      .add(static_cast<std::uint64_t>(state))
      .done();
}

}  // namespace

SyncSummary SyncSummary::of(const Context& ctx) {
  SyncSummary s;
  ctx.table.for_each([&](const membership::Member& m) {
    if (m.id == ctx.self.id) {
      const auto u = ctx.self_update(ctx.leaving ? membership::MemberState::left : membership::MemberState::alive);
      s.members ^= member_hash(u.id, u.name, u.address, u.incarnation, u.state);
    } else {
      s.members ^= member_hash(m.id, m.name, m.address, m.incarnation, m.state);
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
