// The latency and footprint paths of the engine, driven by hand between two engines: eager push of
// fresh news (bounded to one extra round per gossip interval), repair pulls for members we missed,
// and hash-first anti-entropy (ADR 0005), including the answer of a responder that predates it.
#include <gtest/gtest.h>

#include <algorithm>

#include "gossip/Engine.h"
#include "gossip/SyncSummary.h"
#include "gossip/wire/Codec.h"

namespace rollcall::gossip {
namespace latency_paths_test {

using namespace std::chrono_literals;
using membership::Address;
using membership::Instant;
using membership::MemberState;
using membership::NodeId;

const Address kAddrA = *Address::parse("10.0.0.1:7950");
const Address kAddrB = *Address::parse("10.0.0.2:7950");
const Address kAddrC = *Address::parse("10.0.0.3:7950");
const NodeId kA = NodeId::from_words(1, 1);
const NodeId kB = NodeId::from_words(2, 2);
const NodeId kC = NodeId::from_words(3, 3);

Bytes packet(std::vector<wire::Message> msgs) {
  auto plain = wire::encode_packet(msgs);
  Bytes out(plain.size() + 1, 0x00);  // plaintext envelope marker, then the packet
  std::copy(plain.begin(), plain.end(), out.begin() + 1);
  return out;
}

std::vector<wire::Message> open(const Bytes& sealed) {
  auto r = wire::decode_packet(std::span<const std::uint8_t>(sealed).subspan(1), 1u << 20);
  EXPECT_EQ(r.error, wire::DecodeError::none);
  return r.messages;
}

template <class T>
std::optional<T> first_of(const Bytes& sealed) {
  for (auto& m : open(sealed))
    if (auto* p = std::get_if<T>(&m)) return *p;
  return std::nullopt;
}

class LatencyPaths : public ::testing::Test {
 protected:
  LatencyPaths()
      : a(Config::lan(), Identity{kA, "a", kAddrA, 1}, crypto::Envelope::plaintext("t"), 1),
        b(Config::lan(), Identity{kB, "b", kAddrB, 1}, crypto::Envelope::plaintext("t"), 2) {}

  void alive(Engine& e, const NodeId& id, const std::string& name, const Address& addr) {
    e.on_packet(addr, packet({wire::MemberUpdate{id, name, addr, {1, 0}, MemberState::alive, id}}), now);
  }
  // A and B know each other and C; A and B hold the same data after one full exchange.
  void synced() {
    a.start(now);
    b.start(now);
    alive(a, kB, "b", kAddrB);
    alive(a, kC, "c", kAddrC);
    alive(b, kA, "a", kAddrA);
    alive(b, kC, "c", kAddrC);
    a.outbox().clear();
    b.outbox().clear();
    a.join(std::vector{kAddrB}, now);  // a full push-pull A -> B -> A (+ state push A -> B)
    pump();
  }
  // Delivers A's stream requests to B and B's replies back (and one-way pushes), until quiet.
  // Returns the number of request frames A opened.
  int pump() {
    int opened = 0;
    for (int guard = 0; guard < 10 && !a.outbox().streams.empty(); ++guard) {
      auto streams = std::move(a.outbox().streams);
      a.outbox().streams.clear();
      for (const auto& s : streams) {
        ++opened;
        last_request = s.bytes;
        b.outbox().replies.clear();
        b.on_stream(7, kAddrA, s.bytes, now);
        if (!s.expect_reply) continue;
        EXPECT_EQ(b.outbox().replies.size(), 1u);
        if (b.outbox().replies.empty()) continue;
        last_reply = b.outbox().replies.front().bytes;
        a.on_stream_reply(s.id, last_reply, now);
      }
    }
    return opened;
  }

