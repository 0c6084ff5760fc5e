// derive_table: version and key sync (prevailing among live servers), removals, name conflicts,
// shared hosts, and the convergence digest.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "TableFixture.h"
#include "membership/Rng.h"
#include "membership/WarningCatalog.h"

namespace rollcall::membership {
namespace table_sync_test {

using testing::comp;
using testing::count_code;
using testing::row;
using testing::View;
using WC = WarningCatalog;

TEST(TableSync, VersionMismatchFlaggedOnTheMinorityOnly) {
  View v;
  v.healthy(1, "2024.3");
  v.healthy(2, "2024.3");
  const auto odd = v.healthy(3, "2024.2");
  auto t = v.table(0);
  EXPECT_EQ(count_code(t, WC::kVersionOutOfSync), 2);  // web and service, both on node-3
  EXPECT_EQ(count_code(row(t, odd)->warnings, WC::kVersionOutOfSync), 2);
  EXPECT_FALSE(row(t, odd)->version_in_sync);
  EXPECT_FALSE(comp(*row(t, odd), "web")->version_in_sync);
  EXPECT_EQ(comp(*row(t, odd), "web")->prevailing_version, "2024.3");
  EXPECT_TRUE(row(t, View::id(1))->version_in_sync);
  EXPECT_TRUE(comp(*row(t, View::id(1)), "web")->version_in_sync);
  for (const auto& w : row(t, odd)->warnings)
    if (w.code == WC::kVersionOutOfSync) {
      EXPECT_NE(w.remedy.find("2024.3"), std::string::npos);
    }
}

TEST(TableSync, VersionTieGoesToTheNewest) {
  View v;
  const auto a = v.healthy(1, "2024.9");
  v.healthy(2, "2024.10");
  auto t = v.table(0);
  EXPECT_EQ(comp(*row(t, a), "web")->prevailing_version, "2024.10");
  EXPECT_FALSE(row(t, a)->version_in_sync);
  EXPECT_TRUE(row(t, View::id(2))->version_in_sync);
}

TEST(TableSync, OnlyLiveServersVote) {
  View v;
  v.healthy(1, "2.0");
  v.healthy(2, "2.0");
  for (int n = 3; n <= 5; ++n) {
    v.healthy(n, "1.0");
    v.member(View::id(n))->state = n == 5 ? MemberState::left : MemberState::dead;
  }
  auto t = v.table(0);
  EXPECT_EQ(comp(*row(t, View::id(1)), "web")->prevailing_version, "2.0");
  EXPECT_TRUE(row(t, View::id(1))->version_in_sync);
  EXPECT_FALSE(row(t, View::id(3))->version_in_sync);
  // A suspect server still votes.
  v.member(View::id(3))->state = MemberState::suspect;
  v.member(View::id(4))->state = MemberState::suspect;
  v.member(View::id(5))->state = MemberState::suspect;
  auto t2 = v.table(0);
  EXPECT_EQ(comp(*row(t2, View::id(1)), "web")->prevailing_version, "1.0");
}

TEST(TableSync, KeyNotSetIsAnError) {
  View v;
  v.healthy(1);
  v.healthy(2);
  const auto a = v.healthy(3, "2024.3", "");  // published as not set
  auto t = v.table(0);
  ASSERT_EQ(count_code(row(t, a)->warnings, WC::kKeyNotSet), 1);
  EXPECT_EQ(count_code(t, WC::kKeyNotSet), 1);
  EXPECT_EQ(count_code(t, WC::kKeyNotSynchronized), 0);
  EXPECT_FALSE(row(t, a)->key_in_sync);
  ASSERT_EQ(row(t, a)->keys.size(), 1u);
  EXPECT_EQ(row(t, a)->keys[0].name, "encryption");
  EXPECT_FALSE(row(t, a)->keys[0].in_sync);
  EXPECT_EQ(row(t, a)->status, Health::error);
  for (const auto& w : row(t, a)->warnings) {
    if (w.code != WC::kKeyNotSet) continue;
    EXPECT_EQ(w.severity, TableWarning::Severity::error);
    EXPECT_NE(w.message.find("machine key"), std::string::npos);
    EXPECT_NE(w.message.find("log in"), std::string::npos);
  }
  EXPECT_TRUE(row(t, View::id(1))->key_in_sync);
}

TEST(TableSync, KeyMissingOnOneServerCountsAsNotSet) {
  View v;
  v.healthy(1);
  const auto a = View::id(2);
  v.add_member(a, "node-2");
  v.server(a, "node-2");  // publishes no key/encryption at all
  auto t = v.table(0);
  EXPECT_EQ(count_code(row(t, a)->warnings, WC::kKeyNotSet), 1);
  // A server whose state has not arrived yet is not judged.
  const auto b = View::id(3);
  v.add_member(b, "node-3");
  EXPECT_EQ(count_code(row(v.table(0), b)->warnings, WC::kKeyNotSet), 0);
}

TEST(TableSync, KeyMismatchFlaggedOnTheMinority) {
  View v;
  v.healthy(1, "2024.3", "aaaa1111");
  v.healthy(2, "2024.3", "aaaa1111");
  const auto a = v.healthy(3, "2024.3", "bbbb2222");
  auto t = v.table(0);
  EXPECT_EQ(count_code(t, WC::kKeyNotSynchronized), 1);
  ASSERT_EQ(count_code(row(t, a)->warnings, WC::kKeyNotSynchronized), 1);
  EXPECT_FALSE(row(t, a)->key_in_sync);
  EXPECT_EQ(row(t, a)->keys[0].prevailing, "aaaa1111");
  EXPECT_NE(row(t, a)->warnings[0].message.find("decryption"), std::string::npos);
  EXPECT_TRUE(row(t, View::id(1))->key_in_sync);
  // All equal: no key warning.
  v.key(a, "encryption", "aaaa1111");
  EXPECT_EQ(count_code(v.table(0), WC::kKeyNotSynchronized), 0);
}

TEST(TableSync, RemovedComponentHiddenUntilReportedAnew) {
  View v;
  const auto a = v.healthy(1);
  const std::uint64_t web_version = v.store.find(a, StateKeys::component("web"))->entry.version;
  v.items.apply(ClusterItem{ClusterItems::removal_key(a, "web"), 1, View::id(7),
                            Removal{a, "web", web_version, 0, 0}},
                v.t(0));
  auto t = v.table(0);
  EXPECT_EQ(comp(*row(t, a), "web"), nullptr);
  EXPECT_NE(comp(*row(t, a), "service"), nullptr);
  // A stale peer re-sending the old entry changes nothing (same version is rejected anyway),
  // and a heartbeat of the removed component does not bring it back.
  v.heartbeat(a, "web", 10);
  EXPECT_EQ(comp(*row(v.table(20), a), "web"), nullptr);
  // The owner reports the component anew (newer version): it reappears.
  v.component(a, "web", "2024.3", 30);
  EXPECT_NE(comp(*row(v.table(40), a), "web"), nullptr);
}

TEST(TableSync, RemovedComponentDoesNotVote) {
  View v;
  v.healthy(1, "2.0");
  const auto b = v.healthy(2, "1.0");
  const auto c = v.healthy(3, "1.0");
  for (auto id : {b, c}) {
    const auto ver = v.store.find(id, StateKeys::component("web"))->entry.version;
    v.items.apply(ClusterItem{ClusterItems::removal_key(id, "web"), 1, id, Removal{id, "web", ver, 0, 0}}, v.t(0));
  }
  auto t = v.table(0);
  EXPECT_EQ(comp(*row(t, View::id(1)), "web")->prevailing_version, "2.0");
  EXPECT_TRUE(comp(*row(t, View::id(1)), "web")->version_in_sync);
}

TEST(TableSync, WholeServerRemovalHidesUntilANewGeneration) {
  View v;
  v.self = v.healthy(1);
  const auto gone = v.healthy(2);
  v.member(gone)->state = MemberState::dead;
  v.items.apply(ClusterItem{ClusterItems::removal_key(gone, ""), 1, View::id(1), Removal{gone, "", 0, 1, 0}},
                v.t(0));
  auto t = v.table(0);
  EXPECT_EQ(row(t, gone), nullptr);
  EXPECT_EQ(t.server_count, 1u);
  EXPECT_EQ(count_code(t, WC::kServerUnreachable), 0);
  // The server restarts (generation 2): it is back.
  v.member(gone)->state = MemberState::alive;
  v.member(gone)->incarnation = {2, 0};
  auto t2 = v.table(0);
  ASSERT_NE(row(t2, gone), nullptr);
  EXPECT_EQ(t2.server_count, 2u);
}

TEST(TableSync, NameConflictBetweenLiveServers) {
  View v;
  const auto a = v.healthy(1);
  const auto b = View::id(2);
  v.add_member(b, "node-1");
  v.server(b, "node-1", "host-2");
  v.key(b, "encryption", "aaaa1111bbbb2222");
  auto t = v.table(0);
  EXPECT_EQ(count_code(t.warnings, WC::kNameConflict), 1);
  EXPECT_EQ(count_code(row(t, a)->warnings, WC::kNameConflict), 1);
  EXPECT_EQ(count_code(row(t, b)->warnings, WC::kNameConflict), 1);
  EXPECT_NE(t.warnings[0].message.find(a.short_hex()), std::string::npos);
  EXPECT_NE(t.warnings[0].message.find(b.short_hex()), std::string::npos);
  EXPECT_EQ(t.status, Health::warning);
  v.member(b)->state = MemberState::dead;
  EXPECT_EQ(count_code(v.table(0), WC::kNameConflict), 0);
}

TEST(TableSync, TwoServersOnOnePhysicalHost) {
  View v;
  const auto a = v.healthy(1);
  const auto b = v.healthy(2);
  v.healthy(3);
  EXPECT_EQ(count_code(v.table(0), WC::kSharedHost), 0);
  v.server(b, "node-2", "host-1");
  auto t = v.table(0);
  ASSERT_EQ(count_code(t.warnings, WC::kSharedHost), 1);
  EXPECT_NE(t.warnings[0].message.find("network card"), std::string::npos);
  EXPECT_EQ(count_code(row(t, a)->warnings, WC::kSharedHost), 1);
  EXPECT_EQ(count_code(row(t, b)->warnings, WC::kSharedHost), 1);
  EXPECT_EQ(count_code(row(t, View::id(3))->warnings, WC::kSharedHost), 0);
  // Unknown host ids never match.
  v.server(a, "node-1", "");
  v.server(b, "node-2", "");
  EXPECT_EQ(count_code(v.table(0), WC::kSharedHost), 0);
}

// Builds the same content in a random order, with a random clock offset and random receive times.
View shuffled_view(std::uint64_t seed) {
  Rng rng(seed);
  View v;
  v.epoch = std::chrono::milliseconds(static_cast<std::int64_t>(rng.below(10'000'000)));
  struct Put {
    NodeId owner;
    StateEntry e;
  };
  std::vector<Put> puts;
  for (int n = 1; n <= 6; ++n) {
    const auto id = View::id(n);
    std::uint64_t ver = 0;
    ServerInfo info{"node-" + std::to_string(n), "Debian", "12", {"10.0.0." + std::to_string(n)}, "0.1.0", 1,
                    "h" + std::to_string(n), {{"zone", n % 2 ? "a" : "b"}}};
    puts.push_back({id, {"server", ++ver, info}});
    puts.push_back({id, {"component/web", ++ver, ComponentInfo{"web", n == 6 ? "1.9" : "2.0", "http://x"}}});
    puts.push_back({id, {"key/encryption", ++ver, KeyFingerprint{"abcd"}}});
    puts.push_back({id, {"heartbeat/web", ++ver, Heartbeat{ver}}});
    v.counters[id] = ver;
  }
  std::shuffle(puts.begin(), puts.end(), rng);
  for (const auto& p : puts) {
    std::vector<StateEntry> one{p.e};
    v.store.apply(p.owner, one, v.t(static_cast<std::int64_t>(rng.below(1000))));
  }
  std::vector<int> order{1, 2, 3, 4, 5, 6};
  std::shuffle(order.begin(), order.end(), rng);
  for (int n : order) v.add_member(View::id(n), "node-" + std::to_string(n));
  v.member(View::id(6))->state = MemberState::dead;
  v.member(View::id(3))->incarnation = {1, 4};
  ClusterConfig c;
  c.load_balancing = false;
  std::vector<ClusterItem> items{ClusterItem{"config", 2, View::id(2), c},
                                 ClusterItem{"config", 1, View::id(3), ClusterConfig{}},
                                 ClusterItem{ClusterItems::removal_key(View::id(5), "web"), 3, View::id(1),
                                             Removal{View::id(5), "web", 2, 0, 0}}};
  std::shuffle(items.begin(), items.end(), rng);
  for (const auto& i : items) v.items.apply(i, v.t(0));
  return v;
}

TEST(TableDigest, EqualViewsGiveEqualDigestsAndTables) {
  const std::uint64_t seed = std::random_device{}();
  std::printf("TableDigest.EqualViewsGiveEqualDigestsAndTables seed=%llu\n", static_cast<unsigned long long>(seed));
  View a = shuffled_view(seed);
  View b = shuffled_view(seed ^ 0x9e3779b97f4a7c15ULL);
  auto ta = a.table(2'000);
  auto tb = b.table(50'000'000);
  EXPECT_EQ(ta.digest.size(), 16u);
  EXPECT_EQ(ta.digest, tb.digest) << "seed=" << seed;
  // Same content apart from ages (and what depends on them).
  auto strip = [](ClusterTable t) {
    for (auto& s : t.servers) {
      s.last_heard_ms.reset();
      for (auto& c : s.components) c.heartbeat_age_ms.reset();
    }
    return t;
  };
  EXPECT_EQ(strip(a.table(2'000)), strip(b.table(2'000))) << "seed=" << seed;
}

TEST(TableDigest, IgnoresVolatileEntriesAgesAndSuspicion) {
  View v = shuffled_view(1);
  const auto d0 = v.table(0).digest;
  EXPECT_EQ(v.table(123'456'789).digest, d0);
  v.heartbeat(View::id(1), "web", 10);
  v.put(View::id(1), StateKeys::verify("web"), Verification{Verification::Result::ok, "HTTP 200", 5});
  EXPECT_EQ(v.table(0).digest, d0);
  v.member(View::id(2))->state = MemberState::suspect;
  v.member(View::id(2))->last_heard = v.t(99);
  v.member(View::id(2))->recent_suspicions = 3;
  EXPECT_EQ(v.table(0).digest, d0);
}

TEST(TableDigest, ChangesWithReplicatedContent) {
  const auto base = shuffled_view(1).table(0).digest;
  {
    View v = shuffled_view(1);
    v.component(View::id(1), "web", "2.1");
    EXPECT_NE(v.table(0).digest, base);
  }
  {
    View v = shuffled_view(1);
    ClusterConfig c;
    c.stale_timeout_ms = 600'000;
    v.items.apply(ClusterItem{"config", 9, View::id(1), c}, v.t(0));
    EXPECT_NE(v.table(0).digest, base);
  }
  {
    View v = shuffled_view(1);
    v.member(View::id(2))->state = MemberState::dead;
    EXPECT_NE(v.table(0).digest, base);
  }
  {
    View v = shuffled_view(1);
    v.member(View::id(2))->incarnation = {2, 0};
    EXPECT_NE(v.table(0).digest, base);
  }
  {
    View v = shuffled_view(1);
    v.add_member(View::id(40), "node-40");
    EXPECT_NE(v.table(0).digest, base);
  }
}

TEST(TableDigest, ConfigShownWithItsVersion) {
  View v = shuffled_view(7);
  auto t = v.table(0);
  EXPECT_FALSE(t.config.load_balancing);
  EXPECT_EQ(t.config_lamport, 2u);
  ASSERT_TRUE(t.config_writer.has_value());
  EXPECT_EQ(*t.config_writer, View::id(2));
  View empty;
  auto t2 = empty.table(0);
  EXPECT_EQ(t2.config, ClusterConfig{});
  EXPECT_EQ(t2.config_lamport, 0u);
  EXPECT_FALSE(t2.config_writer.has_value());
}

}  // namespace table_sync_test
}  // namespace rollcall::membership
