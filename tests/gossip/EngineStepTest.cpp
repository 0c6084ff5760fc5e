// One engine fed packets and timers by hand; every assertion is about what lands in its outbox.
#include <gtest/gtest.h>

#include <algorithm>

#include "gossip/Engine.h"
#include "gossip/Formulas.h"
#include "gossip/crypto/Keyring.h"
#include "gossip/wire/Codec.h"

namespace rollcall::gossip {
namespace engine_step_test {

using namespace std::chrono_literals;
using membership::Address;
using membership::Incarnation;
using membership::Instant;
using membership::MemberState;
using membership::NodeId;

const Address kSelfAddr = *Address::parse("10.0.0.1:7950");
const NodeId kSelf = NodeId::from_words(1, 1);

struct Peer {
  NodeId id;
  Address addr;
  std::string name;
};
const Peer kB{NodeId::from_words(2, 2), *Address::parse("10.0.0.2:7950"), "b"};
const Peer kC{NodeId::from_words(3, 3), *Address::parse("10.0.0.3:7950"), "c"};

class EngineStep : public ::testing::Test {
 protected:
  EngineStep() : engine(Config::lan(), Identity{kSelf, "a", kSelfAddr, 1}, crypto::Envelope::plaintext("t"), 42) {}

  Bytes packet(std::vector<wire::Message> msgs) {
    auto plain = wire::encode_packet(msgs);
    Bytes out(plain.size() + 1, 0x00);  // plaintext envelope marker, then the packet
    std::copy(plain.begin(), plain.end(), out.begin() + 1);
    return out;
  }
  static std::vector<wire::Message> decode(const Bytes& sealed) {
    EXPECT_FALSE(sealed.empty());
    EXPECT_EQ(sealed[0], 0x00);
    auto r = wire::decode_packet(std::span<const std::uint8_t>(sealed).subspan(1));
    EXPECT_EQ(r.error, wire::DecodeError::none);
    return r.messages;
  }
  template <class T>
  static std::vector<T> all_of(const std::vector<wire::Message>& msgs) {
    std::vector<T> out;
    for (const auto& m : msgs)
      if (auto* p = std::get_if<T>(&m)) out.push_back(*p);
    return out;
  }
  template <class T>
  std::optional<TimerArm> timer_of() {
    for (const auto& t : engine.outbox().timers)
      if (std::holds_alternative<T>(t.timer)) return t;
    return std::nullopt;
  }
  void add_peer(const Peer& p) {
    engine.on_packet(p.addr, packet({wire::MemberUpdate{p.id, p.name, p.addr, {1, 0}, MemberState::alive, p.id}}), now);
  }
  void started() {
    engine.start(now);
    add_peer(kB);
    add_peer(kC);
    engine.on_timer(timer::GossipTick{}, now);  // the news of B and C goes out: later inputs start quiet
    engine.outbox().clear();
  }
  // Fires ProbeTick rounds until a ping goes out; returns (seq, target).
  std::pair<std::uint32_t, NodeId> probe_once() {
    for (std::uint64_t round = 1; round < 10; ++round) {
      engine.outbox().clear();
      engine.on_timer(timer::ProbeTick{round}, now);
      for (const auto& d : engine.outbox().datagrams) {
        auto pings = all_of<wire::Ping>(decode(d.bytes));
        if (!pings.empty()) return {pings[0].seq, pings[0].target};
      }
    }
    ADD_FAILURE() << "no ping sent";
    return {0, {}};
  }

