// SlotIndex (open addressing, backward-shift deletion, duplicate keys) against a std::multimap
// oracle under random inserts and erases; and MemberTable's dense storage staying consistent
// (find, names, counts, probe order) under random add/erase/rename.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cluster/TestSeed.h"
#include "membership/MemberTable.h"
#include "membership/SlotIndex.h"

namespace rollcall::membership {
namespace slot_index_test {

TEST(SlotIndex, MatchesAMultimapUnderRandomInsertsAndErases) {
  Rng rng(rollcall::testing::test_seed(11));
  SlotIndex idx;
  std::multimap<std::uint64_t, std::uint32_t> oracle;  // key -> slot
  std::uint32_t next_slot = 0;
  for (int step = 0; step < 20000; ++step) {
    // Few distinct keys: many duplicates and long probe clusters.
    const std::uint64_t key = rng.below(300);
    if (rng.below(3) != 0 || oracle.empty()) {
      idx.insert(key, next_slot);
      oracle.emplace(key, next_slot++);
    } else {
      auto it = oracle.begin();
      std::advance(it, static_cast<long>(rng.below(oracle.size())));
      idx.erase(it->first, it->second);
      oracle.erase(it);
    }
    if (step % 97 == 0) {
      ASSERT_EQ(idx.size(), oracle.size());
      for (std::uint64_t k = 0; k < 300; ++k) {
        std::multiset<std::uint32_t> want, got;
        auto [a, b] = oracle.equal_range(k);
        for (auto i = a; i != b; ++i) want.insert(i->second);
        idx.for_each_candidate(k, [&](std::uint32_t s) {
          // Candidates share the hash tag; keep those the oracle files under k.
          for (auto i = a; i != b; ++i)
            if (i->second == s) got.insert(s);
        });
        ASSERT_EQ(got, want) << "key " << k << " at step " << step;
        const std::uint32_t found = idx.find(k, [&](std::uint32_t s) { return want.count(s) != 0; });
        if (want.empty()) {
          EXPECT_EQ(found, SlotIndex::kNone);
        } else {
          EXPECT_TRUE(want.count(found));
        }
      }
    }
  }
}

TEST(MemberTable, DenseStorageStaysConsistentUnderChurn) {
  Rng rng(rollcall::testing::test_seed(12));
  const NodeId self = NodeId::from_words(0, 100000);
  MemberTable t(self);
  Member me;
  me.id = self;
  me.name = "self";
  t.add(me, rng);
  std::map<NodeId, std::pair<std::string, MemberState>> oracle;
  oracle[self] = {"self", MemberState::alive};
  for (int step = 0; step < 5000; ++step) {
    const NodeId id = NodeId::from_words(7, 1 + rng.below(400));
    const auto op = rng.below(4);
    if (id == self) continue;
    if (!oracle.count(id)) {
      Member m;
      m.id = id;
      m.name = "n" + std::to_string(rng.below(50));  // shared names
      m.state = rng.below(4) == 0 ? MemberState::dead : MemberState::alive;
      const Member& added = t.add(m, rng);
      EXPECT_EQ(added.id, id);
      oracle[id] = {m.name, m.state};
    } else if (op == 0) {
      t.erase(id);
      oracle.erase(id);
    } else if (op == 1) {
      Member* m = t.find(id);
      ASSERT_NE(m, nullptr);
      const std::string name = "n" + std::to_string(rng.below(50));
      t.rename(*m, name);
      oracle[id].first = name;
    } else {
      Member* m = t.find(id);
      ASSERT_NE(m, nullptr);
      const MemberState s = static_cast<MemberState>(rng.below(4));
      t.set_state(*m, s, Instant{});
      oracle[id].second = s;
    }
  }
  ASSERT_EQ(t.size(), oracle.size());
  std::size_t live = 0, probeable = 0;
  std::map<std::string, std::set<NodeId>> by_name;
  for (const auto& [id, v] : oracle) {
    const Member* m = t.find(id);
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m->name, v.first);
    EXPECT_EQ(m->state, v.second);
    if (is_live(v.second)) ++live;
    if (is_live(v.second) && id != self) ++probeable;
    by_name[v.first].insert(id);
  }
  EXPECT_EQ(t.live_count(), live);
  EXPECT_EQ(t.find(NodeId::from_words(9, 9)), nullptr);
  for (const auto& [name, ids] : by_name) {
    const auto got = t.ids_named(name);
    EXPECT_EQ(std::set<NodeId>(got.begin(), got.end()), ids) << name;
  }
  std::size_t visited = 0;
  t.for_each([&](const Member&) { ++visited; });
  EXPECT_EQ(visited, oracle.size());
  // One full round probes every live non-self member exactly once.
  std::set<NodeId> seen;
  for (std::size_t k = 0; k < 3 * oracle.size() && seen.size() < probeable; ++k) {
    auto id = t.next_probe_target(rng);
    ASSERT_TRUE(id);
    seen.insert(*id);
  }
  EXPECT_EQ(seen.size(), probeable);
}

}  // namespace slot_index_test
}  // namespace rollcall::membership
