// Validating decoders of the nested wire values (layout: Codec.h). Each checks the msgpack type,
// the range and the element count; extra trailing array elements are ignored.
#include <array>
#include <cstring>
#include <limits>
#include <variant>

#include "gossip/wire/FieldCodec.h"

namespace rollcall::gossip::wire::detail {

using namespace membership;
namespace mt = msgpack::type;

namespace {

template <class T>
bool get_uint(const Obj& o, T& v) {
  if (o.type != mt::POSITIVE_INTEGER || o.via.u64 > std::numeric_limits<T>::max()) return false;
  v = static_cast<T>(o.via.u64);
  return true;
}

bool get_value(const Obj& o, std::monostate&) { return o.type == mt::NIL; }

bool get_value(const Obj& o, ServerInfo& s) {
  const Obj* f;
  if (!array_at_least(o, 8, f)) return false;
  if (!get(f[0], s.name) || !get(f[1], s.os_name) || !get(f[2], s.os_version) ||
      !get_vector(f[3], s.addresses) || !get(f[4], s.agent_version) || !get(f[5], s.protocol_version) ||
      !get(f[6], s.host_id) || f[7].type != mt::MAP)
    return false;
  s.labels.clear();
  const auto& m = f[7].via.map;
  for (std::uint32_t i = 0; i < m.size; ++i) {
    std::string k, v;
    if (!get(m.ptr[i].key, k) || !get(m.ptr[i].val, v)) return false;
    s.labels.insert_or_assign(std::move(k), std::move(v));
  }
  return true;
}

bool get_value(const Obj& o, ComponentInfo& c) {
  const Obj* f;
  return array_at_least(o, 3, f) && get(f[0], c.kind) && get(f[1], c.version) && get(f[2], c.endpoint);
}

bool get_value(const Obj& o, Heartbeat& h) {
  const Obj* f;
  return array_at_least(o, 1, f) && get(f[0], h.counter);
}

bool get_value(const Obj& o, Verification& v) {
  const Obj* f;
  std::uint8_t r = 0;
  if (!array_at_least(o, 3, f) || !get_uint(f[0], r) || r > 2) return false;
  v.result = static_cast<Verification::Result>(r);
  return get(f[1], v.detail) && get(f[2], v.checked_age_ms);
}

bool get_value(const Obj& o, KeyFingerprint& k) {
  const Obj* f;
  return array_at_least(o, 1, f) && get(f[0], k.fingerprint);
}

bool get_value(const Obj& o, KeyringInfo& k) {
  const Obj* f;
  return array_at_least(o, 2, f) && get_vector(f[0], k.installed) && get(f[1], k.primary);
}

bool get_value(const Obj& o, ClusterConfig& c) {
  const Obj* f;
  return array_at_least(o, 5, f) && get(f[0], c.load_balancing) && get(f[1], c.automatic_failover) &&
         get(f[2], c.heartbeat_interval_ms) && get(f[3], c.stale_timeout_ms) && get(f[4], c.web_stale_window_ms);
}

bool get_value(const Obj& o, Removal& r) {
  const Obj* f;
  return array_at_least(o, 5, f) && get(f[0], r.server) && get(f[1], r.component) && get(f[2], r.owner_version) &&
         get(f[3], r.generation) && get(f[4], r.removed_age_ms);
}

// Sets `v` to alternative `tag` and decodes it; false if the tag is out of range.
template <class Variant, std::size_t I = 0>
bool get_alternative(std::uint64_t tag, const Obj& o, Variant& v) {
  if constexpr (I < std::variant_size_v<Variant>) {
    if (tag == I) return get_value(o, v.template emplace<I>());
    return get_alternative<Variant, I + 1>(tag, o, v);
  } else {
    return false;
  }
}

}  // namespace

bool get(const Obj& o, std::uint64_t& v) { return get_uint(o, v); }
bool get(const Obj& o, std::uint32_t& v) { return get_uint(o, v); }
bool get(const Obj& o, std::uint16_t& v) { return get_uint(o, v); }

bool get(const Obj& o, std::int64_t& v) {
  if (o.type == mt::NEGATIVE_INTEGER) {
    v = o.via.i64;
    return true;
  }
  if (o.type != mt::POSITIVE_INTEGER || o.via.u64 > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return false;
  v = static_cast<std::int64_t>(o.via.u64);
  return true;
}

bool get(const Obj& o, bool& v) {
  if (o.type != mt::BOOLEAN) return false;
  v = o.via.boolean;
  return true;
}

bool get(const Obj& o, std::string& s) {
  if (o.type != mt::STR) return false;
  s.assign(o.via.str.ptr, o.via.str.size);
  return true;
}

bool get(const Obj& o, NodeId& id) {
  if (o.type != mt::BIN || o.via.bin.size != NodeId::kSize) return false;
  NodeId::Bytes b;
  std::memcpy(b.data(), o.via.bin.ptr, NodeId::kSize);
  id = NodeId{b};
  return true;
}

bool make_address(std::uint32_t family, const std::uint8_t* ip, std::size_t ip_size, std::uint16_t port, Address& a) {
  if (family == 4 && ip_size == 4) {
    a = Address::v4(std::uint32_t{ip[0]} << 24 | std::uint32_t{ip[1]} << 16 | std::uint32_t{ip[2]} << 8 | ip[3], port);
    return true;
  }
  if (family == 6 && ip_size == 16) {
    std::array<std::uint8_t, 16> b;
    std::memcpy(b.data(), ip, 16);
    a = Address::v6(b, port);
    return true;
  }
  if (family == 0 && ip_size == 0) {
    a = Address{}.with_port(port);
    return true;
  }
  return false;
}

bool get(const Obj& o, Address& a) {
  const Obj* f;
  std::uint8_t family = 0;
  std::uint16_t port = 0;
  if (!array_at_least(o, 3, f) || !get_uint(f[0], family) || f[1].type != mt::BIN || !get_uint(f[2], port))
    return false;
  const auto& ip = f[1].via.bin;
  return make_address(family, reinterpret_cast<const std::uint8_t*>(ip.ptr), ip.size, port, a);
}

bool get(const Obj& o, Incarnation& inc) {
  const Obj* f;
  return array_at_least(o, 2, f) && get(f[0], inc.generation) && get(f[1], inc.counter);
}

bool get(const Obj& o, MemberState& s) {
  std::uint8_t v = 0;
  if (!get_uint(o, v)) return false;
  auto st = member_state_from(v);
  if (!st) return false;
  s = *st;
  return true;
}

bool get(const Obj& o, StateEntry& e) {
  const Obj* f;
  std::uint64_t tag = 0;
  return array_at_least(o, 4, f) && get(f[0], e.key) && get(f[1], e.version) && get(f[2], tag) &&
         get_alternative(tag, f[3], e.value);
}

bool get_fields(const Obj* f, ClusterItem& c) {
  std::uint64_t tag = 0;
  return get(f[0], c.key) && get(f[1], c.lamport) && get(f[2], c.writer) && get(f[3], tag) &&
         get_alternative(tag, f[4], c.value);
}

bool get(const Obj& o, ClusterItem& c) {
  const Obj* f;
  return array_at_least(o, kClusterItemFields, f) && get_fields(f, c);
}

bool get(const Obj& o, DigestEntry& d) {
  const Obj* f;
  return array_at_least(o, kDigestFields, f) && get(f[0], d.owner) && get(f[1], d.version);
}

bool get(const Obj& o, ClusterDigestEntry& d) {
  const Obj* f;
  return array_at_least(o, kClusterDigestFields, f) && get(f[0], d.key) && get(f[1], d.lamport) &&
         get(f[2], d.writer);
}

bool get_fields(const Obj* f, MemberUpdate& m) {
  return get(f[0], m.id) && get(f[1], m.name) && get(f[2], m.address) && get(f[3], m.incarnation) &&
         get(f[4], m.state) && get(f[5], m.from);
}

bool get_fields(const Obj* f, StateDelta& d) { return get(f[0], d.owner) && get_vector(f[1], d.entries); }

bool get(const Obj& o, MemberUpdate& m) {
  const Obj* f;
  return array_at_least(o, kMemberFields, f) && get_fields(f, m);
}

bool get(const Obj& o, StateDelta& d) {
  const Obj* f;
  return array_at_least(o, kDeltaFields, f) && get_fields(f, d);
}

}  // namespace rollcall::gossip::wire::detail
