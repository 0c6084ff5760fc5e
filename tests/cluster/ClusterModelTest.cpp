// The cluster model end to end in virtual time: node state, cluster config and removals spread by
// the real engine, and every node derives the same table (equal digests).
#include <gtest/gtest.h>

#include "cluster/TestSeed.h"
#include "membership/ClusterItems.h"
#include "membership/TableBuilder.h"
#include "sim/World.h"

namespace rollcall {
namespace cluster_model_test {

using membership::ClusterConfig;
using membership::ComponentInfo;
using membership::ComponentRow;
using membership::MemberState;
using namespace std::chrono_literals;

struct ModelCluster {
  sim::World world;
  std::size_t n;
  ModelCluster(std::size_t count, std::uint64_t seed, gossip::Config cfg = gossip::Config::local())
      : world(sim::World::Options{seed, sim::NetworkConfig{}, true, "test"}), n(count) {
    for (std::size_t i = 0; i < n; ++i) world.add_node(cfg);
  }
  void start_all() {
    world.start(0, {});
    for (std::size_t i = 1; i < n; ++i) world.start(i, {0});
  }
  void publish(std::size_t i, const std::string& web_version, const std::string& key_fp) {
    auto& e = world.engine(i);
    const auto now = world.now();
    e.set_local("server", membership::ServerInfo{"srv-" + std::to_string(i), "Debian GNU/Linux", "12",
                                                 {"10.0.0." + std::to_string(i + 1)}, "0.1.0", 1, "host-" + std::to_string(i), {}},
                now);
    e.set_local("component/web", ComponentInfo{"web", web_version, ""}, now);
    e.set_local("component/service", ComponentInfo{"service", web_version, ""}, now);
    e.set_local("key/encryption", membership::KeyFingerprint{key_fp}, now);
  }
  membership::ClusterTable table(std::size_t observer) {
    auto& e = world.engine(observer);
    const auto members = e.members().snapshot();
    return membership::derive_table(
        membership::TableInput{e.identity().id, "test", members, e.state(), e.cluster(), world.now()});
  }
  bool digests_agree(const std::vector<std::size_t>& nodes) {
    std::string first;
    for (auto i : nodes) {
      auto d = table(i).digest;
      if (first.empty()) first = d;
      if (d != first) return false;
    }
    return true;
  }
  std::vector<std::size_t> all() {
    std::vector<std::size_t> v;
    for (std::size_t i = 0; i < n; ++i) v.push_back(i);
    return v;
  }
  bool everyone_sees_everyone_alive() {
    for (std::size_t o = 0; o < n; ++o)
      for (std::size_t s = 0; s < n; ++s)
        if (world.view(o, s) != MemberState::alive) return false;
    return true;
  }
  const membership::ServerRow* row(const membership::ClusterTable& t, std::size_t subject) {
    for (const auto& r : t.servers)
      if (r.id == world.node(subject).id) return &r;
    return nullptr;
  }
  static const ComponentRow* component(const membership::ServerRow& r, const std::string& kind) {
    for (const auto& c : r.components)
      if (c.kind == kind) return &c;
    return nullptr;
  }
};

TEST(ClusterModel, FiftyNodesWithDifferentStateConvergeOnIdenticalTables) {
  ModelCluster c(50, testing::test_seed(21));
  c.start_all();
  for (std::size_t i = 0; i < c.n; ++i) c.publish(i, i % 7 == 0 ? "2024.2" : "2024.3", i % 11 == 5 ? "" : "fp-aaaa");
  auto t = c.world.run_until([&] { return c.everyone_sees_everyone_alive() && c.digests_agree(c.all()); }, 120s, 1s);
  ASSERT_TRUE(t.has_value()) << "50 tables did not converge";
  const auto reference = c.table(0);
  EXPECT_EQ(reference.servers.size(), 50u);
  for (std::size_t o = 1; o < c.n; ++o) {
    const auto other = c.table(o);
    ASSERT_EQ(other.servers.size(), reference.servers.size());
    for (std::size_t s = 0; s < other.servers.size(); ++s) {
      const auto& a = reference.servers[s];
      const auto& b = other.servers[s];
      EXPECT_EQ(a.id, b.id);
      EXPECT_EQ(a.status, b.status);
      EXPECT_EQ(a.version_in_sync, b.version_in_sync);
      EXPECT_EQ(a.key_in_sync, b.key_in_sync);
      EXPECT_EQ(a.warnings.size(), b.warnings.size());
    }
  }
  // Version out of sync only on the minority (every 7th), key not set only where missing.
  for (std::size_t s = 0; s < c.n; ++s) {
    const auto* r = c.row(reference, s);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->version_in_sync, s % 7 != 0) << "server " << s;
    EXPECT_EQ(r->key_in_sync, s % 11 != 5) << "server " << s;
  }
  EXPECT_LE(c.world.max_datagram(), gossip::Config::local().mtu);
}

TEST(ClusterModel, ConcurrentConfigChangesEndIdenticalEverywhere) {
  ModelCluster c(50, testing::test_seed(22));
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.everyone_sees_everyone_alive(); }, 60s));
  ClusterConfig a, b;
  a.stale_timeout_ms = 120'000;
  a.load_balancing = false;
  b.stale_timeout_ms = 600'000;
  b.automatic_failover = false;
  // Same instant, two writers: same lamport, the larger writer id wins everywhere.
  c.world.engine(3).write_cluster("config", a, c.world.now());
  c.world.engine(40).write_cluster("config", b, c.world.now());
  const auto winner = c.world.node(3).id > c.world.node(40).id ? a : b;
  auto t = c.world.run_until([&] {
    for (std::size_t i = 0; i < c.n; ++i)
      if (!(c.world.engine(i).cluster().config() == winner)) return false;
    return true;
  }, 60s);
  ASSERT_TRUE(t.has_value()) << "the config did not converge to the last writer";
  EXPECT_TRUE(c.digests_agree(c.all()));
}

