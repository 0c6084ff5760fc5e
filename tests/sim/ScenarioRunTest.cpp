// Every shipped scenario, run small (N = 12..30) with its own expectations checked, plus the
// outcome that scenario exists to prove (partition heals, loss kills nobody, crash detected within
// the bound, flip-flop settles, removal not resurrected, config converges LWW, ...).
#include <gtest/gtest.h>

#include "cluster/TestSeed.h"
#include "sim/ResultsJson.h"
#include "sim/Runner.h"
#include "sim/ScenarioLoader.h"

namespace rollcall::sim {
namespace scenario_run_test {

using namespace std::chrono_literals;

Scenario load(const std::string& name) {
  auto r = ScenarioLoader::load_file(ROLLCALL_SOURCE_DIR "/configs/sim/" + name + ".toml");
  if (auto* e = std::get_if<std::string>(&r)) ADD_FAILURE() << *e;
  return std::get<Scenario>(r);
}

struct Run {
  std::unique_ptr<Runner> runner;
  Results r;
};

Run run(const std::string& name, std::size_t nodes, std::uint64_t fallback_seed,
        std::optional<Duration> duration = std::nullopt) {
  Runner::Options opt;
  opt.nodes = nodes;
  opt.seed = testing::test_seed(fallback_seed);
  opt.duration = duration;
  Run out;
  out.runner = std::make_unique<Runner>(load(name), std::move(opt));
  out.r = out.runner->run();
  for (const auto& c : out.r.checks) EXPECT_TRUE(c.passed) << name << ": " << c.name << ": " << c.detail;
  EXPECT_TRUE(out.r.passed) << name;
  EXPECT_LE(out.r.max_datagram, out.r.engine.mtu);
  return out;
}

double max_of(const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }

TEST(Scenario, SteadyHasNoSuspicionsAtAll) {
  auto x = run("steady", 20, 101, 120s);
  ASSERT_TRUE(x.r.all_see_all_s.has_value());
  EXPECT_EQ(x.r.suspicions_total, 0u);
  EXPECT_EQ(x.r.dead_total, 0u);
  EXPECT_GT(x.r.msgs_out_per_node_s.mean, 0.5);
}

TEST(Scenario, CrashOneIsDetectedWithinTheConfiguredBound) {
  auto x = run("crash-one", 20, 102);
  ASSERT_EQ(x.r.crashes.size(), 1u);
  const auto& c = x.r.crashes[0];
  ASSERT_TRUE(c.first_suspicion_s && c.dead_everywhere_s);
  EXPECT_LE(*c.first_suspicion_s, *c.dead_everywhere_s);
  EXPECT_LE(*c.dead_everywhere_s, x.r.detection_bound_s);
  EXPECT_EQ(c.dead_after_s.size(), 19u) << "every other node declared it dead";
  std::cout << "crash detected: first suspicion " << *c.first_suspicion_s << " s, dead everywhere "
            << *c.dead_everywhere_s << " s (bound " << x.r.detection_bound_s << " s)\n";
}

TEST(Scenario, CrashTenPercentDetectsEveryCrash) {
  auto x = run("crash-10-percent", 30, 103);
  EXPECT_EQ(x.r.crashes.size(), 3u);
  EXPECT_EQ(x.r.undetected, 0u);
  EXPECT_LE(x.r.dead_everywhere.max, x.r.detection_bound_s);
}

TEST(Scenario, LossTenPercentKillsNobody) {
  auto x = run("loss-10-percent", 20, 104);
  EXPECT_EQ(x.r.false_dead, 0u);
  EXPECT_TRUE(x.r.converged_after_s.has_value());
}

TEST(Scenario, LossTwentyPercentKillsNobody) {
  auto x = run("loss-20-percent", 20, 105);
  EXPECT_EQ(x.r.false_dead, 0u);
}

TEST(Scenario, LossThirtyPercentKillsNobodyAndConvergesAfter) {
  auto x = run("loss-30-percent", 20, 106);
  // Loss reaches the TCP fallback too (retransmission delays): probes do fail, and are refuted.
  EXPECT_GT(x.r.suspicions_total, 0u) << "30% loss and not one suspicion: the loss is not reaching the probes";
  EXPECT_GE(x.r.refutations, 1u);
  EXPECT_EQ(x.r.false_dead, 0u);
  EXPECT_EQ(x.r.dead_total, 0u);
  EXPECT_TRUE(x.r.converged_after_s.has_value());
}

TEST(Scenario, PartitionAndHealConvergesAfterTheHeal) {
  auto x = run("partition-and-heal", 20, 107);
  EXPECT_GE(max_of(x.r.dead), 5.0) << "the two halves never declared each other dead: no partition happened";
  ASSERT_TRUE(x.r.converged_after_s.has_value());
  EXPECT_DOUBLE_EQ(*x.r.disturbance_end_s, 120.0);
  EXPECT_LT(x.r.dead.back(), 0.01) << "members still seen dead at the end";
}

TEST(Scenario, SlowNodesAreDoubtedButRefuteAndNobodyHealthyDies) {
  auto x = run("slow-nodes", 20, 108);
  EXPECT_GT(x.r.suspicions_total, 0u) << "a node 1.5 s late was never suspected";
  EXPECT_GT(x.r.refutations, 0u);
  EXPECT_EQ(x.r.false_dead, 0u);
}

TEST(Scenario, LongPauseIsDeclaredDeadThenRejoins) {
  auto x = run("pause", 20, 109);
  EXPECT_GT(x.r.dead_total, 0u) << "a node paused for 60 s was never declared dead";
  EXPECT_GE(x.r.refutations, 1u);
  ASSERT_TRUE(x.r.converged_after_s.has_value());
}

TEST(Scenario, FlipFlopSettlesOnceItStops) {
  auto x = run("flip-flop", 20, 110);
  EXPECT_GT(x.r.dead_total, 0u) << "20 s without ingress should get the node declared dead";
  ASSERT_TRUE(x.r.converged_after_s.has_value()) << "membership kept oscillating after the flip-flop ended";
  // No suspicion or death anywhere in the last two minutes: it settled.
  for (std::size_t k = 0; k < x.r.t_s.size(); ++k) {
    if (x.r.t_s[k] < *x.r.disturbance_end_s + *x.r.converged_after_s) continue;
    ASSERT_EQ(x.r.suspect[k], 0.0) << "at t=" << x.r.t_s[k];
    ASSERT_EQ(x.r.dead[k], 0.0) << "at t=" << x.r.t_s[k];
  }
}

TEST(Scenario, IngressLossOnOnePercentBlamesNobodyHealthy) {
  auto x = run("one-percent-80-percent-ingress-loss", 20, 111);
  EXPECT_EQ(x.r.healthy_nodes, 19u);
  EXPECT_EQ(x.r.false_dead, 0u);
}

TEST(Scenario, RestartWaveBringsEveryNodeBackWithANewGeneration) {
  auto x = run("restart-wave", 12, 112);
  ASSERT_TRUE(x.r.converged_after_s.has_value());
  World& w = x.runner->world();
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_EQ(w.node(i).generation, 2u) << i;
    for (std::size_t o = 0; o < w.size(); ++o) {
      const auto* m = w.engine(o).members().find(w.node(i).id);
      ASSERT_NE(m, nullptr);
      EXPECT_EQ(m->incarnation.generation, 2u);
      EXPECT_EQ(m->state, membership::MemberState::alive);
    }
  }
}

TEST(Scenario, BootstrapAllSeeAllQuickly) {
  auto x = run("bootstrap", 30, 113);
  ASSERT_TRUE(x.r.all_see_all_s.has_value());
  EXPECT_LE(*x.r.all_see_all_s, 20.0);
}

TEST(Scenario, ConfigChangeDuringPartitionConvergesToTheLwwWinner) {
  auto x = run("config-change-during-partition", 16, 114);
  ASSERT_EQ(x.r.changes.size(), 2u);
  for (const auto& c : x.r.changes) {
    EXPECT_EQ(c.kind, "config_change");
    EXPECT_TRUE(c.reached_all_s.has_value());
  }
  World& w = x.runner->world();
  const auto* first = w.engine(0).cluster().get("config");
  ASSERT_NE(first, nullptr);
  for (std::size_t i = 1; i < w.size(); ++i) EXPECT_EQ(*w.engine(i).cluster().get("config"), *first);
}

TEST(Scenario, RemovalDuringPartitionIsNotResurrectedAfterHeal) {
  auto x = run("removal-during-partition", 16, 115);
  ASSERT_EQ(x.r.changes.size(), 2u);  // the removal and the owner's later bump
  const auto& check = std::find_if(x.r.checks.begin(), x.r.checks.end(), [](const auto& c) { return c.name == "removals_hold"; });
  ASSERT_NE(check, x.r.checks.end());
  EXPECT_TRUE(check->passed) << check->detail;
}

TEST(Scenario, OneWayPartitionHealsWithoutKillingHealthyNodes) {
  auto x = run("one-way-partition", 20, 116);
  EXPECT_GT(x.r.suspicions_total, 0u);
  EXPECT_EQ(x.r.false_dead, 0u);
  EXPECT_TRUE(x.r.converged_after_s.has_value());
}

TEST(Scenario, ChurnConvergesOnceItStops) {
  auto x = run("churn", 20, 117);
  EXPECT_EQ(x.r.false_dead, 0u);
  ASSERT_TRUE(x.r.converged_after_s.has_value());
  EXPECT_LT(x.r.healthy_nodes, 20u) << "no node churned";
}

TEST(Scenario, RestartEventBringsBackTheCrashedNode) {
  auto parsed = ScenarioLoader::parse(R"(
name = "crash-restart"
nodes = 12
duration = "120s"
[[event]]
kind = "crash"
at = "20s"
nodes = [5]
[[event]]
kind = "restart"
at = "50s"
[expect]
detect_within = "40s"
converge_within = "30s"
)");
  ASSERT_TRUE(std::holds_alternative<Scenario>(parsed)) << std::get<std::string>(parsed);
  Runner::Options opt;
  opt.seed = testing::test_seed(118);
  Runner runner(std::get<Scenario>(parsed), std::move(opt));
  const Results r = runner.run();
  for (const auto& c : r.checks) EXPECT_TRUE(c.passed) << c.name << ": " << c.detail;
  EXPECT_EQ(runner.world().node(5).generation, 2u) << "the restart picked a live node instead of the crashed one";
}

TEST(Determinism, SameSeedGivesIdenticalResultsDifferentSeedsDiffer) {
  const std::uint64_t seed = testing::test_seed(120);
  auto once = [&](std::uint64_t s) {
    Runner::Options opt;
    opt.nodes = 16;
    opt.seed = s;
    Runner runner(load("crash-one"), std::move(opt));
    return ResultsJson::write(runner.run());
  };
  const std::string a = once(seed), b = once(seed), c = once(seed + 1);
  EXPECT_EQ(a, b) << "two runs with seed " << seed << " differ";
  EXPECT_NE(a, c) << "seeds " << seed << " and " << seed + 1 << " gave identical results";
  EXPECT_GT(a.size(), 1000u);
}

}  // namespace scenario_run_test
}  // namespace rollcall::sim
