// StateStore: scuttlebutt merge by per-key version, newer_than, digest, deletions, forget, size.
#include "membership/StateStore.h"

#include <gtest/gtest.h>

#include "membership/SyncHash.h"

namespace rollcall::membership {
namespace state_store_test {

const NodeId kA = NodeId::from_words(1, 1);
const NodeId kB = NodeId::from_words(2, 2);

StateEntry comp(std::string kind, std::uint64_t version, std::string sw = "1.0") {
  return StateEntry{"component/" + kind, version, ComponentInfo{kind, std::move(sw), ""}};
}
StateEntry hb(std::string kind, std::uint64_t version, std::uint64_t counter) {
  return StateEntry{"heartbeat/" + kind, version, Heartbeat{counter}};
}

TEST(StateStore, AcceptsOnlyNewerVersionPerKey) {
  StateStore s;
  std::vector<StateEntry> first{comp("web", 3, "1.0"), hb("web", 4, 1)};
  auto accepted = s.apply(kA, first, from_us(10));
  EXPECT_EQ(accepted.size(), 2u);
  EXPECT_EQ(s.version(kA), 4u);

  // Same version again, and an older one: both rejected, value unchanged, received_at unchanged.
  std::vector<StateEntry> stale{comp("web", 3, "9.9"), comp("web", 2, "0.1")};
  EXPECT_TRUE(s.apply(kA, stale, from_us(20)).empty());
  ASSERT_NE(s.find(kA, "component/web"), nullptr);
  EXPECT_EQ(std::get<ComponentInfo>(s.find(kA, "component/web")->entry.value).version, "1.0");
  EXPECT_EQ(s.find(kA, "component/web")->received_at, from_us(10));

  // Newer: accepted and stamped with the time of acceptance.
  std::vector<StateEntry> newer{comp("web", 7, "2.0")};
  auto acc = s.apply(kA, newer, from_us(30));
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_EQ(acc[0], newer[0]);
  EXPECT_EQ(std::get<ComponentInfo>(s.find(kA, "component/web")->entry.value).version, "2.0");
  EXPECT_EQ(s.find(kA, "component/web")->received_at, from_us(30));
  EXPECT_EQ(s.version(kA), 7u);
}

TEST(StateStore, AnyOrderAndDuplicatesInOneBatch) {
  StateStore s;
  std::vector<StateEntry> batch{hb("web", 5, 3), hb("web", 2, 1), hb("web", 5, 3), comp("web", 1)};
  auto acc = s.apply(kA, batch, from_us(1));
  EXPECT_EQ(acc.size(), 2u);  // hb v5 and comp v1; v2 is older than v5, the duplicate equal
  EXPECT_EQ(std::get<Heartbeat>(s.find(kA, "heartbeat/web")->entry.value).counter, 3u);
  EXPECT_EQ(s.version(kA), 5u);
}

TEST(StateStore, VersionZeroIsNeverAccepted) {
  StateStore s;
  std::vector<StateEntry> batch{comp("web", 0)};
  EXPECT_TRUE(s.apply(kA, batch, from_us(1)).empty());
  EXPECT_EQ(s.owners(), 0u);
  EXPECT_EQ(s.owner(kA), nullptr);
}

TEST(StateStore, NewerThanIsAscendingAndExclusive) {
  StateStore s;
  std::vector<StateEntry> batch{hb("web", 9, 4), comp("web", 2), comp("service", 6), hb("service", 4, 1)};
  s.apply(kA, batch, from_us(1));
  auto all = s.newer_than(kA, 0);
  ASSERT_EQ(all.size(), 4u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].version, all[i].version);
  auto some = s.newer_than(kA, 4);
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0].version, 6u);
  EXPECT_EQ(some[1].version, 9u);
  EXPECT_TRUE(s.newer_than(kA, 9).empty());
  EXPECT_TRUE(s.newer_than(kB, 0).empty());
}