TEST(ClusterModel, RemovalDuringPartitionIsNotResurrectedAndAReReportComesBack) {
  ModelCluster c(10, testing::test_seed(23));
  c.start_all();
  for (std::size_t i = 0; i < c.n; ++i) c.publish(i, "2024.3", "fp");
  ASSERT_TRUE(c.world.run_until([&] { return c.everyone_sees_everyone_alive() && c.digests_agree(c.all()); }, 60s, 100ms));
  const std::size_t owner = 9, witness = 8;
  // Owner and one witness are cut off; the majority removes the owner's web component.
  c.world.set_partition(owner, 1);
  c.world.set_partition(witness, 1);
  c.world.run_for(2s);
  const auto* entry = c.world.engine(0).state().find(c.world.node(owner).id, "component/web");
  ASSERT_NE(entry, nullptr);
  const auto owner_id = c.world.node(owner).id;
  c.world.engine(0).write_cluster(membership::ClusterItems::removal_key(owner_id, "web"),
                                  membership::Removal{owner_id, "web", entry->entry.version, 1, 0}, c.world.now());
  c.world.run_for(20s);
  c.world.heal();
  auto hidden_everywhere = [&] {
    for (std::size_t o = 0; o < c.n; ++o) {
      const auto t = c.table(o);
      const auto* r = c.row(t, owner);
      if (!r || ModelCluster::component(*r, "web") != nullptr) return false;
    }
    return true;
  };
  ASSERT_TRUE(c.world.run_until([&] { return c.everyone_sees_everyone_alive() && hidden_everywhere(); }, 120s, 100ms))
      << "the removal did not reach every node after the heal";
  c.world.run_for(60s);  // several anti-entropy rounds with the partitioned witness
  EXPECT_TRUE(hidden_everywhere()) << "a stale peer resurrected the removed component";
  // The owner reports the component anew (a newer version): it comes back everywhere.
  c.world.engine(owner).set_local("component/web", ComponentInfo{"web", "2024.4", ""}, c.world.now());
  auto back = c.world.run_until([&] {
    for (std::size_t o = 0; o < c.n; ++o) {
      const auto t = c.table(o);
      const auto* r = c.row(t, owner);
      const auto* comp = r ? ModelCluster::component(*r, "web") : nullptr;
      if (!comp || comp->version != "2024.4") return false;
    }
    return true;
  }, 60s, 100ms);
  EXPECT_TRUE(back.has_value());
}

TEST(ClusterModel, ServiceComponentGoesStaleAtEveryObserverAndRecovers) {
  ModelCluster c(8, testing::test_seed(24));
  c.start_all();
  for (std::size_t i = 0; i < c.n; ++i) c.publish(i, "2024.3", "fp");
  ClusterConfig cfg;
  cfg.heartbeat_interval_ms = 5'000;
  cfg.stale_timeout_ms = 60'000;
  c.world.engine(0).write_cluster("config", cfg, c.world.now());
  std::uint64_t beats[8] = {};
  bool beating[8];
  std::fill(std::begin(beating), std::end(beating), true);
  auto heartbeat_round = [&] {
    for (std::size_t i = 0; i < c.n; ++i)
      if (beating[i]) c.world.engine(i).set_local("heartbeat/service", membership::Heartbeat{++beats[i]}, c.world.now());
  };
  auto stale_at = [&](std::size_t observer, std::size_t subject) {
    const auto t = c.table(observer);
    const auto* r = c.row(t, subject);
    const auto* comp = r ? ModelCluster::component(*r, "service") : nullptr;
    return comp && comp->stale;
  };
  // Two minutes of steady heartbeats: nobody is ever stale.
  for (int k = 0; k < 24; ++k) {
    heartbeat_round();
    c.world.run_for(5s);
    for (std::size_t o = 0; o < c.n; ++o)
      for (std::size_t s = 0; s < c.n; ++s) ASSERT_FALSE(stale_at(o, s)) << "observer " << o << " subject " << s;
  }
  const std::size_t quiet = 5;
  beating[quiet] = false;
  const auto stopped = c.world.now();
  // Anti-entropy carries heartbeats; an observer can lag by a few push-pull rounds.
  const auto lag = 3 * gossip::Config::local().push_pull_interval;
  std::vector<std::optional<membership::Instant>> went_stale(c.n);
  for (int k = 0; k < 40; ++k) {
    heartbeat_round();
    c.world.run_for(5s);
    for (std::size_t o = 0; o < c.n; ++o) {
      if (!went_stale[o] && stale_at(o, quiet)) went_stale[o] = c.world.now();
      for (std::size_t s = 0; s < c.n; ++s) {
        if (s != quiet) {
          ASSERT_FALSE(stale_at(o, s));
        }
      }
    }
  }
  for (std::size_t o = 0; o < c.n; ++o) {
    ASSERT_TRUE(went_stale[o].has_value()) << "observer " << o << " never saw the quiet service as stale";
    // Never before the stale timeout has passed since the last heartbeat (sent 5 s before
    // `stopped`); at the latest one timeout after it reached this observer (lag) plus one check.
    EXPECT_GE(*went_stale[o] - stopped, 60s - 5s) << "stale too early at observer " << o;
    EXPECT_LE(*went_stale[o] - stopped, 60s + lag + 5s) << "stale too late at observer " << o;
  }
  beating[quiet] = true;
  auto fresh = c.world.run_until([&] {
    heartbeat_round();
    for (std::size_t o = 0; o < c.n; ++o)
      if (stale_at(o, quiet)) return false;
    return true;
  }, 2 * lag + 10s, 5s);
  EXPECT_TRUE(fresh.has_value()) << "the service did not become fresh again everywhere";
}

