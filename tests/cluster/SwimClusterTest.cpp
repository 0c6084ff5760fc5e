// Whole clusters of real engines in virtual time (sim::World): convergence, crash detection within
// the bounds the config implies, refutation, loss tolerance, graceful leave.
#include <gtest/gtest.h>

#include <map>

#include "cluster/TestSeed.h"
#include "gossip/Formulas.h"
#include "sim/World.h"

namespace rollcall {
namespace swim_cluster_test {

using membership::MemberState;
using namespace std::chrono_literals;

struct Cluster {
  sim::World world;
  std::size_t n;
  Cluster(std::size_t count, std::uint64_t seed, gossip::Config cfg = gossip::Config::lan(), double loss = 0.0)
      : world(sim::World::Options{seed, sim::NetworkConfig{}, true, "test"}), n(count) {
    world.net().loss = loss;
    for (std::size_t i = 0; i < n; ++i) world.add_node(cfg);
  }
  void start_all() {
    world.start(0, {});
    for (std::size_t i = 1; i < n; ++i) world.start(i, {0});
  }
  bool all_see(MemberState s, std::size_t subject, const std::vector<std::size_t>& observers) {
    for (auto o : observers)
      if (world.view(o, subject) != s) return false;
    return true;
  }
  bool converged() {
    for (std::size_t o = 0; o < n; ++o) {
      if (!world.node(o).up) continue;
      for (std::size_t s = 0; s < n; ++s) {
        if (!world.node(s).up) continue;
        if (world.view(o, s) != MemberState::alive) return false;
      }
    }
    return true;
  }
  std::vector<std::size_t> others(std::size_t except) {
    std::vector<std::size_t> v;
    for (std::size_t i = 0; i < n; ++i)
      if (i != except) v.push_back(i);
    return v;
  }
};

TEST(SwimCluster, TwentyNodesConvergeFromOneSeed) {
  Cluster c(20, testing::test_seed(11));
  c.start_all();
  auto t = c.world.run_until([&] { return c.converged(); }, 30s);
  ASSERT_TRUE(t.has_value()) << "20 nodes did not converge within 30 virtual seconds";
  std::cout << "converged after " << membership::to_seconds(t->time_since_epoch()) << " s (virtual)\n";
  EXPECT_LE(c.world.max_datagram(), gossip::Config::lan().mtu);
}

TEST(SwimCluster, CrashedNodeIsDeclaredDeadByAllWithinTheConfiguredBound) {
  const auto cfg = gossip::Config::lan();
  Cluster c(20, testing::test_seed(12), cfg);
  std::map<std::size_t, membership::Instant> dead_at;
  std::optional<membership::Instant> first_suspect;
  const std::size_t victim = 7;
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s));
  c.world.run_for(5s);
  c.world.on_event([&](std::size_t node, const gossip::Event& e, membership::Instant at) {
    if (e.subject != c.world.node(victim).id) return;
    if (e.kind == gossip::Event::Kind::member_suspect && !first_suspect) first_suspect = at;
    if (e.kind == gossip::Event::Kind::member_dead && !dead_at.count(node)) dead_at[node] = at;
  });
  const auto t0 = c.world.now();
  c.world.crash(victim);
  const auto min = gossip::formulas::suspicion_min(cfg.suspicion_mult, c.n, cfg.probe_interval);
  const auto max = gossip::formulas::suspicion_max(cfg.suspicion_max_mult, min);
  // Bound implied by the config: every live member is probed within one round of (n - 1)
  // periods, then at most `max` of suspicion, then dissemination (a few gossip rounds).
  const auto bound = cfg.probe_interval * static_cast<long>(c.n) + max + 20 * cfg.gossip_interval;
  auto others = c.others(victim);
  auto t = c.world.run_until([&] { return c.all_see(MemberState::dead, victim, others); }, bound + 5s);
  ASSERT_TRUE(t.has_value()) << "not every node declared the crashed node dead";
  ASSERT_TRUE(first_suspect.has_value());
  for (const auto& [node, at] : dead_at) {
    EXPECT_GE(at - *first_suspect, min) << "node " << node << " declared dead before the minimum suspicion time";
    EXPECT_LE(at - t0, bound) << "node " << node << " declared dead after the bound";
  }
  std::cout << "first suspicion after " << membership::to_seconds(*first_suspect - t0) << " s, dead at all after "
            << membership::to_seconds(*t - t0) << " s (min " << membership::to_seconds(min) << " s, bound "
            << membership::to_seconds(bound) << " s)\n";
}