  Instant now{std::chrono::seconds(100)};
  Engine a, b;
  Bytes last_request, last_reply;
};

TEST_F(LatencyPaths, ALocalWriteIsSentAtOnceAndBurstsCoalesceToOneExtraRoundPerInterval) {
  a.start(now);
  alive(a, kB, "b", kAddrB);
  alive(a, kC, "c", kAddrC);
  now += 1s;  // past the eager budget spent on learning B and C
  a.outbox().clear();
  a.set_local("label", membership::StateValue{membership::ServerInfo{}}, now);
  ASSERT_FALSE(a.outbox().datagrams.empty()) << "the write goes out now, not at the next gossip tick";
  bool carried = false;
  for (const auto& d : a.outbox().datagrams)
    if (auto delta = first_of<wire::StateDelta>(d.bytes)) carried |= delta->owner == kA && delta->entries[0].key == "label";
  EXPECT_TRUE(carried);
  EXPECT_EQ(a.metrics().eager_rounds, 2u) << "one for learning B and C, one for the write";

  a.outbox().clear();
  now += a.config().gossip_interval / 2;
  a.set_local("label2", membership::StateValue{membership::ServerInfo{}}, now);
  EXPECT_TRUE(a.outbox().datagrams.empty()) << "a second write within one gossip interval waits for the tick";
  now += a.config().gossip_interval;
  a.set_local("label3", membership::StateValue{membership::ServerInfo{}}, now);
  EXPECT_FALSE(a.outbox().datagrams.empty());
  EXPECT_EQ(a.metrics().eager_rounds, 3u);
}

TEST_F(LatencyPaths, StateOfAnUnknownMemberTriggersOneRepairPullPerProbeInterval) {
  a.start(now);
  alive(a, kB, "b", kAddrB);
  a.outbox().clear();
  const membership::StateEntry e{"server", 1, membership::ServerInfo{}};
  a.on_packet(kAddrB, packet({wire::StateDelta{kC, {e}}}), now);
  ASSERT_EQ(a.outbox().streams.size(), 1u) << "B spoke of C, whom A never heard of: pull from B";
  EXPECT_EQ(a.outbox().streams[0].to, kAddrB);
  auto req = first_of<wire::PushPullRequest>(a.outbox().streams[0].bytes);
  ASSERT_TRUE(req);
  EXPECT_FALSE(req->members.empty()) << "a repair is a full exchange";
  a.outbox().clear();
  a.on_packet(kAddrB, packet({wire::StateDelta{kC, {e}}}), now + 10ms);
  EXPECT_TRUE(a.outbox().streams.empty()) << "rate-limited";
  a.on_packet(kAddrB, packet({wire::StateDelta{kC, {e}}}), now + a.config().probe_interval);
  EXPECT_EQ(a.outbox().streams.size(), 1u);
  EXPECT_EQ(a.metrics().repair_pulls, 2u);
}

// A join storm: A's broadcast queue holds news about most of its table. Piggybacking would take
// minutes to drain it, so A catches up with full exchanges every 2 x probe_interval; a fruitless one
// doubles the wait, one that brings news resets it; a short queue never triggers it.
TEST_F(LatencyPaths, ABacklogOfNewsTriggersCatchUpPullsThatBackOffWhenFruitless) {
  synced();
  auto tick = [&](Instant t) {
    a.outbox().clear();
    a.on_timer(timer::GossipTick{}, t);
    return a.metrics().catch_up_pulls;
  };
  EXPECT_EQ(tick(now), 0u) << "a short queue: no catch-up";

  for (std::uint32_t i = 0; i < 100; ++i)
    alive(a, NodeId::from_words(100 + i, 7), "n" + std::to_string(i), Address::v4(0x0A010000u + i, 7950));
  ASSERT_GT(a.queue_depth(), 64u);
  const auto gap = 2 * a.config().probe_interval;

  now += 1s;
  ASSERT_EQ(tick(now), 1u) << "news about most members queued: a full exchange";
  ASSERT_EQ(a.outbox().streams.size(), 1u);
  auto req = first_of<wire::PushPullRequest>(a.outbox().streams[0].bytes);
  ASSERT_TRUE(req);
  EXPECT_GE(req->members.size(), 100u) << "a catch-up is a full exchange";
  const auto first = a.outbox().streams[0];
  EXPECT_EQ(tick(now + gap), 1u) << "one exchange at a time: the first is still open";
  a.outbox().streams.push_back(first);
  pump();  // B answers (whichever member was picked): it knows nothing A lacks

  EXPECT_EQ(tick(now + gap), 1u) << "a fruitless exchange doubles the wait";
  now += 2 * gap;
  EXPECT_EQ(tick(now), 2u);
  alive(b, NodeId::from_words(999, 9), "d", *Address::parse("10.0.0.9:7950"));
  pump();  // this time B knows a member A lacks
  ASSERT_NE(a.members().find(NodeId::from_words(999, 9)), nullptr);
  EXPECT_EQ(tick(now + gap), 3u) << "an exchange that brought news resets the wait";
}

TEST_F(LatencyPaths, InSyncPeersExchangeOnlySummaries) {
  synced();
  ASSERT_EQ(a.summary(), b.summary());
  a.outbox().clear();
  a.on_timer(timer::PushPullTick{}, now);
  ASSERT_EQ(pump(), 1) << "one probe, no full exchange";
  auto req = first_of<wire::PushPullRequest>(last_request);
  ASSERT_TRUE(req);
  EXPECT_TRUE(req->members.empty());
  EXPECT_TRUE(req->digest.empty());
  EXPECT_EQ(req->summary.size(), 3u);
  auto resp = first_of<wire::PushPullResponse>(last_reply);
  ASSERT_TRUE(resp);
  EXPECT_TRUE(resp->members.empty());
  EXPECT_EQ(resp->summary, req->summary);
  EXPECT_EQ(a.metrics().push_pulls_in_sync, 1u);
  EXPECT_LT(last_request.size() + last_reply.size(), 200u);
}

TEST_F(LatencyPaths, DifferentStateLeadsToAFullExchangeWithoutMemberLists) {
  synced();
  b.set_local("heartbeat/web", membership::StateValue{membership::Heartbeat{5}}, now);  // lazy: anti-entropy only
  a.outbox().clear();
  a.on_timer(timer::PushPullTick{}, now);
  ASSERT_EQ(pump(), 2) << "probe, then the full exchange";
  auto req = first_of<wire::PushPullRequest>(last_request);
  ASSERT_TRUE(req);
  EXPECT_TRUE(req->members.empty()) << "member hashes agreed";
  EXPECT_FALSE(req->digest.empty());
  auto resp = first_of<wire::PushPullResponse>(last_reply);
  ASSERT_TRUE(resp);
  EXPECT_TRUE(resp->members.empty());
  ASSERT_NE(a.state().find(kB, "heartbeat/web"), nullptr) << "the lazy entry arrived";
  EXPECT_EQ(a.summary(), b.summary());
}

TEST_F(LatencyPaths, AResponderWithoutSummariesAnswersTheProbeInFullAndThatCounts) {
  a.start(now);
  alive(a, kB, "b", kAddrB);
  a.outbox().clear();
  a.on_timer(timer::PushPullTick{}, now);
  ASSERT_EQ(a.outbox().streams.size(), 1u);
  const auto id = a.outbox().streams[0].id;
  // What a responder from before ADR 0005 answers to a request with an empty digest: everything.
  wire::PushPullResponse old;
  old.members = {wire::MemberUpdate{kB, "b", kAddrB, {1, 0}, MemberState::alive, kB},
                 wire::MemberUpdate{kC, "c", kAddrC, {1, 0}, MemberState::alive, kB}};
  old.deltas = {wire::StateDelta{kB, {membership::StateEntry{"server", 3, membership::ServerInfo{}}}}};
  old.digest = {wire::DigestEntry{kB, 3}};
  const wire::Message one[] = {old};
  auto plain = wire::encode_packet(one);
  Bytes frame(plain.size() + 1, 0x00);
  std::copy(plain.begin(), plain.end(), frame.begin() + 1);
  a.outbox().clear();
  a.on_stream_reply(id, frame, now);
  EXPECT_NE(a.members().find(kC), nullptr) << "the full answer was merged";
  EXPECT_NE(a.state().find(kB, "server"), nullptr);
  EXPECT_TRUE(a.joined());
}

}  // namespace latency_paths_test
}  // namespace rollcall::gossip