  Instant now{std::chrono::seconds(100)};
  Engine engine;
};

TEST_F(EngineStep, StartArmsEveryPeriodicTimer) {
  engine.start(now);
  EXPECT_TRUE(timer_of<timer::ProbeTick>());
  EXPECT_TRUE(timer_of<timer::GossipTick>());
  EXPECT_TRUE(timer_of<timer::PushPullTick>());
  EXPECT_TRUE(timer_of<timer::ReconnectTick>());
  EXPECT_TRUE(timer_of<timer::ReapTick>());
  EXPECT_TRUE(engine.outbox().datagrams.empty()) << "nobody to talk to yet";
  EXPECT_EQ(engine.members().size(), 1u);
}

TEST_F(EngineStep, GossipTickRunsOnlyWhileTheQueueHoldsNews) {
  engine.start(now);
  add_peer(kB);
  add_peer(kC);
  auto gossip_ticks = [&] {
    std::vector<TimerArm> out;
    for (const auto& t : engine.outbox().timers)
      if (std::holds_alternative<timer::GossipTick>(t.timer)) out.push_back(t);
    return out;
  };
  ASSERT_EQ(gossip_ticks().size(), 1u) << "news queued: exactly one tick armed";
  // Fire each armed tick at its time until none is armed (the queue drained); bounded.
  int fired = 0;
  for (; fired < 200; ++fired) {
    auto ticks = gossip_ticks();
    if (ticks.empty()) break;
    ASSERT_EQ(ticks.size(), 1u) << "never two gossip ticks at once";
    now = ticks[0].at;
    engine.outbox().clear();
    engine.on_timer(ticks[0].timer, now);
  }
  ASSERT_GT(fired, 0);
  ASSERT_LT(fired, 200) << "the queue never drained";
  EXPECT_EQ(engine.queue_depth(), 0u);
  EXPECT_TRUE(gossip_ticks().empty()) << "an idle node arms no gossip tick";
  // Other inputs with nothing new to tell arm nothing either.
  engine.outbox().clear();
  engine.on_timer(timer::ProbeTick{1}, now);
  EXPECT_TRUE(gossip_ticks().empty());
  // News arms it again, one gossip_interval later, once.
  engine.outbox().clear();
  engine.set_local("component/web", membership::ComponentInfo{"web", "1.0", ""}, now);
  EXPECT_GE(engine.queue_depth(), 1u);
  auto ticks = gossip_ticks();
  ASSERT_EQ(ticks.size(), 1u);
  EXPECT_EQ(ticks[0].at, now + Config::lan().gossip_interval);
}

TEST_F(EngineStep, AliveUpdateAddsAMemberAndIsRegossiped) {
  engine.start(now);
  engine.outbox().clear();
  add_peer(kB);
  ASSERT_NE(engine.members().find(kB.id), nullptr);
  EXPECT_EQ(engine.members().find(kB.id)->state, MemberState::alive);
  ASSERT_EQ(engine.outbox().events.size(), 1u);
  EXPECT_EQ(engine.outbox().events[0].kind, Event::Kind::member_joined);
  EXPECT_GE(engine.queue_depth(), 1u);
}

TEST_F(EngineStep, PingForUsIsAckedAndPingForAnotherIdIsNot) {
  started();
  engine.on_packet(kB.addr, packet({wire::Ping{77, kSelf, kB.id, kB.addr}}), now);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  EXPECT_EQ(engine.outbox().datagrams[0].to, kB.addr);
  auto acks = all_of<wire::Ack>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].seq, 77u);
  EXPECT_EQ(acks[0].source, kSelf);
  engine.outbox().clear();
  engine.on_packet(kB.addr, packet({wire::Ping{78, NodeId::from_words(9, 9), kB.id, kB.addr}}), now);
  EXPECT_TRUE(engine.outbox().datagrams.empty()) << "a ping for a previous owner of our address must not be acked";
}

