// Round trips of every message type and golden encodings (an accidental format change fails here).
#include <gtest/gtest.h>

#include "gossip/wire/Codec.h"
#include "wire/Hex.h"
#include "wire/Samples.h"

namespace rollcall::gossip::wire {
namespace codec_test {

using testing::from_hex;
using testing::to_hex;

TEST(Codec, EveryMessageRoundTripsAlone) {
  for (const auto& m : samples::all_messages()) {
    const Bytes packet = encode_packet(std::span<const Message>(&m, 1));
    const DecodeResult r = decode_packet(packet, kMaxStream);
    ASSERT_TRUE(r.ok()) << to_string(r.error) << " " << r.detail << " type index " << m.index();
    ASSERT_EQ(r.messages.size(), 1u);
    EXPECT_EQ(r.messages[0], m) << "type index " << m.index() << " bytes " << to_hex(packet);
    EXPECT_EQ(r.unknown_skipped, 0u);
  }
}

TEST(Codec, AllMessagesRoundTripInOnePacket) {
  const auto all = samples::all_messages();
  const Bytes packet = encode_packet(all);
  const DecodeResult r = decode_packet(packet, kMaxStream);
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.messages, all);
}

TEST(Codec, EveryMessageTypeIsCovered) {
  std::vector<bool> seen(std::variant_size_v<Message>, false);
  for (const auto& m : samples::all_messages()) seen[m.index()] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "no sample for alternative " << i;
}

TEST(Codec, EveryStateAndClusterValueAlternativeIsCovered) {
  std::vector<bool> state(std::variant_size_v<membership::StateValue>, false);
  for (const auto& e : samples::all_state_entries()) state[e.value.index()] = true;
  for (std::size_t i = 0; i < state.size(); ++i) EXPECT_TRUE(state[i]) << "StateValue " << i;
  std::vector<bool> cluster(std::variant_size_v<membership::ClusterValue>, false);
  for (const auto& c : samples::all_cluster_items()) cluster[c.value.index()] = true;
  for (std::size_t i = 0; i < cluster.size(); ++i) EXPECT_TRUE(cluster[i]) << "ClusterValue " << i;
}

TEST(Codec, EncodeMessageEqualsPacketBody) {
  const auto all = samples::all_messages();
  Bytes manual{kProtocolVersion, 0xdc, 0x00, static_cast<std::uint8_t>(all.size())};
  ASSERT_GE(all.size(), 16u);  // array16 header
  for (const auto& m : all) {
    const Bytes one = encode_message(m);
    manual.insert(manual.end(), one.begin(), one.end());
  }
  EXPECT_EQ(manual, encode_packet(all));
}

TEST(Codec, AppendMessageAppends) {
  Bytes out{0xaa};
  append_message(out, Ack{1, samples::id(1)});
  EXPECT_EQ(out[0], 0xaa);
  EXPECT_EQ(Bytes(out.begin() + 1, out.end()), encode_message(Ack{1, samples::id(1)}));
}

TEST(Codec, DecodeIntoReusesResultAndResetsIt) {
  DecodeResult r;
  decode_packet_into(from_hex("02 90"), r);
  EXPECT_EQ(r.error, DecodeError::bad_version);
  EXPECT_FALSE(r.detail.empty());
  const Message ack = Ack{3, samples::id(3)};
  decode_packet_into(encode_packet(std::span<const Message>(&ack, 1)), r);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.detail.empty());
  ASSERT_EQ(r.messages.size(), 1u);
  EXPECT_EQ(r.messages[0], ack);
}

// ---- golden bytes

const membership::NodeId kId1 = membership::NodeId::from_words(0x0102030405060708ULL, 0x090a0b0c0d0e0f10ULL);
const membership::NodeId kId2 = membership::NodeId::from_words(0x1112131415161718ULL, 0x191a1b1c1d1e1f20ULL);
constexpr const char* kId1Hex = "c410 0102030405060708090a0b0c0d0e0f10";
constexpr const char* kId2Hex = "c410 1112131415161718191a1b1c1d1e1f20";

std::string golden(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (auto p : parts) s += p;
  return to_hex(from_hex(s));
}

TEST(CodecGolden, AckPacket) {
  const Message m = Ack{5, kId1};
  EXPECT_EQ(to_hex(encode_packet(std::span<const Message>(&m, 1))), golden({"01 91 93 03 05 ", kId1Hex}));
}

TEST(CodecGolden, PingWithIpv4) {
  const Message m = Ping{300, kId1, kId2, membership::Address::v4(0x0A000001, 7946)};
  EXPECT_EQ(to_hex(encode_message(m)),
            golden({"95 01 cd012c ", kId1Hex, kId2Hex, "93 04 c404 0a000001 cd1f0a"}));
}

TEST(CodecGolden, MemberUpdateWithIpv6) {
  std::array<std::uint8_t, 16> loop{};
  loop[15] = 1;
  const Message m = MemberUpdate{kId1, "node-a", membership::Address::v6(loop, 7946),
                                 membership::Incarnation{3, 7}, membership::MemberState::suspect, kId2};
  EXPECT_EQ(to_hex(encode_message(m)),
            golden({"97 05 ", kId1Hex, "a6 6e6f64652d61 ", "93 06 c410 00000000000000000000000000000001 cd1f0a ",
                    "92 03 07 01 ", kId2Hex}));
}

TEST(CodecGolden, StateDeltaWithHeartbeatVerificationAndDeletion) {
  const Message m = StateDelta{
      kId1,
      {membership::StateEntry{"heartbeat/web", 12, membership::Heartbeat{42}},
       membership::StateEntry{"key/x", 13, std::monostate{}},
       membership::StateEntry{"verify/web", 14, membership::Verification{membership::Verification::Result::ok, "", -1}}}};
  EXPECT_EQ(to_hex(encode_message(m)),
            golden({"93 06 ", kId1Hex, "93 ", "94 ad 6865617274626561742f776562 0c 03 91 2a ",
                    "94 a5 6b65792f78 0d 00 c0 ", "94 aa 7665726966792f776562 0e 04 93 01 a0 ff"}));
}

TEST(CodecGolden, ClusterConfigItem) {
  const Message m = ClusterItemMsg{membership::ClusterItem{"config", 9, kId2, membership::ClusterConfig{}}};
  EXPECT_EQ(to_hex(encode_message(m)),
            golden({"92 07 95 a6 636f6e666967 09 ", kId2Hex, "00 95 c3 c3 cd7530 ce000493e0 ce05265c00"}));
}

TEST(CodecGolden, EmptyPushPullRequestJoin) {
  const Message m = PushPullRequest{true, {}, {}, {}};
  EXPECT_EQ(to_hex(encode_message(m)), "9508c3909090");
}

TEST(CodecGolden, StatePushWithDigest) {
  const Message m = StatePush{{}, {}, {DigestEntry{kId1, 300}}};
  EXPECT_EQ(to_hex(encode_message(m)), golden({"94 0a 90 90 91 92 ", kId1Hex, "cd012c"}));
}

}  // namespace codec_test
}  // namespace rollcall::gossip::wire
