// The decoder's fast path for probe packets (decode_packet_into in Codec.h): it must give exactly
// what the general decoder gives, for canonical probe packets, for other encodings of the same
// values (which it leaves to the general decoder), and for mutated bytes of any kind.
#include <gtest/gtest.h>

#include <msgpack.hpp>

#include "gossip/wire/Codec.h"
#include "membership/Rng.h"
#include "wire/Hex.h"
#include "wire/Seed.h"

namespace rollcall::gossip::wire {
namespace codec_fast_path_test {

using membership::Address;
using membership::NodeId;
using testing::from_hex;

void expect_same(std::span<const std::uint8_t> bytes, const std::string& what) {
  DecodeResult fast, general;
  decode_packet_into(bytes, fast);
  decode_packet_general_into(bytes, general);
  ASSERT_EQ(fast.error, general.error) << what << ": " << testing::to_hex(Bytes(bytes.begin(), bytes.end()));
  ASSERT_EQ(fast.messages, general.messages) << what;
  ASSERT_EQ(fast.unknown_skipped, general.unknown_skipped) << what;
  ASSERT_EQ(fast.detail, general.detail) << what;
}

NodeId random_id(membership::Rng& rng) { return NodeId::from_words(rng(), rng()); }

Address random_address(membership::Rng& rng) {
  if (rng.below(2) == 0) return Address::v4(static_cast<std::uint32_t>(rng()), static_cast<std::uint16_t>(rng()));
  std::array<std::uint8_t, 16> ip;
  for (auto& b : ip) b = static_cast<std::uint8_t>(rng());
  return Address::v6(ip, static_cast<std::uint16_t>(rng()));
}

// Sequence numbers spread over every msgpack width (fixint, uint8, uint16, uint32).
std::uint32_t random_seq(membership::Rng& rng) {
  static constexpr std::uint32_t kMax[] = {0x7f, 0xff, 0xffff, 0xffffffffu};
  return static_cast<std::uint32_t>(rng() % (std::uint64_t{kMax[rng.below(4)]} + 1));
}

Message random_probe_message(membership::Rng& rng) {
  switch (rng.below(4)) {
    case 0: return Ping{random_seq(rng), random_id(rng), random_id(rng), random_address(rng)};
    case 1: return PingReq{random_seq(rng), random_id(rng), random_address(rng), random_id(rng), random_address(rng),
                           rng.below(2) == 1};
    case 2: return Ack{random_seq(rng), random_id(rng)};
    default: return Nack{random_seq(rng), random_id(rng)};
  }
}

std::vector<Message> random_probe_packet(membership::Rng& rng) {
  std::vector<Message> msgs(1 + rng.below(15));  // 1..15: the fixarray the fast path reads
  for (auto& m : msgs) m = random_probe_message(rng);
  return msgs;
}

TEST(CodecFastPath, RandomProbePacketsRoundTrip) {
  membership::Rng rng(testing::test_seed("CodecFastPath.RandomProbePacketsRoundTrip"));
  for (int i = 0; i < 5000; ++i) {
    const auto msgs = random_probe_packet(rng);
    const Bytes packet = encode_packet(msgs);
    DecodeResult r;
    decode_packet_into(packet, r);
    ASSERT_TRUE(r.ok()) << r.detail;
    ASSERT_EQ(r.messages, msgs);
    expect_same(packet, "canonical packet " + std::to_string(i));
  }
}

// Other encodings of the same values, which the general decoder accepts: same result either way.
TEST(CodecFastPath, NonCanonicalEncodingsDecodeLikeCanonicalOnes) {
  const std::string id1 = "c410 000102030405060708090a0b0c0d0e0f ";
  const std::string id2 = "c410 101112131415161718191a1b1c1d1e1f ";
  const NodeId a = NodeId::parse("000102030405060708090a0b0c0d0e0f").value();
  const NodeId b = NodeId::parse("101112131415161718191a1b1c1d1e1f").value();
  const Address v4 = Address::v4(0x0A000001, 7946);
  struct Case {
    std::string name, hex;
    std::vector<Message> expected;
    std::uint32_t unknown = 0;
  };
  const std::vector<Case> cases = {
      {"no message at all", "01 90", {}},
      {"canonical ack", "01 91 93 03 05 " + id1, {Ack{5, a}}},
      {"seq as uint64", "01 91 93 03 cf0000000000000005 " + id1, {Ack{5, a}}},
      {"small seq as uint32", "01 91 93 03 ce00000005 " + id1, {Ack{5, a}}},
      {"message as array16", "01 91 dc0003 03 05 " + id1, {Ack{5, a}}},
      {"packet as array16", "01 dc0001 93 03 05 " + id1, {Ack{5, a}}},
      {"extra trailing field", "01 91 94 03 05 " + id1 + "c0", {Ack{5, a}}},
      {"address with a 4th element", "01 91 95 01 05 " + id1 + id2 + "94 04 c404 0a000001 cd1f0a c0",
       {Ping{5, a, b, v4}}},
      {"port as uint32", "01 91 95 01 05 " + id1 + id2 + "93 04 c404 0a000001 ce00001f0a", {Ping{5, a, b, v4}}},
      {"family 0", "01 91 95 01 05 " + id1 + id2 + "93 00 c400 cd1f0a", {Ping{5, a, b, Address{}.with_port(7946)}}},
      {"ping then member update",
       "01 92 95 01 05 " + id1 + id2 + "93 04 c404 0a000001 cd1f0a " + "97 05 " + id1 +
           "a6 6e6f64652d61 93 04 c404 0a000001 cd1f0a 92 03 07 01 " + id2,
       {Ping{5, a, b, v4}, MemberUpdate{a, "node-a", v4, membership::Incarnation{3, 7}, membership::MemberState::suspect, b}}},
      {"unknown type skipped", "01 92 93 03 05 " + id1 + "91 63", {Ack{5, a}}, 1},
  };
  for (const auto& c : cases) {
    const Bytes bytes = from_hex(c.hex);
    DecodeResult r;
    decode_packet_into(bytes, r);
    ASSERT_TRUE(r.ok()) << c.name << ": " << r.detail;
    EXPECT_EQ(r.messages, c.expected) << c.name;
    EXPECT_EQ(r.unknown_skipped, c.unknown) << c.name;
    expect_same(bytes, c.name);
  }
}

// Probe-shaped input the general decoder refuses is refused the same way.
TEST(CodecFastPath, MalformedProbePacketsFailLikeTheGeneralDecoder) {
  const std::string id1 = "c410 000102030405060708090a0b0c0d0e0f ";
  for (const std::string& hex : std::vector<std::string>{
           "01 91 93 03 05",                             // ack without its source
           "01 91 93 03 05 c40f 000102030405060708090a0b0c0d0e",  // 15-byte id
           "01 91 93 03 e0 " + id1,                      // negative seq
           "01 91 93 03 cf0000000100000000 " + id1,      // seq beyond 32 bits
           "01 91 93 03 05 " + id1 + "00",               // trailing byte
           "01 91 97 02 05 " + id1 + "93 04 c404 0a000001 cd1f0a " + id1 + "93 04 c404 0a000001 cd1f0a 01",  // bool as int
           "01 91 95 01 05 " + id1 + id1 + "93 04 c410 00000000000000000000000000000001 cd1f0a",  // v4 with 16 bytes
           "01 91 95 01 05 " + id1 + id1 + "93 04 c404 0a000001 ce00010000",  // port beyond 16 bits
       }) {
    const Bytes bytes = from_hex(hex);
    DecodeResult r;
    decode_packet_into(bytes, r);
    EXPECT_FALSE(r.ok()) << hex;
    expect_same(bytes, hex);
  }
}

// Random damage to probe packets (flipped bytes, truncation, extension): whatever the general
// decoder makes of the bytes, decode_packet_into makes the same.
TEST(CodecFastPath, MutatedProbePacketsDecodeLikeTheGeneralDecoder) {
  membership::Rng rng(testing::test_seed("CodecFastPath.MutatedProbePacketsDecodeLikeTheGeneralDecoder"));
  for (int i = 0; i < 20000; ++i) {
    Bytes packet = encode_packet(random_probe_packet(rng));
    const auto edits = 1 + rng.below(3);
    for (std::uint64_t e = 0; e < edits; ++e) {
      switch (rng.below(4)) {
        case 0:  // one byte replaced by a random one
          packet[rng.below(packet.size())] = static_cast<std::uint8_t>(rng());
          break;
        case 1:  // a byte replaced by a msgpack type marker
          packet[rng.below(packet.size())] = std::array<std::uint8_t, 8>{0x90, 0x93, 0xc0, 0xc2, 0xc4, 0xcc, 0xce, 0xdc}[rng.below(8)];
          break;
        case 2:  // truncated
          packet.resize(1 + rng.below(packet.size()));
          break;
        default:  // a random byte appended
          packet.push_back(static_cast<std::uint8_t>(rng()));
          break;
      }
    }
    expect_same(packet, "mutation " + std::to_string(i));
  }
}

}  // namespace codec_fast_path_test
}  // namespace rollcall::gossip::wire