TEST_F(EngineStep, MissedAckLeadsToPingReqTcpFallbackThenSuspicion) {
  started();
  auto [seq, target] = probe_once();
  const Peer& other = target == kB.id ? kC : kB;
  auto timeout = timer_of<timer::ProbeTimeout>();
  ASSERT_TRUE(timeout);
  EXPECT_EQ(timeout->at, now + Config::lan().probe_timeout);
  EXPECT_FALSE(timer_of<timer::ProbeDeadline>()) << "armed only if the ack is still missing at the timeout";

  engine.outbox().clear();
  engine.on_timer(timer::ProbeTimeout{seq}, now + 500ms);
  auto deadline = timer_of<timer::ProbeDeadline>();
  ASSERT_TRUE(deadline);
  EXPECT_EQ(deadline->at, now + Config::lan().probe_interval) << "the end of the probe's period";
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  EXPECT_EQ(engine.outbox().datagrams[0].to, other.addr);
  auto reqs = all_of<wire::PingReq>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, target);
  EXPECT_TRUE(reqs[0].want_nack);
  ASSERT_EQ(engine.outbox().streams.size(), 1u) << "TCP fallback ping in parallel";
  EXPECT_EQ(engine.outbox().streams[0].to, target == kB.id ? kB.addr : kC.addr);

  engine.outbox().clear();
  engine.on_timer(timer::ProbeDeadline{seq}, now + 1s);
  EXPECT_EQ(engine.members().find(target)->state, MemberState::suspect);
  EXPECT_EQ(engine.metrics().probes_failed, 1u);
  EXPECT_EQ(engine.health(), 1u) << "one relay asked, no nack came: our own health is doubted";
  auto susp = timer_of<timer::Suspicion>();
  ASSERT_TRUE(susp);
  const auto& cfg = Config::lan();
  const auto min = formulas::suspicion_min(cfg.suspicion_mult, 3, 1s);
  const auto k = formulas::suspicion_confirmations(cfg.suspicion_mult, 3);
  const auto verdict_at =
      now + 1s + formulas::suspicion_timeout(min, formulas::suspicion_max(cfg.suspicion_max_mult, min), k, 0);
  // The timer fires for the last check, one (health-scaled) probe timeout before the deadline.
  EXPECT_EQ(susp->at, verdict_at - formulas::scale_by_health(cfg.probe_timeout, engine.health()));
}

TEST_F(EngineStep, EveryRelayNackedAndTcpFailedSuspectsBeforeThePeriodEnds) {
  started();
  auto [seq, target] = probe_once();
  const Peer& other = target == kB.id ? kC : kB;
  engine.outbox().clear();
  engine.on_timer(timer::ProbeTimeout{seq}, now + 500ms);
  ASSERT_EQ(engine.outbox().streams.size(), 1u);
  const auto fallback = engine.outbox().streams[0].id;
  engine.on_packet(other.addr, packet({wire::Nack{seq, other.id}}), now + 900ms);
  EXPECT_EQ(engine.members().find(target)->state, MemberState::alive) << "the TCP fallback may still answer";
  engine.on_stream_failed(fallback, now + 910ms);
  EXPECT_EQ(engine.members().find(target)->state, MemberState::suspect) << "nothing left that could answer";
  EXPECT_EQ(engine.metrics().early_suspicions, 1u);
  EXPECT_EQ(engine.health(), 0u) << "the relay nacked: the fault is not ours";
  engine.on_timer(timer::ProbeDeadline{seq}, now + 1s);
  EXPECT_EQ(engine.metrics().probes_failed, 1u) << "the deadline finds the probe already concluded";
}

TEST_F(EngineStep, AckBeforeTheDeadlinePreventsSuspicion) {
  started();
  auto [seq, target] = probe_once();
  engine.on_packet(kB.addr, packet({wire::Ack{seq, target}}), now + 10ms);
  engine.outbox().clear();
  engine.on_timer(timer::ProbeTimeout{seq}, now + 500ms);
  EXPECT_FALSE(timer_of<timer::ProbeDeadline>()) << "an answered probe arms no deadline";
  engine.on_timer(timer::ProbeDeadline{seq}, now + 1s);  // a stale one is a no-op
  EXPECT_TRUE(engine.outbox().datagrams.empty());
  EXPECT_EQ(engine.members().find(target)->state, MemberState::alive);
  EXPECT_EQ(engine.members().find(target)->rtt, 10ms);
}

