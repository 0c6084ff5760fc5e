// sim::World's network and node faults, each asserted on what the engines actually experience:
// one-way cuts, flip-flop phases, latency shapes, total ingress loss also failing streams, churn.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <tuple>

#include "cluster/TestSeed.h"
#include "sim/LatencyModel.h"
#include "sim/World.h"

namespace rollcall::sim {
namespace world_faults_test {

using namespace std::chrono_literals;
using membership::MemberState;

std::unique_ptr<World> make_world(std::size_t n, std::uint64_t seed) {
  auto w = std::make_unique<World>(World::Options{seed, NetworkConfig{}, false, "t"});
  for (std::size_t i = 0; i < n; ++i) w->add_node(gossip::Config::lan());
  w->start(0, {});
  for (std::size_t i = 1; i < n; ++i) w->start(i, {0});
  return w;
}

bool all_alive(World& w) {
  for (std::size_t o = 0; o < w.size(); ++o)
    for (std::size_t s = 0; s < w.size(); ++s)
      if (w.live(o) && w.live(s) && w.view(o, s) != MemberState::alive) return false;
  return true;
}

TEST(LatencyModel, EveryShapeStaysWithinItsBoundsAndSpreads) {
  const std::uint64_t seed = testing::test_seed(51);
  membership::Rng rng(seed);
  for (auto shape : {LatencyModel::Shape::uniform, LatencyModel::Shape::normal, LatencyModel::Shape::pareto}) {
    LatencyModel m;
    m.shape = shape;
    m.min = 300us;
    m.max = 50ms;
    m.mean = 5ms;
    m.stddev = 2ms;
    Duration lo = m.max, hi = m.min;
    std::size_t over_10ms = 0;
    for (int i = 0; i < 20000; ++i) {
      const Duration d = m.sample(rng);
      ASSERT_GE(d, m.min);
      ASSERT_LE(d, m.max);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
      if (d > 10ms) ++over_10ms;
    }
    EXPECT_LT(lo, 1ms) << LatencyModel::name(shape);
    EXPECT_GT(hi, 8ms) << LatencyModel::name(shape);
    if (shape == LatencyModel::Shape::pareto) {
      // Long tail: P(X > 10 ms) = (0.3/10)^1.5 ~ 0.5%, far from zero.
      EXPECT_GT(over_10ms, 20u);
    }
  }
}

TEST(WorldFaults, OneWayCutDeliversOneDirectionOnly) {
  auto wp = make_world(6, testing::test_seed(52));
  World& w = *wp;
  ASSERT_TRUE(w.run_until([&] { return all_alive(w); }, 30s));
  // Node 5 alone in group 1; it may send to group 0 but receives nothing.
  w.set_partition(5, 1);
  w.set_link(1, 0, true);
  const auto in0 = w.node(5).msgs_in, out0 = w.node(5).msgs_out;
  const auto in_others0 = w.node(0).msgs_in + w.node(1).msgs_in;
  w.run_for(20s);
  EXPECT_EQ(w.node(5).msgs_in, in0) << "a node cut inbound still received";
  EXPECT_GT(w.node(5).msgs_out, out0);
  EXPECT_GT(w.node(0).msgs_in + w.node(1).msgs_in, in_others0);
  // It never receives their probes, so it never answers: the others doubt it.
  bool others_doubt_it = false;
  for (std::size_t o = 0; o < 5; ++o) others_doubt_it = others_doubt_it || w.view(o, 5) != MemberState::alive;
  EXPECT_TRUE(others_doubt_it);
  w.heal();
  EXPECT_TRUE(w.run_until([&] { return all_alive(w); }, 60s).has_value());
}

TEST(WorldFaults, FlipFlopAlternatesIngressAndRestoresIt) {
  auto wp = make_world(4, testing::test_seed(53));
  World& w = *wp;
  ASSERT_TRUE(w.run_until([&] { return all_alive(w); }, 30s));
  const Instant t0 = w.now();
  w.flip_flop(2, 10s, t0 + 40s);
  EXPECT_EQ(w.node(2).faults.ingress_loss, 1.0);
  w.run_until(t0 + 5s);
  EXPECT_EQ(w.node(2).faults.ingress_loss, 1.0);
  w.run_until(t0 + 15s);
  EXPECT_EQ(w.node(2).faults.ingress_loss, 0.0);
  w.run_until(t0 + 25s);
  EXPECT_EQ(w.node(2).faults.ingress_loss, 1.0);
  w.run_until(t0 + 45s);
  EXPECT_EQ(w.node(2).faults.ingress_loss, 0.0);
  EXPECT_TRUE(w.node(2).ever_faulty);
}

TEST(WorldFaults, TotalIngressLossAlsoFailsStreamsSoTheNodeIsDeclaredDead) {
  auto wp = make_world(8, testing::test_seed(54));
  World& w = *wp;
  ASSERT_TRUE(w.run_until([&] { return all_alive(w); }, 30s));
  w.node(3).faults.ingress_loss = 1.0;
  auto dead_everywhere = [&] {
    for (std::size_t o = 0; o < w.size(); ++o)
      if (o != 3 && w.view(o, 3) != MemberState::dead) return false;
    return true;
  };
  EXPECT_TRUE(w.run_until(dead_everywhere, 120s).has_value()) << "TCP fallback still reached a node with no ingress";
  w.node(3).faults.ingress_loss = 0.0;
  EXPECT_TRUE(w.run_until([&] { return all_alive(w); }, 120s).has_value()) << "the node did not come back";
}

TEST(WorldFaults, PartialIngressLossLeavesStreamsAlone) {
  auto wp = make_world(8, testing::test_seed(55));
  World& w = *wp;
  ASSERT_TRUE(w.run_until([&] { return all_alive(w); }, 30s));
  w.node(3).faults.ingress_loss = 0.8;
  int dead = 0;
  w.on_event([&](std::size_t, const gossip::Event& e, Instant) {
    if (e.kind == gossip::Event::Kind::member_dead) ++dead;
  });
  w.run_for(120s);
  EXPECT_EQ(dead, 0) << "TCP fallback should rescue probes of a lossy (not cut) node";
}

TEST(WorldFaults, ChurnLeavesAndRejoinsAtTheRate) {
  const std::uint64_t seed = testing::test_seed(56);
  auto wp = make_world(20, seed);
  World& w = *wp;
  ASSERT_TRUE(w.run_until([&] { return all_alive(w); }, 30s));
  std::size_t leaves = 0, restarts = 0;
  w.on_event([&](std::size_t, const gossip::Event& e, Instant) {
    if (e.kind == gossip::Event::Kind::leave_completed) ++leaves;
  });
  w.on_lifecycle([&](std::size_t, bool up, Instant) {
    if (up) ++restarts;
  });
  ChurnSpec spec;
  spec.rate_per_s = 0.5;
  spec.from = w.now();
  spec.until = w.now() + 60s;
  spec.downtime = 10s;
  spec.seeds = {0};
  w.churn(spec);
  w.run_for(80s);
  // Poisson(30) departures: far from 0 and from 60.
  EXPECT_GE(leaves, 12u);
  EXPECT_LE(leaves, 50u);
  EXPECT_EQ(restarts, leaves) << "every departed node comes back after the downtime";
  EXPECT_TRUE(w.run_until([&] { return all_alive(w); }, 120s).has_value());
  for (std::size_t i = 0; i < w.size(); ++i) EXPECT_TRUE(w.live(i)) << i;
}

TEST(WorldFaults, SameSeedGivesTheSameTrafficDifferentSeedDoesNot) {
  auto run = [](std::uint64_t seed) {
    World w(World::Options{seed, NetworkConfig{}, true, "t"});
    for (std::size_t i = 0; i < 10; ++i) w.add_node(gossip::Config::lan());
    w.start(0, {});
    for (std::size_t i = 1; i < 10; ++i) w.start(i, {0});
    w.net().loss = 0.1;
    w.run_for(60s);
    return std::make_tuple(w.datagrams_sent(), w.datagram_bytes(), w.events_processed());
  };
  const std::uint64_t seed = testing::test_seed(57);
  EXPECT_EQ(run(seed), run(seed));
  EXPECT_NE(run(seed), run(seed + 1));
}

}  // namespace world_faults_test
}  // namespace rollcall::sim
