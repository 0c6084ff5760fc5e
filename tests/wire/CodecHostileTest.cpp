// The decoder against truncated, random, hostile and forward-compatible input: it returns an error
// value (never throws, never crashes, never allocates by a claimed length), skips unknown message
// types, and ignores extra trailing fields.
#include <gtest/gtest.h>

#include <msgpack.hpp>

#include "gossip/wire/Codec.h"
#include "membership/Rng.h"
#include "wire/AllocTracker.h"
#include "wire/Hex.h"
#include "wire/Samples.h"
#include "wire/Seed.h"

namespace rollcall::gossip::wire {
namespace codec_hostile_test {

using testing::from_hex;
using testing::to_hex;
using Pk = msgpack::packer<msgpack::sbuffer>;

// Builds a packet by hand: version byte + msgpack written by `body`.
template <class F>
Bytes handmade(F body) {
  msgpack::sbuffer sb;
  Pk p(sb);
  body(p);
  Bytes out{kProtocolVersion};
  out.insert(out.end(), reinterpret_cast<const std::uint8_t*>(sb.data()),
             reinterpret_cast<const std::uint8_t*>(sb.data()) + sb.size());
  return out;
}

void node_id(Pk& p, const membership::NodeId& id) {
  p.pack_bin(16);
  p.pack_bin_body(reinterpret_cast<const char*>(id.bytes().data()), 16);
}

// An Ack with `extra` appended to its encoding (as its own packet of one message).
template <class F>
Bytes ack_with(std::uint32_t fields, F fill) {
  return handmade([&](Pk& p) {
    p.pack_array(1);
    p.pack_array(fields);
    fill(p);
  });
}

TEST(CodecHostile, EmptyTooLargeAndWrongVersion) {
  EXPECT_EQ(decode_packet({}).error, DecodeError::empty);
  Bytes big(kMaxDatagram + 1, 0);
  big[0] = kProtocolVersion;
  EXPECT_EQ(decode_packet(big).error, DecodeError::too_large);
  EXPECT_EQ(decode_packet(from_hex("01 90"), 1).error, DecodeError::too_large);
  EXPECT_EQ(decode_packet(from_hex("02 90")).error, DecodeError::bad_version);
  EXPECT_EQ(decode_packet(from_hex("00 90")).error, DecodeError::bad_version);
  EXPECT_EQ(decode_packet(from_hex("90")).error, DecodeError::bad_version);
  const DecodeResult ok = decode_packet(from_hex("01 90"));
  EXPECT_TRUE(ok.ok());
  EXPECT_TRUE(ok.messages.empty());
}

TEST(CodecHostile, EveryPrefixOfAValidPacketIsAnError) {
  const Bytes full = encode_packet(samples::all_messages());
  ASSERT_TRUE(decode_packet(full, kMaxStream).ok());
  for (std::size_t n = 0; n < full.size(); ++n) {
    const DecodeResult r = decode_packet(std::span(full.data(), n), kMaxStream);
    ASSERT_NE(r.error, DecodeError::none) << "prefix " << n << " of " << full.size();
    EXPECT_TRUE(r.messages.empty());
  }
}

TEST(CodecHostile, TrailingBytesAfterTheArrayAreMalformed) {
  Bytes b = from_hex("01 90 00");
  EXPECT_EQ(decode_packet(b).error, DecodeError::malformed);
}

TEST(CodecHostile, RandomGarbageNeverCrashes) {
  const auto seed = testing::test_seed("CodecHostile.RandomGarbageNeverCrashes");
  membership::Rng rng(seed);
  std::size_t ok = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b(rng.below(200));
    for (auto& v : b) v = static_cast<std::uint8_t>(rng());
    if (!b.empty() && rng.below(4) != 0) b[0] = kProtocolVersion;  // get past the version byte
    const DecodeResult r = decode_packet(b);
    if (r.ok()) {
      ++ok;
    } else {
      EXPECT_TRUE(r.messages.empty());
    }
  }
  std::cout << "[ info     ] " << ok << " of 20000 random inputs decoded\n";
}

TEST(CodecHostile, MutatedValidPacketsNeverCrash) {
  const auto seed = testing::test_seed("CodecHostile.MutatedValidPacketsNeverCrash");
  membership::Rng rng(seed);
  const Bytes full = encode_packet(samples::all_messages());
  for (int i = 0; i < 5000; ++i) {
    Bytes b = full;
    const auto flips = 1 + rng.below(8);
    for (std::uint64_t k = 0; k < flips; ++k) b[1 + rng.below(b.size() - 1)] = static_cast<std::uint8_t>(rng());
    if (rng.below(2)) b.resize(1 + rng.below(b.size()));
    const DecodeResult r = decode_packet(b, kMaxStream);
    if (!r.ok()) {
      EXPECT_TRUE(r.messages.empty());
    }
  }
}

TEST(CodecHostile, HugeClaimedLengthsFailWithoutBigAllocation) {
  const std::vector<std::string> inputs = {
      "dd dd dd 00 2f",                 // the classic: bad version here
      "01 dd dd dd 00 2f",              // array32 of 3.7e9 elements
      "01 91 dd dd dd 00 2f",           // nested
      "01 dd ff ff ff ff",              // array32 max
      "01 dc ff ff",                    // array16 max, no elements
      "01 de ff ff",                    // map16 max
      "01 df ff ff ff ff",              // map32 max
      "01 91 db ff ff ff ff 41",        // str32 max
      "01 91 c6 ff ff ff ff 41",        // bin32 max
      "01 91 c9 ff ff ff ff 01 41",     // ext32 max
      "01 91 95 01 ce ff ff ff ff c6 7f ff ff ff",  // ping whose target claims 2 GiB
      "01 91 dc ff ff dc ff ff dc ff ff dc ff ff dc ff ff dc ff ff dc ff ff",  // nested array16s
  };
  for (const auto& hex : inputs) {
    const Bytes b = from_hex(hex);
    testing::AllocScope scope;
    const DecodeResult r = decode_packet(b, kMaxStream);
    const std::size_t largest = scope.largest();
    EXPECT_NE(r.error, DecodeError::none) << hex;
    EXPECT_LT(largest, 64u * 1024) << hex;
  }
}

TEST(CodecHostile, ManyOneByteElementsDoNotAmplifyAllocation) {
  // 60000 nils claiming to be messages: the decoder fails on the first without reserving 60000.
  Bytes b = handmade([](Pk& p) {
    p.pack_array(60000);
    for (int i = 0; i < 60000; ++i) p.pack_nil();
  });
  testing::AllocScope scope;
  EXPECT_EQ(decode_packet(b).error, DecodeError::malformed);
  EXPECT_LT(scope.largest(), 256u * 1024);
}

TEST(CodecHostile, DeepNestingIsRejected) {
  Bytes b{kProtocolVersion};
  b.insert(b.end(), 200, 0x91);
  b.push_back(0xc0);
  EXPECT_EQ(decode_packet(b).error, DecodeError::malformed);
}

TEST(CodecHostile, DeepestRealMessageFitsTheDepthLimit) {
  // PushPullResponse > deltas > delta > entries > entry > ServerInfo > labels: the deepest shape.
  const Message m = PushPullResponse{{}, {StateDelta{samples::id(1), samples::all_state_entries()}}, {}, {}, {}};
  const DecodeResult r = decode_packet(encode_packet(std::span<const Message>(&m, 1)));
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.messages[0], m);
}