TEST_F(EngineStep, SuspicionExpiresIntoDeadAndARefutationMakesTheTimerStale) {
  started();
  const Incarnation inc{1, 0};
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, inc, MemberState::suspect, kB.id}}), now);
  ASSERT_EQ(engine.members().find(kC.id)->state, MemberState::suspect);
  auto t = timer_of<timer::Suspicion>();
  ASSERT_TRUE(t);
  // Before its time: re-armed, not dead.
  engine.outbox().clear();
  engine.on_timer(t->timer, t->at - 1ms);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::suspect);
  // At its time: the last check goes out (C stays silent), then the verdict.
  engine.outbox().clear();
  engine.on_timer(t->timer, t->at);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::suspect);
  auto verdict = timer_of<timer::Suspicion>();
  ASSERT_TRUE(verdict);
  engine.on_timer(verdict->timer, verdict->at);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::dead);

  // A fresh suspicion, then a refutation: the old timer does nothing.
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 1}, MemberState::alive, kC.id}}), now);
  ASSERT_EQ(engine.members().find(kC.id)->state, MemberState::alive);
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 1}, MemberState::suspect, kB.id}}), now);
  auto t2 = timer_of<timer::Suspicion>();
  ASSERT_TRUE(t2);
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 2}, MemberState::alive, kC.id}}), now);
  engine.on_timer(t2->timer, t2->at + 1h);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::alive);
}

TEST_F(EngineStep, LastCheckBeforeTheVerdictSparesAMemberThatAnswers) {
  started();
  const Config cfg = Config::lan();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::suspect, kB.id}}), now);
  auto check = timer_of<timer::Suspicion>();
  ASSERT_TRUE(check);
  // The check fires one probe timeout before the deadline: a ping to C carrying the suspicion.
  engine.outbox().clear();
  engine.on_timer(check->timer, check->at);
  std::optional<std::uint32_t> seq;
  for (const auto& d : engine.outbox().datagrams) {
    if (d.to != kC.addr) continue;
    auto msgs = decode(d.bytes);
    auto pings = all_of<wire::Ping>(msgs);
    auto doubts = all_of<wire::MemberUpdate>(msgs);
    if (pings.empty()) continue;
    seq = pings[0].seq;
    ASSERT_FALSE(doubts.empty());
    EXPECT_EQ(doubts[0].id, kC.id);
    EXPECT_EQ(doubts[0].state, MemberState::suspect);
  }
  ASSERT_TRUE(seq) << "no check ping to the suspect";
  EXPECT_EQ(std::count_if(engine.outbox().datagrams.begin(), engine.outbox().datagrams.end(),
                          [&](const auto& d) { return d.to == kC.addr && !all_of<wire::Ping>(decode(d.bytes)).empty(); }),
            3) << "three datagrams: each lost or not on its own";
  EXPECT_EQ(engine.metrics().suspicion_checks, 1u);
  auto verdict = timer_of<timer::Suspicion>();
  ASSERT_TRUE(verdict);
  EXPECT_GE(verdict->at - check->at, cfg.probe_timeout) << "the answer gets one probe timeout";

  // C answers (alive, but its refutation never reached us): no death verdict, a reprieve.
  engine.on_packet(kC.addr, packet({wire::Ack{*seq, kC.id}}), check->at + 100ms);
  engine.outbox().clear();
  engine.on_timer(verdict->timer, verdict->at);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::suspect);
  EXPECT_EQ(engine.metrics().suspicion_reprieves, 1u);
  EXPECT_EQ(engine.metrics().dead_declared, 0u);

  // Next time C stays silent: check, then dead.
  auto check2 = timer_of<timer::Suspicion>();
  ASSERT_TRUE(check2);
  EXPECT_GT(check2->at, verdict->at);
  engine.outbox().clear();
  engine.on_timer(check2->timer, check2->at);
  auto verdict2 = timer_of<timer::Suspicion>();
  ASSERT_TRUE(verdict2);
  engine.on_timer(verdict2->timer, verdict2->at);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::dead);
  EXPECT_EQ(engine.metrics().dead_declared, 1u);
}