TEST(StateStore, DigestListsEveryOwnerSortedById) {
  StateStore s;
  std::vector<StateEntry> b1{comp("web", 3)}, a1{comp("web", 8)};
  s.apply(kB, b1, from_us(1));
  s.apply(kA, a1, from_us(1));
  auto d = s.digest();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0], std::make_pair(kA, std::uint64_t{8}));
  EXPECT_EQ(d[1], std::make_pair(kB, std::uint64_t{3}));
  EXPECT_EQ(s.owners(), 2u);
}

TEST(StateStore, DeletionsReplicateAsNewerMonostateEntries) {
  StateStore s;
  std::vector<StateEntry> add{comp("web", 1)};
  s.apply(kA, add, from_us(1));
  std::vector<StateEntry> del{StateEntry{"component/web", 2, std::monostate{}}};
  EXPECT_EQ(s.apply(kA, del, from_us(2)).size(), 1u);
  const auto* e = s.find(kA, "component/web");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->entry.deleted());
  // The deletion is what a peer behind version 1 needs.
  auto delta = s.newer_than(kA, 1);
  ASSERT_EQ(delta.size(), 1u);
  EXPECT_TRUE(delta[0].deleted());
  // And a stale re-send of the old value cannot undo it.
  EXPECT_TRUE(s.apply(kA, add, from_us(3)).empty());
  EXPECT_TRUE(s.find(kA, "component/web")->entry.deleted());
}

TEST(StateStore, ForgetDropsTheOwner) {
  StateStore s;
  std::vector<StateEntry> a{comp("web", 1)};
  s.apply(kA, a, from_us(1));
  s.apply(kB, a, from_us(1));
  s.forget(kA);
  EXPECT_EQ(s.owner(kA), nullptr);
  EXPECT_EQ(s.version(kA), 0u);
  EXPECT_EQ(s.bytes_estimate(kA), 0u);
  EXPECT_EQ(s.owners(), 1u);
}

TEST(StateStore, BytesEstimateTracksReplacements) {
  StateStore s;
  std::vector<StateEntry> small{comp("web", 1, "1")};
  s.apply(kA, small, from_us(1));
  const auto before = s.bytes_estimate(kA);
  EXPECT_EQ(before, StateStore::estimate_size(small[0]));
  std::vector<StateEntry> big{comp("web", 2, std::string(1000, 'x'))};
  s.apply(kA, big, from_us(2));
  EXPECT_EQ(s.bytes_estimate(kA), StateStore::estimate_size(big[0]));
  EXPECT_GT(s.bytes_estimate(kA), before + 900);
  std::vector<StateEntry> more{hb("web", 3, 1)};
  s.apply(kA, more, from_us(3));
  EXPECT_EQ(s.bytes_estimate(kA), StateStore::estimate_size(big[0]) + StateStore::estimate_size(more[0]));
}

// The store's sync hash (the state part of ADR 0005's summary) stays equal to a full rehash
// through applies (new keys, newer and stale versions, deletions) and forgets.
TEST(StateStore, SyncXorMatchesAFullRehash) {
  StateStore s;
  auto full = [&] {
    std::uint64_t x = 0;
    for (const auto& [owner, v] : s.digest()) {
      (void)v;
      for (const auto& [key, stored] : *s.owner(owner)) x ^= state_sync_hash(owner, key, stored.entry.version);
    }
    return x;
  };
  EXPECT_EQ(s.sync_xor(), 0u);
  std::vector<StateEntry> a{comp("web", 3), hb("web", 4, 1)};
  s.apply(kA, a, from_us(1));
  EXPECT_EQ(s.sync_xor(), full());
  std::vector<StateEntry> b{comp("web", 5, "2.0"), comp("service", 2), comp("web", 1, "0.1")};
  s.apply(kA, b, from_us(2));
  s.apply(kB, a, from_us(2));
  EXPECT_EQ(s.sync_xor(), full());
  std::vector<StateEntry> del{StateEntry{"component/web", 6, std::monostate{}}};
  s.apply(kA, del, from_us(3));
  EXPECT_EQ(s.sync_xor(), full());
  s.forget(kA);
  EXPECT_EQ(s.sync_xor(), full());
  s.forget(kB);
  EXPECT_EQ(s.sync_xor(), 0u);
}

}  // namespace state_store_test
}  // namespace rollcall::membership
