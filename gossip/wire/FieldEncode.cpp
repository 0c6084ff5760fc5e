// Encoders of the nested wire values (layout: Codec.h).
#include <variant>

#include "gossip/wire/FieldCodec.h"
#include "gossip/wire/FieldCount.h"

namespace rollcall::gossip::wire::detail {

using namespace membership;

// A new field in a membership value type must be encoded here and decoded in FieldDecode.cpp.
#define ROLLCALL_FIELDS(T, n) static_assert(field_count<T>() == (n), #T " changed: update gossip/wire/Field*.cpp")
ROLLCALL_FIELDS(ServerInfo, 8);
ROLLCALL_FIELDS(ComponentInfo, 3);
ROLLCALL_FIELDS(Heartbeat, 1);
ROLLCALL_FIELDS(Verification, 3);
ROLLCALL_FIELDS(KeyFingerprint, 1);
ROLLCALL_FIELDS(KeyringInfo, 2);
ROLLCALL_FIELDS(ClusterConfig, 5);
ROLLCALL_FIELDS(Removal, 5);
ROLLCALL_FIELDS(StateEntry, 3);
ROLLCALL_FIELDS(ClusterItem, kClusterItemFields - 1);  // + the value tag on the wire
ROLLCALL_FIELDS(DigestEntry, kDigestFields);
ROLLCALL_FIELDS(ClusterDigestEntry, kClusterDigestFields);
ROLLCALL_FIELDS(Incarnation, 2);
#undef ROLLCALL_FIELDS
static_assert(std::variant_size_v<StateValue> == 7, "StateValue changed: update gossip/wire/Field*.cpp");
static_assert(std::variant_size_v<ClusterValue> == 2, "ClusterValue changed: update gossip/wire/Field*.cpp");

namespace {

void put_bin(Packer& p, const std::uint8_t* data, std::uint32_t n) {
  p.pack_bin(n);
  p.pack_bin_body(reinterpret_cast<const char*>(data), n);
}

void put_value(Packer& p, const std::monostate&) { p.pack_nil(); }

void put_value(Packer& p, const ServerInfo& s) {
  p.pack_array(8);
  put(p, s.name);
  put(p, s.os_name);
  put(p, s.os_version);
  put_vector(p, s.addresses);
  put(p, s.agent_version);
  p.pack_uint32(s.protocol_version);
  put(p, s.host_id);
  p.pack_map(static_cast<std::uint32_t>(s.labels.size()));
  for (const auto& [k, v] : s.labels) {
    put(p, k);
    put(p, v);
  }
}

void put_value(Packer& p, const ComponentInfo& c) {
  p.pack_array(3);
  put(p, c.kind);
  put(p, c.version);
  put(p, c.endpoint);
}

void put_value(Packer& p, const Heartbeat& h) {
  p.pack_array(1);
  p.pack_uint64(h.counter);
}

void put_value(Packer& p, const Verification& v) {
  p.pack_array(3);
  p.pack_uint8(static_cast<std::uint8_t>(v.result));
  put(p, v.detail);
  p.pack_int64(v.checked_age_ms);
}

void put_value(Packer& p, const KeyFingerprint& k) {
  p.pack_array(1);
  put(p, k.fingerprint);
}

void put_value(Packer& p, const KeyringInfo& k) {
  p.pack_array(2);
  put_vector(p, k.installed);
  put(p, k.primary);
}

void put_value(Packer& p, const ClusterConfig& c) {
  p.pack_array(5);
  if (c.load_balancing) p.pack_true(); else p.pack_false();
  if (c.automatic_failover) p.pack_true(); else p.pack_false();
  p.pack_int64(c.heartbeat_interval_ms);
  p.pack_int64(c.stale_timeout_ms);
  p.pack_int64(c.web_stale_window_ms);
}

void put_value(Packer& p, const Removal& r) {
  p.pack_array(5);
  put(p, r.server);
  put(p, r.component);
  p.pack_uint64(r.owner_version);
  p.pack_uint64(r.generation);
  p.pack_int64(r.removed_age_ms);
}

}  // namespace

void put(Packer& p, const NodeId& id) { put_bin(p, id.bytes().data(), NodeId::kSize); }

void put(Packer& p, const Address& a) {
  p.pack_array(3);
  p.pack_uint8(static_cast<std::uint8_t>(a.family()));
  const std::uint32_t n = a.family() == Address::Family::v4 ? 4 : a.family() == Address::Family::v6 ? 16 : 0;
  put_bin(p, a.ip_bytes().data(), n);
  p.pack_uint16(a.port());
}

void put(Packer& p, const Incarnation& inc) {
  p.pack_array(2);
  p.pack_uint64(inc.generation);
  p.pack_uint64(inc.counter);
}

void put(Packer& p, const std::string& s) {
  p.pack_str(static_cast<std::uint32_t>(s.size()));
  p.pack_str_body(s.data(), static_cast<std::uint32_t>(s.size()));
}

void put(Packer& p, const StateEntry& e) {
  p.pack_array(4);
  put(p, e.key);
  p.pack_uint64(e.version);
  p.pack_uint8(static_cast<std::uint8_t>(e.value.index()));
  std::visit([&p](const auto& v) { put_value(p, v); }, e.value);
}

void put_fields(Packer& p, const ClusterItem& c) {
  put(p, c.key);
  p.pack_uint64(c.lamport);
  put(p, c.writer);
  p.pack_uint8(static_cast<std::uint8_t>(c.value.index()));
  std::visit([&p](const auto& v) { put_value(p, v); }, c.value);
}

void put(Packer& p, const ClusterItem& c) {
  p.pack_array(kClusterItemFields);
  put_fields(p, c);
}

void put(Packer& p, const DigestEntry& d) {
  p.pack_array(kDigestFields);
  put(p, d.owner);
  p.pack_uint64(d.version);
}

void put(Packer& p, const ClusterDigestEntry& d) {
  p.pack_array(kClusterDigestFields);
  put(p, d.key);
  p.pack_uint64(d.lamport);
  put(p, d.writer);
}

void put_fields(Packer& p, const MemberUpdate& m) {
  put(p, m.id);
  put(p, m.name);
  put(p, m.address);
  put(p, m.incarnation);
  p.pack_uint8(static_cast<std::uint8_t>(m.state));
  put(p, m.from);
}

void put_fields(Packer& p, const StateDelta& d) {
  put(p, d.owner);
  put_vector(p, d.entries);
}

}  // namespace rollcall::gossip::wire::detail