TEST_F(EngineStep, AStaleDoubtAboutUsIsCorrectedStraightBackToItsSender) {
  started();
  // We are suspected and refute: the refutation also goes straight back to the sender.
  engine.outbox().clear();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kSelf, "a", kSelfAddr, {1, 0}, MemberState::suspect, kB.id}}), now);
  ASSERT_EQ(engine.incarnation(), (Incarnation{1, 1}));
  auto direct = [&](const Address& to) {
    for (const auto& d : engine.outbox().datagrams) {
      if (d.to != to) continue;
      for (const auto& u : all_of<wire::MemberUpdate>(decode(d.bytes)))
        if (u.id == kSelf && u.state == MemberState::alive && u.incarnation == Incarnation{1, 1}) return true;
    }
    return false;
  };
  EXPECT_TRUE(direct(kB.addr));
  // C still gossips the old suspicion: it gets our current claim directly, and we do not refute again.
  engine.outbox().clear();
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kSelf, "a", kSelfAddr, {1, 0}, MemberState::suspect, kC.id}}), now);
  EXPECT_EQ(engine.incarnation(), (Incarnation{1, 1}));
  EXPECT_TRUE(direct(kC.addr));
}

TEST_F(EngineStep, IndependentConfirmationsShortenTheSuspicion) {
  Config cfg = Config::lan();
  cfg.suspicion_mult = 4.0;  // K = alpha - 2 = 2 confirmations, whatever the LAN preset's alpha
  Engine big(cfg, Identity{kSelf, "a", kSelfAddr, 1}, crypto::Envelope::plaintext("t"), 1);
  big.start(now);
  for (std::uint64_t i = 10; i < 40; ++i) {
    const Address a = Address::v4((10u << 24) | static_cast<std::uint32_t>(i), 7950);
    big.on_packet(a, packet({wire::MemberUpdate{NodeId::from_words(i, i), "n" + std::to_string(i), a, {1, 0},
                                                MemberState::alive, NodeId::from_words(i, i)}}),
                  now);
  }
  const NodeId victim = NodeId::from_words(10, 10);
  const Address va = Address::v4((10u << 24) | 10u, 7950);
  auto suspect_from = [&](std::uint64_t from) {
    big.outbox().clear();
    big.on_packet(va, packet({wire::MemberUpdate{victim, "n10", va, {1, 0}, MemberState::suspect, NodeId::from_words(from, from)}}), now);
    std::optional<Instant> at;
    for (const auto& t : big.outbox().timers)
      if (std::holds_alternative<timer::Suspicion>(t.timer)) at = t.at;
    return at;
  };
  auto first = suspect_from(11);
  ASSERT_TRUE(first);
  auto second = suspect_from(12);
  ASSERT_TRUE(second) << "a new confirmer re-arms the timer earlier";
  EXPECT_LT(*second, *first);
  EXPECT_FALSE(suspect_from(12)) << "the same confirmer counts once";
}

TEST_F(EngineStep, RefutesASuspicionAboutItself) {
  started();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kSelf, "a", kSelfAddr, {1, 0}, MemberState::suspect, kB.id}}), now);
  EXPECT_EQ(engine.incarnation(), (Incarnation{1, 1}));
  EXPECT_EQ(engine.metrics().refutations, 1u);
  EXPECT_EQ(engine.health(), 1u);
  engine.outbox().clear();
  engine.on_timer(timer::GossipTick{}, now);
  ASSERT_FALSE(engine.outbox().datagrams.empty());
  auto updates = all_of<wire::MemberUpdate>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates[0].id, kSelf) << "the refutation goes first (priority)";
  EXPECT_EQ(updates[0].state, MemberState::alive);
  EXPECT_EQ(updates[0].incarnation, (Incarnation{1, 1}));
}

