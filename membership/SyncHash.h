// Per-item hashes of the sync summary (ADR 0005): FNV-1a over an item's fields, then a splitmix
// finalizer so that XOR-combining many items stays well distributed. The summary of a set is the
// XOR of its items' hashes, so the member table and the state store keep theirs up to date as
// items change (O(1) per change) instead of rehashing everything at every push-pull. Fixed
// arithmetic: equal inputs hash equally on every build and host; the values go on the wire, so
// changing them is a protocol change.
#pragma once

#include <cstdint>
#include <string_view>

#include "membership/Address.h"
#include "membership/Incarnation.h"
#include "membership/MemberState.h"
#include "membership/NodeId.h"

namespace rollcall::membership {

class SyncItemHash {
 public:
  SyncItemHash& add(std::string_view s) {
    for (unsigned char c : s) step(c);
    step(0xff);  // field separator: ("ab","c") != ("a","bc")
    return *this;
  }
  SyncItemHash& add(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) step(static_cast<std::uint8_t>(v >> (8 * i)));
    return *this;
  }
  SyncItemHash& add(const NodeId& id) {
    for (auto b : id.bytes()) step(b);
    return *this;
  }
  // Same as add(a.to_string()), without formatting through the C library for IPv4.
  SyncItemHash& add(const Address& a) {
    if (a.family() != Address::Family::v4) return add(a.to_string());
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

// One member's claim: (id, name, address, incarnation, state).
inline std::uint64_t member_sync_hash(const NodeId& id, std::string_view name, const Address& address,
                                      const Incarnation& inc, MemberState state) {
  return SyncItemHash()
      .add(id)
      .add(name)
      .add(address)
      .add(inc.generation)
      .add(inc.counter)
      .add(static_cast<std::uint64_t>(state))
      .done();
}

// One stored state entry: (owner, key, version).
inline std::uint64_t state_sync_hash(const NodeId& owner, std::string_view key, std::uint64_t version) {
  return SyncItemHash().add(owner).add(key).add(version).done();
}

}  // namespace rollcall::membership
