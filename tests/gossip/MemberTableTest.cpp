// Randomized round-robin probe order: each live member probed once per round, new members
// inserted at random positions, dead/left/self never probed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cluster/TestSeed.h"
#include "membership/MemberTable.h"

namespace rollcall::membership {
namespace member_table_test {

Member make(std::uint64_t i, MemberState s = MemberState::alive) {
  Member m;
  m.id = NodeId::from_words(0, i);
  m.name = "n" + std::to_string(i);
  m.state = s;
  return m;
}

TEST(MemberTable, EveryLiveMemberIsProbedOncePerRound) {
  Rng rng(rollcall::testing::test_seed(3));
  MemberTable t(NodeId::from_words(0, 1000));
  t.add(make(1000), rng);  // self
  for (std::uint64_t i = 1; i <= 50; ++i) t.add(make(i), rng);
  for (int round = 0; round < 20; ++round) {
    std::set<NodeId> seen;
    for (int k = 0; k < 50; ++k) {
      auto id = t.next_probe_target(rng);
      ASSERT_TRUE(id);
      EXPECT_NE(*id, t.self_id());
      EXPECT_TRUE(seen.insert(*id).second) << "probed twice in one round";
    }
    EXPECT_EQ(seen.size(), 50u);
  }
}

TEST(MemberTable, OrderIsReshuffledBetweenRounds) {
  Rng rng(rollcall::testing::test_seed(4));
  MemberTable t(NodeId::from_words(0, 1000));
  for (std::uint64_t i = 1; i <= 30; ++i) t.add(make(i), rng);
  std::vector<NodeId> first, second;
  for (int k = 0; k < 30; ++k) first.push_back(*t.next_probe_target(rng));
  for (int k = 0; k < 30; ++k) second.push_back(*t.next_probe_target(rng));
  EXPECT_NE(first, second);
}

TEST(MemberTable, DeadLeftAndSelfAreNeverProbed) {
  Rng rng(rollcall::testing::test_seed(5));
  MemberTable t(NodeId::from_words(0, 1));
  t.add(make(1), rng);
  t.add(make(2, MemberState::dead), rng);
  t.add(make(3, MemberState::left), rng);
  t.add(make(4, MemberState::suspect), rng);
  t.add(make(5), rng);
  EXPECT_EQ(t.live_count(), 3u);
  std::map<NodeId, int> count;
  for (int k = 0; k < 100; ++k) count[*t.next_probe_target(rng)]++;
  EXPECT_EQ(count.size(), 2u);
  EXPECT_EQ(count[NodeId::from_words(0, 4)], 50);
  EXPECT_EQ(count[NodeId::from_words(0, 5)], 50);
}

TEST(MemberTable, NewMembersLandAtRandomPositions) {
  // Over many trials a member added mid-round is probed at every position of the next round.
  std::set<int> positions;
  for (std::uint64_t trial = 0; trial < 200; ++trial) {
    Rng rng(trial);
    MemberTable t(NodeId::from_words(0, 999));
    for (std::uint64_t i = 1; i <= 9; ++i) t.add(make(i), rng);
    t.add(make(10), rng);
    for (int k = 0; k < 10; ++k) {
      if (*t.next_probe_target(rng) == NodeId::from_words(0, 10)) positions.insert(k);
    }
  }
  EXPECT_EQ(positions.size(), 10u);
}

TEST(MemberTable, RandomMembersHonoursThePredicateAndK) {
  Rng rng(rollcall::testing::test_seed(6));
  MemberTable t(NodeId::from_words(0, 0));
  for (std::uint64_t i = 1; i <= 100; ++i) t.add(make(i, i % 2 ? MemberState::alive : MemberState::dead), rng);
  auto picked = t.random_members(3, rng, [](const Member& m) { return m.state == MemberState::alive; });
  EXPECT_EQ(picked.size(), 3u);
  std::set<NodeId> uniq(picked.begin(), picked.end());
  EXPECT_EQ(uniq.size(), 3u);
  for (const auto& id : picked) EXPECT_EQ(t.find(id)->state, MemberState::alive);
}

TEST(MemberTable, EraseAndCountsStayConsistent) {
  Rng rng(rollcall::testing::test_seed(7));
  MemberTable t(NodeId::from_words(0, 0));
  for (std::uint64_t i = 1; i <= 10; ++i) t.add(make(i), rng);
  t.set_state(*t.find(NodeId::from_words(0, 3)), MemberState::dead, Instant{});
  t.erase(NodeId::from_words(0, 4));
  EXPECT_EQ(t.size(), 9u);
  EXPECT_EQ(t.live_count(), 8u);
  EXPECT_TRUE(t.ids_named("n4").empty());
  std::set<NodeId> seen;
  for (int k = 0; k < 8; ++k) seen.insert(*t.next_probe_target(rng));
  EXPECT_EQ(seen.size(), 8u);
}

}  // namespace member_table_test
}  // namespace rollcall::membership