TEST_F(EngineStep, RelayPingsTheTargetAndNacksAtEightyPercent) {
  started();
  engine.on_packet(kB.addr, packet({wire::PingReq{5, kC.id, kC.addr, kB.id, kB.addr, true}}), now);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  EXPECT_EQ(engine.outbox().datagrams[0].to, kC.addr);
  auto pings = all_of<wire::Ping>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_EQ(pings.size(), 1u);
  auto nack = timer_of<timer::RelayNack>();
  ASSERT_TRUE(nack);
  EXPECT_EQ(nack->at, now + Config::lan().probe_timeout * 8 / 10);
  engine.outbox().clear();
  engine.on_timer(nack->timer, nack->at);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  EXPECT_EQ(engine.outbox().datagrams[0].to, kB.addr);
  auto nacks = all_of<wire::Nack>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_EQ(nacks.size(), 1u);
  EXPECT_EQ(nacks[0].seq, 5u);
}

TEST_F(EngineStep, RelayForwardsTheTargetsAck) {
  started();
  engine.on_packet(kB.addr, packet({wire::PingReq{5, kC.id, kC.addr, kB.id, kB.addr, true}}), now);
  auto relay_seq = all_of<wire::Ping>(decode(engine.outbox().datagrams[0].bytes))[0].seq;
  engine.outbox().clear();
  engine.on_packet(kC.addr, packet({wire::Ack{relay_seq, kC.id}}), now + 5ms);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  EXPECT_EQ(engine.outbox().datagrams[0].to, kB.addr);
  auto acks = all_of<wire::Ack>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].seq, 5u);
  engine.outbox().clear();
  engine.on_timer(timer::RelayNack{relay_seq}, now + 400ms);
  EXPECT_TRUE(engine.outbox().datagrams.empty()) << "no nack once the target answered";
}

TEST_F(EngineStep, PingToASuspectCarriesTheSuspicionBuddySystem) {
  started();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::suspect, kB.id}}), now);
  for (std::uint64_t round = 1; round < 10; ++round) {
    engine.outbox().clear();
    engine.on_timer(timer::ProbeTick{round}, now);
    for (const auto& d : engine.outbox().datagrams) {
      if (d.to != kC.addr) continue;
      auto msgs = decode(d.bytes);
      ASSERT_TRUE(std::holds_alternative<wire::Ping>(msgs[0]));
      auto updates = all_of<wire::MemberUpdate>(msgs);
      ASSERT_FALSE(updates.empty());
      EXPECT_EQ(updates[0].id, kC.id);
      EXPECT_EQ(updates[0].state, MemberState::suspect);
      return;
    }
  }
  FAIL() << "the suspect was never probed";
}

