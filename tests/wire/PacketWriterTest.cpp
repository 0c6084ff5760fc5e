// PacketWriter: never exceeds its limit (randomized message sizes, including across the fixarray ->
// array16 header change), refuses without changing state, and produces decodable packets.
#include <gtest/gtest.h>

#include "gossip/wire/Codec.h"
#include "gossip/wire/PacketWriter.h"
#include "membership/Rng.h"
#include "wire/Samples.h"
#include "wire/Seed.h"

namespace rollcall::gossip::wire {
namespace packet_writer_test {

// A message whose encoding is roughly `size` bytes (an Ack, or a MemberUpdate with a long name).
Bytes message_of_about(std::size_t size, std::uint64_t n) {
  if (size < 40) return encode_message(Ack{static_cast<std::uint32_t>(n), samples::id(n)});
  auto m = samples::member(n, membership::MemberState::alive, samples::v4());
  m.name.assign(size - 40, 'x');
  return encode_message(m);
}

TEST(PacketWriter, EmptyPacketIsTwoBytesAndDecodes) {
  PacketWriter w(1200);
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(w.remaining(), 1198u);
  const Bytes b = w.finish();
  EXPECT_EQ(b, (Bytes{kProtocolVersion, 0x90}));
  EXPECT_TRUE(decode_packet(b).ok());
}

TEST(PacketWriter, ExactFitAcceptedOneMoreByteRefused) {
  const Bytes m = encode_message(Ack{1, samples::id(1)});
  PacketWriter exact(2 + m.size());
  EXPECT_TRUE(exact.add(m));
  EXPECT_EQ(exact.remaining(), 0u);
  EXPECT_EQ(exact.finish().size(), 2 + m.size());
  PacketWriter short_by_one(1 + m.size());
  EXPECT_FALSE(short_by_one.add(m));
  EXPECT_EQ(short_by_one.count(), 0u);
  EXPECT_EQ(short_by_one.size(), 2u);
}

TEST(PacketWriter, HeaderGrowthAtSixteenMessagesIsAccounted) {
  const Bytes ack = encode_message(Ack{1, samples::id(1)});
  // Room for exactly 16 acks with a 1-byte header, but the 16th needs a 3-byte header.
  PacketWriter w(1 + 1 + 16 * ack.size());
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(w.add(ack)) << i;
  EXPECT_EQ(w.size(), 2 + 15 * ack.size());
  EXPECT_FALSE(w.add(ack));  // would need 1 + 3 + 16 * ack.size() bytes
  EXPECT_EQ(w.count(), 15u);
  PacketWriter roomy(1 + 3 + 16 * ack.size());
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(roomy.add(ack)) << i;
  const Bytes b = roomy.finish();
  EXPECT_EQ(b.size(), 1 + 3 + 16 * ack.size());
  const DecodeResult r = decode_packet(b);
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.messages.size(), 16u);
}

// The engine keeps one writer for every datagram: view() shows the packet in place, clear() and
// reset() empty it for the next one, and a reused writer packs exactly what a fresh one does.
TEST(PacketWriter, ViewClearAndResetReuseOneWriter) {
  const Bytes ack = encode_message(Ack{7, samples::id(7)});
  const Bytes big = message_of_about(300, 3);
  PacketWriter reused(4000);
  for (int round = 0; round < 3; ++round) {
    PacketWriter fresh(4000);
    for (int i = 0; i <= round * 7; ++i) {  // 1, 8, then 15 messages
      ASSERT_TRUE(reused.add(i % 2 ? big : ack));
      ASSERT_TRUE(fresh.add(i % 2 ? big : ack));
    }
    const auto view = reused.view();
    EXPECT_EQ(Bytes(view.begin(), view.end()), fresh.finish()) << "round " << round;
    EXPECT_EQ(view.size(), reused.size());
    EXPECT_EQ(reused.count(), static_cast<std::size_t>(round * 7 + 1));  // view() keeps the messages
    reused.clear();
    EXPECT_EQ(reused.count(), 0u);
    EXPECT_EQ(reused.size(), 2u);
  }
  reused.add(ack);
  reused.reset(2 + ack.size() - 1);  // a new limit, one byte short of one ack
  EXPECT_EQ(reused.count(), 0u);
  EXPECT_EQ(reused.limit(), 1 + ack.size());
  EXPECT_FALSE(reused.add(ack));
  reused.reset(2 + ack.size());
  EXPECT_TRUE(reused.add(ack));
  const auto one = reused.view();
  const DecodeResult r = decode_packet(one);
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.messages, (std::vector<Message>{Ack{7, samples::id(7)}}));
}

