// Message-level encoding and the packet decoder (layout and rules: Codec.h).
#include "gossip/wire/Codec.h"

#include <algorithm>
#include <exception>
#include <new>

#include "gossip/wire/FieldCodec.h"
#include "gossip/wire/FieldCount.h"

namespace rollcall::gossip::wire {

using namespace detail;
namespace mt = msgpack::type;

// A new field in Messages.h must be encoded and decoded here (and drawn in Codec.h).
#define ROLLCALL_FIELDS(T, n) static_assert(field_count<T>() == (n), #T " changed: update gossip/wire/Codec.cpp")
ROLLCALL_FIELDS(Ping, 4);
ROLLCALL_FIELDS(PingReq, 6);
ROLLCALL_FIELDS(Ack, 2);
ROLLCALL_FIELDS(Nack, 2);
ROLLCALL_FIELDS(MemberUpdate, kMemberFields);
ROLLCALL_FIELDS(StateDelta, kDeltaFields);
ROLLCALL_FIELDS(ClusterItemMsg, 1);
ROLLCALL_FIELDS(PushPullRequest, 5);
ROLLCALL_FIELDS(PushPullResponse, 6);
ROLLCALL_FIELDS(StatePush, 3);
#undef ROLLCALL_FIELDS

namespace {

void header(Packer& p, MsgType t, std::uint32_t fields) {
  p.pack_array(fields + 1);
  p.pack_uint8(static_cast<std::uint8_t>(t));
}

void put_message(Packer& p, const Ping& m) {
  header(p, MsgType::ping, 4);
  p.pack_uint32(m.seq);
  put(p, m.target);
  put(p, m.source);
  put(p, m.source_addr);
}

void put_message(Packer& p, const PingReq& m) {
  header(p, MsgType::ping_req, 6);
  p.pack_uint32(m.seq);
  put(p, m.target);
  put(p, m.target_addr);
  put(p, m.source);
  put(p, m.source_addr);
  if (m.want_nack) p.pack_true(); else p.pack_false();
}

void put_message(Packer& p, const Ack& m) {
  header(p, MsgType::ack, 2);
  p.pack_uint32(m.seq);
  put(p, m.source);
}

void put_message(Packer& p, const Nack& m) {
  header(p, MsgType::nack, 2);
  p.pack_uint32(m.seq);
  put(p, m.source);
}

void put_message(Packer& p, const MemberUpdate& m) {
  header(p, MsgType::member, kMemberFields);
  put_fields(p, m);
}

void put_message(Packer& p, const StateDelta& m) {
  header(p, MsgType::state_delta, kDeltaFields);
  put_fields(p, m);
}

void put_message(Packer& p, const ClusterItemMsg& m) {
  header(p, MsgType::cluster_item, 1);
  put(p, m.item);
}

// The optional trailing summary (ADR 0005) is written only when present, so messages without it
// keep their original bytes.
void put_summary(Packer& p, const std::vector<std::uint64_t>& s) {
  if (s.empty()) return;
  p.pack_array(static_cast<std::uint32_t>(s.size()));
  for (auto h : s) p.pack_uint64(h);
}

void put_message(Packer& p, const PushPullRequest& m) {
  header(p, MsgType::push_pull_request, m.summary.empty() ? 4 : 5);
  if (m.join) p.pack_true(); else p.pack_false();
  put_vector(p, m.members);
  put_vector(p, m.digest);
  put_vector(p, m.cluster_digest);
  put_summary(p, m.summary);
}

void put_message(Packer& p, const PushPullResponse& m) {
  header(p, MsgType::push_pull_response, m.summary.empty() ? 5 : 6);
  put_vector(p, m.members);
  put_vector(p, m.deltas);
  put_vector(p, m.cluster_items);
  put_vector(p, m.digest);
  put_vector(p, m.cluster_digest);
  put_summary(p, m.summary);
}

void put_message(Packer& p, const StatePush& m) {
  header(p, MsgType::state_push, 3);
  put_vector(p, m.deltas);
  put_vector(p, m.cluster_items);
  put_vector(p, m.digest);
}

// ---- decoding: `f` points at the fields after the type, `n` of them.

bool get_message(const Obj* f, std::uint32_t n, Ping& m) {
  return n >= 4 && get(f[0], m.seq) && get(f[1], m.target) && get(f[2], m.source) && get(f[3], m.source_addr);
}

bool get_message(const Obj* f, std::uint32_t n, PingReq& m) {
  return n >= 6 && get(f[0], m.seq) && get(f[1], m.target) && get(f[2], m.target_addr) && get(f[3], m.source) &&
         get(f[4], m.source_addr) && get(f[5], m.want_nack);
}

bool get_message(const Obj* f, std::uint32_t n, Ack& m) { return n >= 2 && get(f[0], m.seq) && get(f[1], m.source); }
bool get_message(const Obj* f, std::uint32_t n, Nack& m) { return n >= 2 && get(f[0], m.seq) && get(f[1], m.source); }

bool get_message(const Obj* f, std::uint32_t n, MemberUpdate& m) { return n >= kMemberFields && get_fields(f, m); }
bool get_message(const Obj* f, std::uint32_t n, StateDelta& m) { return n >= kDeltaFields && get_fields(f, m); }
bool get_message(const Obj* f, std::uint32_t n, ClusterItemMsg& m) { return n >= 1 && get(f[0], m.item); }

bool get_message(const Obj* f, std::uint32_t n, PushPullRequest& m) {
  return n >= 4 && get(f[0], m.join) && get_vector(f[1], m.members) && get_vector(f[2], m.digest) &&
         get_vector(f[3], m.cluster_digest) && (n < 5 || get_vector(f[4], m.summary));
}

bool get_message(const Obj* f, std::uint32_t n, PushPullResponse& m) {
  return n >= 5 && get_vector(f[0], m.members) && get_vector(f[1], m.deltas) && get_vector(f[2], m.cluster_items) &&
         get_vector(f[3], m.digest) && get_vector(f[4], m.cluster_digest) && (n < 6 || get_vector(f[5], m.summary));
}

bool get_message(const Obj* f, std::uint32_t n, StatePush& m) {
  return n >= 3 && get_vector(f[0], m.deltas) && get_vector(f[1], m.cluster_items) && get_vector(f[2], m.digest);
}

// Wire type id -> Message alternative index. Type ids are the alternative index + 1.
static_assert(std::variant_size_v<Message> == 10);
constexpr std::uint64_t kMaxType = std::variant_size_v<Message>;

template <std::size_t I = 0>
bool decode_alternative(std::uint64_t type, const Obj* f, std::uint32_t n, Message& out) {
  if constexpr (I < std::variant_size_v<Message>) {
    if (type == I + 1) return get_message(f, n, out.emplace<I>());
    return decode_alternative<I + 1>(type, f, n, out);
  } else {
    return false;
  }
}

bool reference_everything(mt::object_type, std::size_t, void*) { return true; }

// Scratch memory for parsed objects, one per thread, emptied after each packet.
msgpack::zone& scratch_zone() {
  thread_local msgpack::zone zone;
  return zone;
}

void fail(DecodeResult& r, DecodeError e, std::string detail) {
  r.messages.clear();
  r.error = e;
  r.detail = std::move(detail);
}

void decode_body(std::span<const std::uint8_t> bytes, DecodeResult& r) {
  const std::size_t structural = std::min(kMaxElements, bytes.size());
  const msgpack::unpack_limit limits(structural, structural, kMaxStr, kMaxStr, kMaxStr, kMaxDepth);
  msgpack::zone& zone = scratch_zone();
  struct Clear {
    msgpack::zone& z;
    ~Clear() { z.clear(); }
  } clear{zone};

  std::size_t off = 1;
  const auto* data = reinterpret_cast<const char*>(bytes.data());
  const Obj root = msgpack::unpack(zone, data, bytes.size(), off, reference_everything, nullptr, limits);
  if (off != bytes.size()) return fail(r, DecodeError::malformed, "trailing bytes after the message array");
  if (root.type != mt::ARRAY) return fail(r, DecodeError::malformed, "packet body is not an array");

  const auto& arr = root.via.array;
  r.messages.reserve(arr.size < 256 ? arr.size : 256);  // grows as messages decode
  for (std::uint32_t i = 0; i < arr.size; ++i) {
    const Obj* f;
    std::uint64_t type = 0;
    if (!array_at_least(arr.ptr[i], 1, f) || !get(f[0], type))
      return fail(r, DecodeError::malformed, "message " + std::to_string(i) + ": not an array starting with a type");
    if (type == 0 || type > kMaxType) {
      ++r.unknown_skipped;
      continue;
    }
    Message& m = r.messages.emplace_back();
    if (!decode_alternative(type, f + 1, arr.ptr[i].via.array.size - 1, m))
      return fail(r, DecodeError::malformed,
                  "message " + std::to_string(i) + " (type " + std::to_string(type) + "): bad or missing field");
  }
}

}  // namespace

void append_message(Bytes& out, const Message& m) {
  ByteSink sink{&out};
  Packer p(sink);
  std::visit([&p](const auto& msg) { put_message(p, msg); }, m);
}

Bytes encode_message(const Message& m) {
  Bytes out;
  out.reserve(64);
  append_message(out, m);
  return out;
}

Bytes encode_packet(std::span<const Message> messages) {
  Bytes out;
  out.reserve(16 + 64 * messages.size());
  out.push_back(kProtocolVersion);
  ByteSink sink{&out};
  Packer p(sink);
  p.pack_array(static_cast<std::uint32_t>(messages.size()));
  for (const auto& m : messages) std::visit([&p](const auto& msg) { put_message(p, msg); }, m);
  return out;
}

void decode_packet_into(std::span<const std::uint8_t> bytes, DecodeResult& r, std::size_t max_bytes) {
  r.messages.clear();
  r.error = DecodeError::none;
  r.unknown_skipped = 0;
  r.detail.clear();
  if (bytes.empty()) return fail(r, DecodeError::empty, "empty packet");
  if (bytes.size() > max_bytes) return fail(r, DecodeError::too_large, std::to_string(bytes.size()) + " bytes");
  if (bytes[0] != kProtocolVersion)
    return fail(r, DecodeError::bad_version, "protocol version " + std::to_string(bytes[0]));
  try {
    decode_body(bytes, r);
  } catch (const std::bad_alloc&) {
    fail(r, DecodeError::malformed, "out of memory");
  } catch (const std::exception& e) {
    fail(r, DecodeError::malformed, e.what());
  } catch (...) {
    fail(r, DecodeError::malformed, "unknown error");
  }
}

DecodeResult decode_packet(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  DecodeResult r;
  decode_packet_into(bytes, r, max_bytes);
  return r;
}

}  // namespace rollcall::gossip::wire