TEST_F(EngineStep, AckToADoubtedProberCarriesTheVerdictSoItRefutes) {
  started();
  // C is dead here (say its ingress was cut long enough); it does not know. Its next ping to us
  // must come back with the verdict, and C, given that, refutes at once.
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::dead, kB.id}}), now);
  ASSERT_EQ(engine.members().find(kC.id)->state, MemberState::dead);
  engine.outbox().clear();
  engine.on_packet(kC.addr, packet({wire::Ping{5, kSelf, kC.id, kC.addr}}), now);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  auto msgs = decode(engine.outbox().datagrams[0].bytes);
  ASSERT_EQ(all_of<wire::Ack>(msgs).size(), 1u);
  auto verdicts = all_of<wire::MemberUpdate>(msgs);
  ASSERT_FALSE(verdicts.empty());
  EXPECT_EQ(verdicts[0].id, kC.id);
  EXPECT_EQ(verdicts[0].state, MemberState::dead);
  EXPECT_EQ(verdicts[0].incarnation, (Incarnation{1, 0}));

  // The doubted side: an ack carrying "you are dead" makes it refute.
  engine.outbox().clear();
  engine.on_packet(kB.addr, packet({wire::Ack{1, kB.id}, wire::MemberUpdate{kSelf, "a", kSelfAddr, {1, 0},
                                                                             MemberState::dead, kB.id}}),
                   now);
  EXPECT_EQ(engine.incarnation(), (Incarnation{1, 1}));

  // A prober in good standing gets no verdict about itself (the ack may piggyback other news).
  engine.outbox().clear();
  engine.on_packet(kB.addr, packet({wire::Ping{6, kSelf, kB.id, kB.addr}}), now);
  ASSERT_EQ(engine.outbox().datagrams.size(), 1u);
  for (const auto& u : all_of<wire::MemberUpdate>(decode(engine.outbox().datagrams[0].bytes)))
    if (u.id == kB.id) {
      EXPECT_EQ(u.state, MemberState::alive) << "B is alive here: no verdict against it";
    }
}

TEST_F(EngineStep, AnIsolatedNodeRetriesEveryProbeIntervalOthersEveryReconnectInterval) {
  started();
  const Config cfg = Config::lan();
  ASSERT_LT(cfg.probe_interval, cfg.reconnect_interval);
  auto next_reconnect = [&] {
    engine.outbox().clear();
    engine.on_timer(timer::ReconnectTick{}, now);
    auto t = timer_of<timer::ReconnectTick>();
    EXPECT_TRUE(t);
    return t ? t->at - now : membership::Duration::zero();
  };
  EXPECT_EQ(next_reconnect(), cfg.reconnect_interval) << "B and C alive: the normal pace";
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::dead, kB.id}}), now);
  EXPECT_EQ(next_reconnect(), cfg.reconnect_interval) << "B still alive";
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kB.id, kB.name, kB.addr, {1, 0}, MemberState::dead, kC.id}}), now);
  ASSERT_EQ(engine.members().find(kB.id)->state, MemberState::dead);
  EXPECT_EQ(next_reconnect(), cfg.probe_interval) << "everyone else dead: retry fast";
  EXPECT_FALSE(engine.outbox().streams.empty()) << "and each retry opens a push-pull to a dead member";
}

TEST_F(EngineStep, NoDatagramEverExceedsTheMtu) {
  started();
  for (int i = 0; i < 300; ++i)
    engine.set_local("component/c" + std::to_string(i), membership::ComponentInfo{"c" + std::to_string(i), std::string(40, 'v'), ""}, now);
  engine.set_local("component/huge", membership::ComponentInfo{"huge", std::string(5000, 'x'), ""}, now);
  std::size_t sent = 0;
  for (int tick = 0; tick < 50; ++tick) {
    engine.outbox().clear();
    engine.on_timer(timer::GossipTick{}, now);
    for (const auto& d : engine.outbox().datagrams) {
      EXPECT_LE(d.bytes.size(), Config::lan().mtu);
      ++sent;
    }
  }
  EXPECT_GT(sent, 20u);
}

TEST_F(EngineStep, AuthenticationFailuresAreCountedAndDropped) {
  crypto::Key key{};
  key[0] = 7;
  Engine sealed(Config::lan(), Identity{kSelf, "a", kSelfAddr, 1}, crypto::Envelope("t", crypto::Keyring(key), crypto::Envelope::os_random()), 3);
  sealed.start(now);
  sealed.outbox().clear();
  sealed.on_packet(kB.addr, packet({wire::Ping{1, kSelf, kB.id, kB.addr}}), now);  // plaintext to an encrypted node
  Bytes garbage(100, 0x01);
  sealed.on_packet(kB.addr, garbage, now);
  EXPECT_EQ(sealed.metrics().decrypt_failures, 2u);
  EXPECT_TRUE(sealed.outbox().datagrams.empty());
  ASSERT_EQ(sealed.outbox().events.size(), 2u);
  EXPECT_EQ(sealed.outbox().events[0].kind, Event::Kind::decrypt_failed);
}

