// Message-level encoding and the packet decoder (layout and rules: Codec.h).
#include "gossip/wire/Codec.h"

#include <algorithm>
#include <cassert>
#include <cstring>
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


// ---- fast path for probe packets (decode_packet_into in Codec.h)
//
// Nearly every datagram of a stable cluster is a ping, an ack, a ping-req or a nack with nothing
// piggybacked, in the packer's canonical form. FixedReader decodes exactly that form straight from
// the bytes, without msgpack's object tree (whose parser allocates its stacks on every call). It
// accepts a strict subset of what decode_body accepts and must give the same messages for it
// (Debug and fuzz builds check each packet against decode_body); on anything else - another
// message type, a trailing extra field, a non-canonical integer, an unknown family - it declines
// and the general decoder runs.
class FixedReader {
 public:
  explicit FixedReader(std::span<const std::uint8_t> b) : p_(b.data()), end_(b.data() + b.size()) {}
  bool at_end() const { return p_ == end_; }

  bool byte(std::uint8_t& v) {
    if (p_ == end_) return false;
    v = *p_++;
    return true;
  }
  // A fixarray header of exactly n elements (n < 16).
  bool fixarray(std::uint8_t n) {
    std::uint8_t got;
    return fixarray_any(got) && got == n;
  }
  // A fixarray header of any size; `n` is its element count.
  bool fixarray_any(std::uint8_t& n) {
    std::uint8_t b;
    if (!byte(b) || (b & 0xf0) != 0x90) return false;
    n = b & 0x0f;
    return true;
  }
  // An unsigned integer in any canonical width up to 32 bits, at most `max`.
  bool uint(std::uint32_t& v, std::uint32_t max) {
    std::uint8_t b;
    if (!byte(b)) return false;
    std::size_t width;
    if (b <= 0x7f) {
      v = b;
      return v <= max;
    } else if (b == 0xcc) {
      width = 1;
    } else if (b == 0xcd) {
      width = 2;
    } else if (b == 0xce) {
      width = 4;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end_ - p_) < width) return false;
    v = 0;
    for (std::size_t i = 0; i < width; ++i) v = (v << 8) | *p_++;
    return v <= max;
  }
  // A bin8 of exactly n bytes; `out` points at them.
  bool bin(std::size_t n, const std::uint8_t*& out) {
    std::uint8_t b, len;
    if (!byte(b) || b != 0xc4 || !byte(len) || len != n || static_cast<std::size_t>(end_ - p_) < n) return false;
    out = p_;
    p_ += n;
    return true;
  }
  bool id(NodeId& id) {
    const std::uint8_t* b;
    if (!bin(NodeId::kSize, b)) return false;
    NodeId::Bytes bytes;
    std::memcpy(bytes.data(), b, NodeId::kSize);
    id = NodeId{bytes};
    return true;
  }
  // Families 4 and 6 only (family 0 is left to the general decoder).
  bool address(Address& a) {
    std::uint32_t family = 0, port = 0;
    const std::uint8_t* ip;
    if (!fixarray(3) || !uint(family, 6) || (family != 4 && family != 6)) return false;
    const std::size_t ip_size = family == 4 ? 4 : 16;
    return bin(ip_size, ip) && uint(port, 0xffff) &&
           make_address(family, ip, ip_size, static_cast<std::uint16_t>(port), a);
  }
  bool boolean(bool& v) {
    std::uint8_t b;
    if (!byte(b) || (b != 0xc2 && b != 0xc3)) return false;
    v = b == 0xc3;
    return true;
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

bool fixed_message(FixedReader& in, Message& out) {
  std::uint8_t n, type;
  if (!in.fixarray_any(n) || !in.byte(type)) return false;
  const auto t = static_cast<MsgType>(type);
  if (t == MsgType::ping && n == 5) {
    auto& m = out.emplace<Ping>();
    return in.uint(m.seq, 0xffffffffu) && in.id(m.target) && in.id(m.source) && in.address(m.source_addr);
  }
  if (t == MsgType::ack && n == 3) {
    auto& m = out.emplace<Ack>();
    return in.uint(m.seq, 0xffffffffu) && in.id(m.source);
  }
  if (t == MsgType::ping_req && n == 7) {
    auto& m = out.emplace<PingReq>();
    return in.uint(m.seq, 0xffffffffu) && in.id(m.target) && in.address(m.target_addr) && in.id(m.source) &&
           in.address(m.source_addr) && in.boolean(m.want_nack);
  }
  if (t == MsgType::nack && n == 3) {
    auto& m = out.emplace<Nack>();
    return in.uint(m.seq, 0xffffffffu) && in.id(m.source);
  }
  return false;
}

// True (and r.messages filled) if the whole packet is in the fast path's form; otherwise false
// with r.messages empty.
bool decode_fixed(std::span<const std::uint8_t> bytes, DecodeResult& r) {
  FixedReader in(bytes.subspan(1));
  std::uint8_t n = 0;
  bool ok = in.fixarray_any(n) && n > 0;
  for (std::uint8_t i = 0; ok && i < n; ++i) ok = fixed_message(in, r.messages.emplace_back());
  if (ok && in.at_end()) return true;
  r.messages.clear();
  return false;
}
}  // namespace

void append_message(Bytes& out, const Message& m) {
  ByteSink sink(&out);
  Packer p(sink);
  std::visit([&p](const auto& msg) { put_message(p, msg); }, m);
  sink.flush();
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
  ByteSink sink(&out);
  Packer p(sink);
  p.pack_array(static_cast<std::uint32_t>(messages.size()));
  for (const auto& m : messages) std::visit([&p](const auto& msg) { put_message(p, msg); }, m);
  sink.flush();
  return out;
}

namespace {

// The checks every packet gets before its body is read; false (and `r` failed) if one fails.
bool precheck(std::span<const std::uint8_t> bytes, DecodeResult& r, std::size_t max_bytes) {
  r.messages.clear();
  r.error = DecodeError::none;
  r.unknown_skipped = 0;
  r.detail.clear();
  if (bytes.empty()) {
    fail(r, DecodeError::empty, "empty packet");
  } else if (bytes.size() > max_bytes) {
    fail(r, DecodeError::too_large, std::to_string(bytes.size()) + " bytes");
  } else if (bytes[0] != kProtocolVersion) {
    fail(r, DecodeError::bad_version, "protocol version " + std::to_string(bytes[0]));
  }
  return r.error == DecodeError::none;
}

void general_body(std::span<const std::uint8_t> bytes, DecodeResult& r) {
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

}  // namespace

void decode_packet_general_into(std::span<const std::uint8_t> bytes, DecodeResult& r, std::size_t max_bytes) {
  if (precheck(bytes, r, max_bytes)) general_body(bytes, r);
}

void decode_packet_into(std::span<const std::uint8_t> bytes, DecodeResult& r, std::size_t max_bytes) {
  if (!precheck(bytes, r, max_bytes)) return;
  if (decode_fixed(bytes, r)) {
#ifndef NDEBUG
    DecodeResult general;
    general_body(bytes, general);
    assert(general.error == DecodeError::none && general.unknown_skipped == 0 && general.messages == r.messages &&
           "the probe fast path and the general decoder disagree");
#endif
    return;
  }
  general_body(bytes, r);
}

DecodeResult decode_packet(std::span<const std::uint8_t> bytes, std::size_t max_bytes) {
  DecodeResult r;
  decode_packet_into(bytes, r, max_bytes);
  return r;
}

}  // namespace rollcall::gossip::wire
