// ClusterItems: last-writer-wins by (lamport, writer), commutativity over random orders,
// anti-entropy digests, and collection of removal tombstones after the grace.
#include "membership/ClusterItems.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <set>
#include <tuple>

#include "membership/Rng.h"

namespace rollcall::membership {
namespace cluster_items_test {

const NodeId kW1 = NodeId::from_words(1, 0);
const NodeId kW2 = NodeId::from_words(2, 0);
const NodeId kServer = NodeId::from_words(9, 9);

ClusterItem config_item(std::uint64_t lamport, NodeId writer, std::int64_t stale_ms) {
  ClusterConfig c;
  c.stale_timeout_ms = stale_ms;
  return ClusterItem{"config", lamport, writer, c};
}

ClusterItem removal_item(std::string kind, std::uint64_t lamport, std::int64_t age_ms = 0) {
  Removal r{kServer, kind, 5, 0, age_ms};
  return ClusterItem{ClusterItems::removal_key(kServer, kind), lamport, kW1, r};
}

TEST(ClusterItems, RemovalKeys) {
  EXPECT_EQ(ClusterItems::removal_key(kServer, "web"), "removal/" + kServer.hex() + "/web");
  EXPECT_EQ(ClusterItems::removal_key(kServer, ""), "removal/" + kServer.hex());
}

TEST(ClusterItems, DefaultsWhenNothingWritten) {
  ClusterItems items;
  EXPECT_EQ(items.config(), ClusterConfig{});
  EXPECT_EQ(items.max_lamport(), 0u);
  EXPECT_EQ(items.get("config"), nullptr);
}

TEST(ClusterItems, HigherLamportWins) {
  ClusterItems items;
  EXPECT_TRUE(items.apply(config_item(1, kW2, 60'000), from_us(0)));
  EXPECT_TRUE(items.apply(config_item(2, kW1, 70'000), from_us(0)));
  EXPECT_FALSE(items.apply(config_item(1, kW2, 80'000), from_us(0)));
  EXPECT_EQ(items.config().stale_timeout_ms, 70'000);
  EXPECT_EQ(items.max_lamport(), 2u);
}

TEST(ClusterItems, TieOnLamportGoesToTheGreaterWriter) {
  ClusterItems a, b;
  a.apply(config_item(3, kW1, 60'000), from_us(0));
  a.apply(config_item(3, kW2, 90'000), from_us(0));
  b.apply(config_item(3, kW2, 90'000), from_us(0));
  EXPECT_FALSE(b.apply(config_item(3, kW1, 60'000), from_us(0)));
  EXPECT_EQ(a.config().stale_timeout_ms, 90'000);
  EXPECT_EQ(b.config().stale_timeout_ms, 90'000);
  // Re-applying the same write is idempotent (not "stored" again).
  EXPECT_FALSE(a.apply(config_item(3, kW2, 90'000), from_us(0)));
}

TEST(ClusterItems, ConcurrentWritesCommuteOverRandomOrders) {
  const std::uint64_t seed = std::random_device{}();
  std::printf("ClusterItems.ConcurrentWritesCommuteOverRandomOrders seed=%llu\n",
              static_cast<unsigned long long>(seed));
  Rng rng(seed);
  std::vector<ClusterItem> writes;
  std::set<std::tuple<std::string, std::uint64_t, NodeId>> seen;  // a writer never reuses a lamport for a key
  while (writes.size() < 40) {
    const auto lamport = 1 + rng.below(6);
    const auto writer = NodeId::from_words(1 + rng.below(4), 0);
    const std::string key = rng.below(3) == 0 ? "config" : ClusterItems::removal_key(kServer, "k" + std::to_string(rng.below(4)));
    if (!seen.insert({key, lamport, writer}).second) continue;
    if (key == "config") {
      writes.push_back(config_item(lamport, writer, 10'000 + static_cast<std::int64_t>(rng.below(1000))));
    } else {
      ClusterItem r = removal_item("x", lamport);
      r.key = key;
      r.writer = writer;
      std::get<Removal>(r.value).owner_version = rng.below(100);
      writes.push_back(r);
    }
  }
  ClusterItems reference;
  for (const auto& w : writes) reference.apply(w, from_us(0));
  for (int round = 0; round < 20; ++round) {
    std::shuffle(writes.begin(), writes.end(), rng);
    ClusterItems other;
    // Duplicates too: re-apply a random prefix.
    for (const auto& w : writes) other.apply(w, from_us(round));
    for (std::size_t i = 0; i < writes.size() / 2; ++i) other.apply(writes[i], from_us(round));
    ASSERT_EQ(other.all(), reference.all()) << "seed=" << seed << " round=" << round;
    ASSERT_EQ(other.max_lamport(), reference.max_lamport());
  }
}

TEST(ClusterItems, NewerThanSendsWhatTheRemoteLacksOrHasOlder) {
  ClusterItems mine, theirs;
  mine.apply(config_item(4, kW1, 60'000), from_us(0));
  mine.apply(removal_item("web", 2), from_us(0));
  mine.apply(removal_item("service", 3), from_us(0));
  theirs.apply(config_item(4, kW1, 60'000), from_us(0));   // same
  theirs.apply(removal_item("web", 1), from_us(0));        // older
  auto remote = theirs.digest();
  auto out = mine.newer_than(remote);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].key, ClusterItems::removal_key(kServer, "service"));
  EXPECT_EQ(out[1].key, ClusterItems::removal_key(kServer, "web"));
  for (const auto& item : out) theirs.apply(item, from_us(1));
  EXPECT_TRUE(mine.newer_than(theirs.digest()).empty());
  EXPECT_EQ(theirs.all(), mine.all());
  // And the remote has nothing newer for us.
  EXPECT_TRUE(theirs.newer_than(mine.digest()).empty());
}

TEST(ClusterItems, DigestIsSortedByKey) {
  ClusterItems items;
  items.apply(removal_item("web", 2), from_us(0));
  items.apply(config_item(1, kW2, 60'000), from_us(0));
  auto d = items.digest();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].key, "config");
  EXPECT_EQ(d[0].lamport, 1u);
  EXPECT_EQ(d[0].writer, kW2);
  EXPECT_LT(d[0].key, d[1].key);
}

TEST(ClusterItems, CollectDropsRemovalsAfterTheGraceOnly) {
  ClusterItems items;
  const Duration grace = std::chrono::hours(72);
  items.apply(config_item(1, kW1, 60'000), from_us(0));
  items.apply(removal_item("web", 2), Instant{} + std::chrono::hours(1));
  // Published already 10 h old, received at t = 1 h: its age reaches 72 h at t = 63 h.
  items.apply(removal_item("service", 3, 10 * 3600 * 1000), Instant{} + std::chrono::hours(1));
  EXPECT_EQ(items.collect(Instant{} + std::chrono::hours(63) - std::chrono::microseconds(1), grace), 0u);
  EXPECT_EQ(items.collect(Instant{} + std::chrono::hours(63), grace), 1u);
  EXPECT_EQ(items.component_removal(kServer, "service"), nullptr);
  ASSERT_NE(items.component_removal(kServer, "web"), nullptr);
  EXPECT_EQ(items.collect(Instant{} + std::chrono::hours(73) - std::chrono::microseconds(1), grace), 0u);
  EXPECT_EQ(items.collect(Instant{} + std::chrono::hours(73), grace), 1u);
  EXPECT_TRUE(items.removals().empty());
  // The config is never collected, and the Lamport clock never goes back.
  EXPECT_NE(items.get("config"), nullptr);
  EXPECT_EQ(items.max_lamport(), 3u);
}

TEST(ClusterItems, RemovalLookups) {
  ClusterItems items;
  items.apply(removal_item("web", 1), from_us(0));
  items.apply(removal_item("", 2), from_us(0));
  ASSERT_NE(items.component_removal(kServer, "web"), nullptr);
  EXPECT_EQ(items.component_removal(kServer, "web")->owner_version, 5u);
  EXPECT_EQ(items.component_removal(kServer, "service"), nullptr);
  EXPECT_NE(items.server_removal(kServer), nullptr);
  EXPECT_EQ(items.server_removal(kW1), nullptr);
  EXPECT_EQ(items.removals().size(), 2u);
}

}  // namespace cluster_items_test
}  // namespace rollcall::membership