TEST_F(EngineStep, MalformedPacketsAreCountedNotFatal) {
  started();
  Bytes bad{0x00, 0x01, 0xdd, 0xdd, 0xdd, 0x00, 0x2f};
  engine.on_packet(kB.addr, bad, now);
  EXPECT_EQ(engine.metrics().malformed_packets, 1u);
  EXPECT_TRUE(engine.outbox().datagrams.empty());
}

TEST_F(EngineStep, LeaveBroadcastsLeftThenStops) {
  started();
  engine.leave(now);
  ASSERT_FALSE(engine.outbox().datagrams.empty());
  auto updates = all_of<wire::MemberUpdate>(decode(engine.outbox().datagrams[0].bytes));
  ASSERT_FALSE(updates.empty());
  EXPECT_EQ(updates[0].id, kSelf);
  EXPECT_EQ(updates[0].state, MemberState::left);
  auto done = timer_of<timer::LeaveDone>();
  ASSERT_TRUE(done);
  engine.outbox().clear();
  engine.on_timer(done->timer, done->at);
  EXPECT_TRUE(engine.stopped());
  ASSERT_EQ(engine.outbox().events.size(), 1u);
  EXPECT_EQ(engine.outbox().events[0].kind, Event::Kind::leave_completed);
}

TEST_F(EngineStep, DeadMembersAreForgottenAfterTheRetentionAndNotBefore) {
  started();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::dead, kB.id}}), now);
  ASSERT_EQ(engine.members().find(kC.id)->state, MemberState::dead);
  const auto retention = Config::lan().dead_retention;
  engine.on_timer(timer::ReapTick{}, now + retention - 1s);
  EXPECT_NE(engine.members().find(kC.id), nullptr) << "reaped before dead_retention";
  engine.outbox().clear();
  engine.on_timer(timer::ReapTick{}, now + retention);
  EXPECT_EQ(engine.members().find(kC.id), nullptr);
  ASSERT_FALSE(engine.outbox().events.empty());
  EXPECT_EQ(engine.outbox().events[0].kind, Event::Kind::member_forgotten);
  // An alive claim of the same incarnation about a forgotten member does not resurrect it as dead
  // data; a new incarnation (restart) brings it back.
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {2, 0}, MemberState::alive, kC.id}}), now);
  ASSERT_NE(engine.members().find(kC.id), nullptr);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::alive);
}

TEST_F(EngineStep, AMemberThatCameBackIsNotReapedByItsOldDeath) {
  started();
  engine.on_packet(kB.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {1, 0}, MemberState::dead, kB.id}}), now);
  engine.on_packet(kC.addr, packet({wire::MemberUpdate{kC.id, kC.name, kC.addr, {2, 0}, MemberState::alive, kC.id}}), now + 1s);
  engine.on_timer(timer::ReapTick{}, now + Config::lan().dead_retention + 1s);
  ASSERT_NE(engine.members().find(kC.id), nullptr);
  EXPECT_EQ(engine.members().find(kC.id)->state, MemberState::alive);
}

TEST_F(EngineStep, TwoLiveIdsWithOneNameRaiseAConflict) {
  started();
  engine.outbox().clear();
  const Address a = *Address::parse("10.0.0.9:7950");
  engine.on_packet(a, packet({wire::MemberUpdate{NodeId::from_words(9, 9), "b", a, {1, 0}, MemberState::alive, {}}}), now);
  bool conflict = false;
  for (const auto& e : engine.outbox().events) conflict |= e.kind == Event::Kind::name_conflict && e.detail == "b";
  EXPECT_TRUE(conflict);
}

}  // namespace engine_step_test
}  // namespace rollcall::gossip