TEST(CodecHostile, UnknownMessageTypesAreSkippedAndCounted) {
  const Message ack = Ack{5, samples::id(5)};
  const Message ping = Ping{6, samples::id(6), samples::id(7), samples::v4()};
  const Bytes ack_b = encode_message(ack), ping_b = encode_message(ping);
  Bytes b{kProtocolVersion, 0x94};
  b.insert(b.end(), ack_b.begin(), ack_b.end());
  const Bytes unknown = handmade([](Pk& p) {
    p.pack_array(3);
    p.pack_uint8(200);
    p.pack_str(5);
    p.pack_str_body("hello", 5);
    p.pack_map(1);
    p.pack_uint8(1);
    p.pack_array(0);
  });
  b.insert(b.end(), unknown.begin() + 1, unknown.end());
  b.insert(b.end(), ping_b.begin(), ping_b.end());
  b.insert(b.end(), {0x91, 0x00});  // type 0 is never assigned: unknown too
  const DecodeResult r = decode_packet(b);
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.unknown_skipped, 2u);
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0], ack);
  EXPECT_EQ(r.messages[1], ping);
}

TEST(CodecHostile, ExtraTrailingFieldsAreIgnored) {
  const auto id = samples::id(9);
  // Ack with two extra fields.
  DecodeResult r = decode_packet(ack_with(5, [&](Pk& p) {
    p.pack_uint8(3);
    p.pack_uint32(77);
    node_id(p, id);
    p.pack_str(3);
    p.pack_str_body("new", 3);
    p.pack_array(2);
    p.pack_true();
    p.pack_nil();
  }));
  ASSERT_TRUE(r.ok()) << r.detail;
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0], Message(Ack{77, id}));

  // Extra fields inside nested values: Address, Incarnation, and a Heartbeat value array.
  r = decode_packet(handmade([&](Pk& p) {
    p.pack_array(2);
    p.pack_array(7);  // MemberUpdate
    p.pack_uint8(5);
    node_id(p, id);
    p.pack_str(1);
    p.pack_str_body("n", 1);
    p.pack_array(4);  // Address + 1 extra
    p.pack_uint8(4);
    p.pack_bin(4);
    p.pack_bin_body("\x7f\x00\x00\x01", 4);
    p.pack_uint16(80);
    p.pack_str(1);
    p.pack_str_body("x", 1);
    p.pack_array(3);  // Incarnation + 1 extra
    p.pack_uint8(1);
    p.pack_uint8(2);
    p.pack_uint8(3);
    p.pack_uint8(0);
    node_id(p, id);
    p.pack_array(3);  // StateDelta
    p.pack_uint8(6);
    node_id(p, id);
    p.pack_array(1);
    p.pack_array(5);  // entry + 1 extra
    p.pack_str(2);
    p.pack_str_body("hb", 2);
    p.pack_uint8(4);
    p.pack_uint8(3);
    p.pack_array(2);  // Heartbeat + 1 extra
    p.pack_uint8(42);
    p.pack_double(1.5);
    p.pack_nil();
  }));
  ASSERT_TRUE(r.ok()) << r.detail;
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[0], Message(MemberUpdate{id, "n", membership::Address::v4(0x7f000001, 80),
                                                membership::Incarnation{1, 2}, membership::MemberState::alive, id}));
  EXPECT_EQ(r.messages[1], Message(StateDelta{id, {membership::StateEntry{"hb", 4, membership::Heartbeat{42}}}}));
}