TEST(PacketWriter, RandomizedNeverExceedsLimitAndRoundTrips) {
  const auto seed = testing::test_seed("PacketWriter.RandomizedNeverExceedsLimitAndRoundTrips");
  membership::Rng rng(seed);
  PacketWriter w(0);
  for (int round = 0; round < 300; ++round) {
    const std::size_t limit = 2 + rng.below(rng.below(4) == 0 ? 70000 : 1500);
    w = PacketWriter(limit);
    std::vector<Bytes> added;
    for (int tries = 0; tries < 5000; ++tries) {
      const Bytes m = message_of_about(rng.below(4) ? 20 : 20 + rng.below(300), rng());
      const std::size_t before = w.size();
      const bool ok = w.add(m);
      ASSERT_LE(w.size(), limit) << "seed " << seed;
      if (ok) {
        added.push_back(m);
        ASSERT_EQ(w.size(), 1 + PacketWriter::header_size(added.size()) + (before - 1 -
                  PacketWriter::header_size(added.size() - 1)) + m.size());
      } else {
        ASSERT_EQ(w.size(), before);
        ASSERT_GT(1 + PacketWriter::header_size(added.size() + 1) + (before - 1 -
                  PacketWriter::header_size(added.size())) + m.size(), limit);
        if (w.remaining() < 20) break;
      }
    }
    const std::size_t expected = w.size();
    const Bytes b = w.finish();
    ASSERT_LE(b.size(), limit) << "seed " << seed << " limit " << limit;
    ASSERT_EQ(b.size(), expected);
    const DecodeResult r = decode_packet(b, kMaxStream);
    ASSERT_TRUE(r.ok()) << r.detail << " seed " << seed;
    ASSERT_EQ(r.messages.size(), added.size());
    EXPECT_EQ(w.count(), 0u);
    EXPECT_EQ(w.size(), 2u);
  }
}

TEST(PacketWriter, Array32HeaderBeyond65535Messages) {
  const Bytes m{0x91, 0x03};  // truncated Ack: fine for size accounting, not for decoding
  PacketWriter w(1'000'000);
  for (int i = 0; i < 65535; ++i) ASSERT_TRUE(w.add(m));
  EXPECT_EQ(w.size(), 1 + 3 + 65535 * 2u);
  ASSERT_TRUE(w.add(m));
  EXPECT_EQ(w.size(), 1 + 5 + 65536 * 2u);
  const Bytes b = w.finish();
  ASSERT_EQ(b.size(), 1 + 5 + 65536 * 2u);
  EXPECT_EQ(b[0], kProtocolVersion);
  EXPECT_EQ(b[1], 0xdd);
  EXPECT_EQ(b[3], 0x01);  // 0x00010000
}

TEST(PacketWriter, FinishedWriterIsReusable) {
  const Bytes ack = encode_message(Ack{1, samples::id(1)});
  PacketWriter w(100);
  ASSERT_TRUE(w.add(ack));
  const Bytes first = w.finish();
  ASSERT_TRUE(w.add(ack));
  EXPECT_EQ(w.finish(), first);
}

}  // namespace packet_writer_test
}  // namespace rollcall::gossip::wire