TEST(SwimCluster, SuspectedLiveNodeRefutesAndIsNeverDeclaredDead) {
  const auto cfg = gossip::Config::lan();
  Cluster c(20, testing::test_seed(13), cfg);
  const std::size_t target = 3;
  int suspects = 0, deads = 0;
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s));
  c.world.on_event([&](std::size_t, const gossip::Event& e, membership::Instant) {
    if (e.subject != c.world.node(target).id) return;
    if (e.kind == gossip::Event::Kind::member_suspect) ++suspects;
    if (e.kind == gossip::Event::Kind::member_dead) ++deads;
  });
  // Isolate the node (UDP and TCP) long enough to be suspected, shorter than the minimum
  // suspicion time, then let it back.
  c.world.set_partition(target, 1);
  c.world.run_until([&] { return suspects > 0; }, 20s);
  ASSERT_GT(suspects, 0) << "the node was never suspected";
  c.world.heal();
  auto others = c.others(target);
  ASSERT_TRUE(c.world.run_until([&] { return c.all_see(MemberState::alive, target, others); }, 30s));
  c.world.run_for(60s);
  EXPECT_EQ(deads, 0);
  EXPECT_GE(c.world.engine(target).metrics().refutations, 1u);
  EXPECT_TRUE(c.all_see(MemberState::alive, target, others));
}

TEST(SwimCluster, TenPercentLossForTenMinutesKillsNobody) {
  Cluster c(20, testing::test_seed(14), gossip::Config::lan(), 0.10);
  int deads = 0, suspects = 0;
  c.world.on_event([&](std::size_t, const gossip::Event& e, membership::Instant) {
    if (e.kind == gossip::Event::Kind::member_dead) ++deads;
    if (e.kind == gossip::Event::Kind::member_suspect) ++suspects;
  });
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 60s));
  c.world.run_for(600s);
  std::uint64_t refutations = 0;
  for (std::size_t i = 0; i < c.n; ++i) refutations += c.world.engine(i).metrics().refutations;
  std::cout << "suspicions seen: " << suspects << ", refutations: " << refutations << "\n";
  EXPECT_EQ(deads, 0) << "healthy nodes were declared dead under 10% loss";
  // While loss goes on, some suspicion is usually in flight; once it ends, every view settles.
  c.world.net().loss = 0.0;
  EXPECT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s).has_value())
      << "views did not settle on alive within 30 s of the loss ending";
}

// Same without the TCP fallback ping: only ping-req relays (and Lifeguard) stand between loss and
// false positives.
TEST(SwimCluster, TenPercentLossWithoutTcpFallbackKillsNobody) {
  auto cfg = gossip::Config::lan();
  cfg.tcp_fallback_ping = false;
  Cluster c(20, testing::test_seed(17), cfg, 0.10);
  int deads = 0, suspects = 0;
  c.world.on_event([&](std::size_t, const gossip::Event& e, membership::Instant) {
    if (e.kind == gossip::Event::Kind::member_dead) ++deads;
    if (e.kind == gossip::Event::Kind::member_suspect) ++suspects;
  });
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 60s));
  c.world.run_for(600s);
  std::uint64_t refutations = 0;
  for (std::size_t i = 0; i < c.n; ++i) refutations += c.world.engine(i).metrics().refutations;
  std::cout << "suspicions seen: " << suspects << ", refutations: " << refutations << "\n";
  EXPECT_EQ(deads, 0) << "healthy nodes were declared dead under 10% loss";
  // While loss goes on, some suspicion is usually in flight; once it ends, every view settles.
  c.world.net().loss = 0.0;
  EXPECT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s).has_value())
      << "views did not settle on alive within 30 s of the loss ending";
}

TEST(SwimCluster, LeavingNodeIsSeenAsLeftNotDead) {
  Cluster c(20, testing::test_seed(15));
  const std::size_t leaver = 9;
  int deads = 0;
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s));
  c.world.on_event([&](std::size_t, const gossip::Event& e, membership::Instant) {
    if (e.subject == c.world.node(leaver).id && e.kind == gossip::Event::Kind::member_dead) ++deads;
  });
  c.world.leave(leaver);
  auto others = c.others(leaver);
  auto t = c.world.run_until([&] { return c.all_see(MemberState::left, leaver, others); }, 10s);
  ASSERT_TRUE(t.has_value());
  c.world.run_for(gossip::Config::lan().leave_timeout + 1ms);
  EXPECT_TRUE(c.world.engine(leaver).stopped());
  c.world.run_for(60s);
  EXPECT_EQ(deads, 0);
  EXPECT_TRUE(c.all_see(MemberState::left, leaver, others));
}

TEST(SwimCluster, RestartedNodeKeepsItsIdWithAHigherGeneration) {
  Cluster c(10, testing::test_seed(16));
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.converged(); }, 30s));
  const auto id = c.world.node(4).id;
  c.world.crash(4);
  c.world.run_for(2s);
  c.world.restart(4, {0});
  auto t = c.world.run_until([&] {
    for (std::size_t o = 0; o < c.n; ++o) {
      const auto* m = c.world.engine(o).members().find(id);
      if (!m || m->state != MemberState::alive || m->incarnation.generation != 2) return false;
    }
    return true;
  }, 30s);
  ASSERT_TRUE(t.has_value());
  for (std::size_t o = 0; o < c.n; ++o) EXPECT_EQ(c.world.engine(o).members().size(), c.n);
}

}  // namespace swim_cluster_test
}  // namespace rollcall