// Each of these is one message with exactly one thing wrong.
TEST(CodecHostile, InvalidFieldsAreMalformed) {
  const auto id = samples::id(1);
  struct Case {
    const char* name;
    Bytes bytes;
  };
  auto ack = [&](auto seq_writer, auto id_writer) {
    return ack_with(3, [&](Pk& p) {
      p.pack_uint8(3);
      seq_writer(p);
      id_writer(p);
    });
  };
  auto good_seq = [](Pk& p) { p.pack_uint32(1); };
  auto good_id = [&](Pk& p) { node_id(p, id); };
  auto address_ping = [&](std::uint8_t family, std::uint32_t ip_len, std::uint32_t port) {
    return ack_with(5, [&](Pk& p) {
      p.pack_uint8(1);
      p.pack_uint32(1);
      node_id(p, id);
      node_id(p, id);
      p.pack_array(3);
      p.pack_uint8(family);
      p.pack_bin(ip_len);
      p.pack_bin_body("0123456789abcdef", ip_len);
      p.pack_uint32(port);
    });
  };
  auto member = [&](std::uint8_t state) {
    return ack_with(7, [&](Pk& p) {
      p.pack_uint8(5);
      node_id(p, id);
      p.pack_str(0);
      p.pack_str_body("", 0);
      p.pack_array(3);
      p.pack_uint8(0);
      p.pack_bin(0);
      p.pack_bin_body("", 0);
      p.pack_uint8(0);
      p.pack_array(2);
      p.pack_uint8(1);
      p.pack_uint8(1);
      p.pack_uint8(state);
      node_id(p, id);
    });
  };
  auto entry = [&](std::uint8_t tag, auto value_writer) {
    return ack_with(3, [&](Pk& p) {
      p.pack_uint8(6);
      node_id(p, id);
      p.pack_array(1);
      p.pack_array(4);
      p.pack_str(1);
      p.pack_str_body("k", 1);
      p.pack_uint8(1);
      p.pack_uint8(tag);
      value_writer(p);
    });
  };
  auto cluster = [&](std::uint8_t tag) {
    return ack_with(2, [&](Pk& p) {
      p.pack_uint8(7);
      p.pack_array(5);
      p.pack_str(1);
      p.pack_str_body("k", 1);
      p.pack_uint8(1);
      node_id(p, id);
      p.pack_uint8(tag);
      p.pack_array(5);
      for (int i = 0; i < 5; ++i) p.pack_uint8(1);
    });
  };
  const std::vector<Case> cases = {
      {"missing field", ack_with(2, [&](Pk& p) { p.pack_uint8(3); p.pack_uint32(1); })},
      {"seq > u32", ack([](Pk& p) { p.pack_uint64(1ULL << 32); }, good_id)},
      {"seq negative", ack([](Pk& p) { p.pack_int8(-1); }, good_id)},
      {"seq as str", ack([](Pk& p) { p.pack_str(1); p.pack_str_body("1", 1); }, good_id)},
      {"id 15 bytes", ack(good_seq, [&](Pk& p) { p.pack_bin(15); p.pack_bin_body("012345678901234", 15); })},
      {"id 17 bytes", ack(good_seq, [&](Pk& p) { p.pack_bin(17); p.pack_bin_body("01234567890123456", 17); })},
      {"id as str", ack(good_seq, [&](Pk& p) { p.pack_str(16); p.pack_str_body("0123456789012345", 16); })},
      {"v4 with 16-byte ip", address_ping(4, 16, 80)},
      {"v6 with 4-byte ip", address_ping(6, 4, 80)},
      {"family 5", address_ping(5, 4, 80)},
      {"none with ip", address_ping(0, 4, 80)},
      {"port > 65535", address_ping(4, 4, 65536)},
      {"state 4", member(4)},
      {"state tag out of range", entry(7, [](Pk& p) { p.pack_nil(); })},
      {"deleted value not nil", entry(0, [](Pk& p) { p.pack_array(0); })},
      {"heartbeat value empty", entry(3, [](Pk& p) { p.pack_array(0); })},
      {"verification result 3", entry(4, [](Pk& p) {
         p.pack_array(3);
         p.pack_uint8(3);
         p.pack_str(0);
         p.pack_str_body("", 0);
         p.pack_uint8(0);
       })},
      {"cluster tag out of range", cluster(2)},
      {"config with ints for bools", cluster(0)},
      {"message not an array", handmade([](Pk& p) { p.pack_array(1); p.pack_uint8(3); })},
      {"message empty array", handmade([](Pk& p) { p.pack_array(1); p.pack_array(0); })},
      {"type not an int", handmade([](Pk& p) { p.pack_array(1); p.pack_array(1); p.pack_nil(); })},
      {"body not an array", handmade([](Pk& p) { p.pack_map(0); })},
  };
  for (const auto& c : cases) {
    const DecodeResult r = decode_packet(c.bytes);
    EXPECT_EQ(r.error, DecodeError::malformed) << c.name << ": " << to_hex(c.bytes);
    EXPECT_TRUE(r.messages.empty()) << c.name;
    EXPECT_FALSE(r.detail.empty()) << c.name;
  }
}

}  // namespace codec_hostile_test
}  // namespace rollcall::gossip::wire
