// Internal to the codec's .cpp files: encoders and validating decoders for the values nested in
// messages (ids, addresses, state entries, cluster items, ...). `put_fields` writes a struct's
// fields without an array header (messages prefix them with their type); `get_fields` reads them
// from `n` >= k...Fields objects. Decoders return false on any type or range error, never throw.
#pragma once

#include <cstdint>
#include <string>

#include "gossip/wire/ByteSink.h"
#include "gossip/wire/Messages.h"

namespace rollcall::gossip::wire::detail {

using Obj = msgpack::object;

// Field counts of the structs that appear as arrays on the wire.
constexpr std::uint32_t kMemberFields = 6;
constexpr std::uint32_t kDeltaFields = 2;
constexpr std::uint32_t kClusterItemFields = 5;
constexpr std::uint32_t kDigestFields = 2;
constexpr std::uint32_t kClusterDigestFields = 3;

// ---- encoding
void put(Packer& p, const NodeId& id);
void put(Packer& p, const Address& a);
void put(Packer& p, const Incarnation& inc);
void put(Packer& p, const std::string& s);
void put(Packer& p, const StateEntry& e);
void put(Packer& p, const ClusterItem& c);
void put(Packer& p, const DigestEntry& d);
void put(Packer& p, const ClusterDigestEntry& d);
void put_fields(Packer& p, const MemberUpdate& m);
void put_fields(Packer& p, const StateDelta& d);
void put_fields(Packer& p, const ClusterItem& c);
inline void put(Packer& p, const MemberUpdate& m) {
  p.pack_array(kMemberFields);
  put_fields(p, m);
}
inline void put(Packer& p, const StateDelta& d) {
  p.pack_array(kDeltaFields);
  put_fields(p, d);
}
template <class T>
void put_vector(Packer& p, const std::vector<T>& v) {
  p.pack_array(static_cast<std::uint32_t>(v.size()));
  for (const auto& x : v) put(p, x);
}

// ---- decoding (false = malformed)
bool get(const Obj& o, std::uint64_t& v);
bool get(const Obj& o, std::uint32_t& v);
bool get(const Obj& o, std::uint16_t& v);
bool get(const Obj& o, std::int64_t& v);
bool get(const Obj& o, bool& v);
bool get(const Obj& o, std::string& s);
bool get(const Obj& o, NodeId& id);
bool get(const Obj& o, Address& a);
bool get(const Obj& o, Incarnation& inc);
bool get(const Obj& o, MemberState& s);
bool get(const Obj& o, StateEntry& e);
bool get(const Obj& o, ClusterItem& c);
bool get(const Obj& o, DigestEntry& d);
bool get(const Obj& o, ClusterDigestEntry& d);
bool get(const Obj& o, MemberUpdate& m);
bool get(const Obj& o, StateDelta& d);
bool get_fields(const Obj* f, MemberUpdate& m);
bool get_fields(const Obj* f, StateDelta& d);
bool get_fields(const Obj* f, ClusterItem& c);
// An address from its wire parts (family 0, 4 or 6 with 0, 4 or 16 ip bytes); false if they do
// not match. Shared by get(Address) and the probe fast path of the packet decoder.
bool make_address(std::uint32_t family, const std::uint8_t* ip, std::size_t ip_size, std::uint16_t port, Address& a);

// `o` is an array of at least `min` elements; sets `f` to its first element.
inline bool array_at_least(const Obj& o, std::uint32_t min, const Obj*& f) {
  if (o.type != msgpack::type::ARRAY || o.via.array.size < min) return false;
  f = o.via.array.ptr;
  return true;
}

// Grows the vector as elements decode (no up-front reserve of a hostile count beyond 1024).
template <class T>
bool get_vector(const Obj& o, std::vector<T>& v) {
  if (o.type != msgpack::type::ARRAY) return false;
  const auto n = o.via.array.size;
  v.clear();
  v.reserve(n < 1024 ? n : 1024);
  for (std::uint32_t i = 0; i < n; ++i)
    if (!get(o.via.array.ptr[i], v.emplace_back())) return false;
  return true;
}

}  // namespace rollcall::gossip::wire::detail
