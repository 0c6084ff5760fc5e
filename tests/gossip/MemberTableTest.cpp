// Randomized round-robin probe order: each live member probed once per round, new members
// inserted at random positions, dead/left/self never probed.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cluster/TestSeed.h"
#include "membership/MemberTable.h"
#include "membership/SyncHash.h"

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

// The probe cycle finds its target again on the ack through the slot next_probe_member reported.
// That shortcut must never return another member: not after the target was erased, not after its
// slot went to a newcomer, not for a slot out of range.
TEST(MemberTable, FindWithASlotHintChecksTheId) {
  Rng rng(rollcall::testing::test_seed(7));
  MemberTable t(NodeId::from_words(0, 1000));
  t.add(make(1000), rng);  // self
  t.add(make(1), rng);
  std::uint32_t slot = 0;
  Member* m = t.next_probe_member(rng, &slot);
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->id, NodeId::from_words(0, 1));
  EXPECT_EQ(t.find(m->id, slot), m);
  EXPECT_EQ(t.find(m->id, slot + 1000), m) << "an out-of-range hint falls back to the index";
  EXPECT_EQ(t.find(NodeId::from_words(0, 1000), slot), t.find(NodeId::from_words(0, 1000)))
      << "a hint naming another member's slot falls back to the index";

  t.erase(NodeId::from_words(0, 1));
  EXPECT_EQ(t.find(NodeId::from_words(0, 1), slot), nullptr) << "erased member found through its old slot";
  EXPECT_EQ(t.find(NodeId{}, slot), nullptr) << "the nil id matched an erased slot";
  Member& newcomer = t.add(make(2), rng);  // reuses the freed slot
  EXPECT_EQ(&newcomer, t.find(NodeId::from_words(0, 2), slot));
  EXPECT_EQ(t.find(NodeId::from_words(0, 1), slot), nullptr) << "the slot's new owner was returned for the old id";
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

// The table's sync hash (the member part of ADR 0005's summary) stays equal to a full rehash
// through every kind of change, and is zero for an empty table.
TEST(MemberTable, SyncXorMatchesAFullRehashThroughRandomChanges) {
  Rng rng(rollcall::testing::test_seed(8));
  MemberTable t(NodeId::from_words(0, 1000));
  auto full = [&] {
    std::uint64_t x = 0;
    t.for_each([&](const Member& m) { x ^= member_sync_hash(m.id, m.name, m.address, m.incarnation, m.state); });
    return x;
  };
  EXPECT_EQ(t.sync_xor(), 0u);
  std::set<std::uint64_t> present;
  for (int step = 0; step < 5000; ++step) {
    const std::uint64_t i = 1 + rng.below(60);
    Member* m = t.find(NodeId::from_words(0, i));
    switch (rng.below(6)) {
      case 0:
        if (!m) t.add(make(i, static_cast<MemberState>(rng.below(4))), rng);
        break;
      case 1:
        if (m) t.erase(m->id);
        break;
      case 2:
        if (m) t.set_state(*m, static_cast<MemberState>(rng.below(4)), Instant{});
        break;
      case 3:
        if (m) t.rename(*m, "n" + std::to_string(rng.below(80)));
        break;
      case 4:
        if (m) t.set_incarnation(*m, Incarnation{rng.below(3), rng.below(5)});
        break;
      case 5:
        if (m) t.set_address(*m, Address::v4(0x0A000000 + static_cast<std::uint32_t>(rng.below(4)),
                                               static_cast<std::uint16_t>(7946 + rng.below(2))));
        break;
    }
    ASSERT_EQ(t.sync_xor(), full()) << "after step " << step;
  }
  // A Member that is not the table's: the setters only set the field.
  Member outside = make(500);
  const auto before = t.sync_xor();
  t.set_state(outside, MemberState::dead, Instant{});
  t.set_incarnation(outside, Incarnation{9, 9});
  EXPECT_EQ(outside.state, MemberState::dead);
  EXPECT_EQ(t.sync_xor(), before);
}

// The summary values go on the wire: the hash of a fixed claim must never change between builds
// (the constant was computed by the implementation before the hashes moved to membership/SyncHash.h).
TEST(MemberTable, MemberSyncHashIsStable) {
  const auto h = member_sync_hash(NodeId::from_words(1, 2), "web-1", Address::v4(0x0A000001, 7946), Incarnation{3, 4},
                                  MemberState::suspect);
  EXPECT_EQ(h, 0x8bdeb89eb97d6e02ull);
  EXPECT_NE(h, member_sync_hash(NodeId::from_words(1, 2), "web-1", Address::v4(0x0A000001, 7946), Incarnation{3, 4},
                                MemberState::alive));
}

}  // namespace member_table_test
}  // namespace rollcall::membership