TEST(ClusterModel, SixtyFourKibOfStateConvergesThroughAntiEntropy) {
  ModelCluster c(10, testing::test_seed(25));
  c.start_all();
  ASSERT_TRUE(c.world.run_until([&] { return c.everyone_sees_everyone_alive(); }, 60s));
  c.world.run_for(5s);  // joins done: only periodic anti-entropy can carry what follows
  membership::ServerInfo big;
  big.name = "big";
  for (int i = 0; i < 64; ++i) big.labels["label-" + std::to_string(i)] = std::string(1000, static_cast<char>('a' + i % 26));
  c.world.engine(4).set_local("server", big, c.world.now());
  auto t = c.world.run_until([&] {
    for (std::size_t o = 0; o < c.n; ++o) {
      const auto* e = c.world.engine(o).state().find(c.world.node(4).id, "server");
      if (!e || !std::holds_alternative<membership::ServerInfo>(e->entry.value)) return false;
      if (std::get<membership::ServerInfo>(e->entry.value).labels.size() != 64) return false;
    }
    return true;
  }, 120s, 100ms);
  ASSERT_TRUE(t.has_value()) << "64 KiB of state did not reach every node";
  EXPECT_LE(c.world.max_datagram(), gossip::Config::local().mtu) << "a datagram exceeded the MTU";
  EXPECT_TRUE(c.digests_agree(c.all()));
}

TEST(ClusterModel, JoiningNodeLearnsTheWholeStateInItsFirstPushPull) {
  ModelCluster c(11, testing::test_seed(26));
  c.world.start(0, {});
  for (std::size_t i = 1; i < 10; ++i) c.world.start(i, {0});
  for (std::size_t i = 0; i < 10; ++i) c.publish(i, "2024.3", "fp");
  ASSERT_TRUE(c.world.run_until([&] { return c.digests_agree({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}); }, 60s, 100ms));
  bool joined = false;
  c.world.on_event([&](std::size_t node, const gossip::Event& e, membership::Instant) {
    if (node == 10 && e.kind == gossip::Event::Kind::join_completed) joined = true;
  });
  c.world.start(10, {0});
  ASSERT_TRUE(c.world.run_until([&] { return joined; }, 10s, 1ms));
  for (std::size_t s = 0; s < 10; ++s) {
    const auto* owner = c.world.engine(10).state().owner(c.world.node(s).id);
    ASSERT_NE(owner, nullptr) << "no state of node " << s << " after the join push-pull";
    EXPECT_GE(owner->size(), 4u);
  }
}

TEST(ClusterModel, RestartedNodeKeepsItsRowWithoutDuplicates) {
  ModelCluster c(6, testing::test_seed(27));
  c.start_all();
  for (std::size_t i = 0; i < c.n; ++i) c.publish(i, "2024.3", "fp");
  ASSERT_TRUE(c.world.run_until([&] { return c.everyone_sees_everyone_alive(); }, 60s));
  c.world.crash(2);
  c.world.run_for(3s);
  c.world.restart(2, {0});
  c.publish(2, "2024.3", "fp");
  auto t = c.world.run_until([&] {
    for (std::size_t o = 0; o < c.n; ++o) {
      const auto tb = c.table(o);
      const auto* r = c.row(tb, 2);
      if (tb.servers.size() != c.n || !r || r->incarnation.generation != 2 || r->state != MemberState::alive) return false;
    }
    return c.digests_agree(c.all());
  }, 60s, 100ms);
  EXPECT_TRUE(t.has_value());
}

}  // namespace cluster_model_test
}  // namespace rollcall
