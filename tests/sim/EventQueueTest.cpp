// sim::EventQueue: pops in (time, insertion) order whatever the mix of near and far events,
// including pushes into the bucket being drained and jumps over empty stretches.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>

#include "cluster/TestSeed.h"
#include "membership/Rng.h"
#include "sim/EventQueue.h"

namespace rollcall::sim {
namespace event_queue_test {

using membership::from_us;

TEST(EventQueue, SameInstantEventsPopInInsertionOrder) {
  EventQueue q;
  for (std::uint32_t i = 0; i < 10; ++i) {
    SimEvent e;
    e.at = from_us(5000);
    e.seq = i;
    e.node = i;
    q.push(e);
  }
  SimEvent out;
  for (std::uint32_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(q.pop_due(from_us(5000), out));
    EXPECT_EQ(out.node, i);
  }
  EXPECT_FALSE(q.pop_due(from_us(1'000'000), out));
}

TEST(EventQueue, NothingPopsBeforeItIsDue) {
  EventQueue q;
  SimEvent e;
  e.at = from_us(10'000'000);  // beyond the ring: overflow heap
  q.push(e);
  SimEvent out;
  EXPECT_FALSE(q.pop_due(from_us(9'999'999), out));
  EXPECT_TRUE(q.pop_due(from_us(10'000'000), out));
  EXPECT_TRUE(q.empty());
}

// Random interleaving of pushes (near, far, same bucket) and pops, checked against a sorted
// reference, with the driver's rule that nothing is pushed before "now".
TEST(EventQueue, MatchesAReferenceOrderUnderRandomLoad) {
  const std::uint64_t seed = testing::test_seed(41);
  membership::Rng rng(seed);
  EventQueue q;
  std::set<std::pair<std::int64_t, std::uint64_t>> ref;  // pending (time, seq)
  std::int64_t now = 0;
  std::uint64_t seq = 0;
  std::size_t popped = 0;
  for (int step = 0; step < 200'000; ++step) {
    if (rng.below(3) != 0) {
      SimEvent e;
      const std::uint64_t kind = rng.below(10);
      const std::int64_t delta = kind < 5   ? static_cast<std::int64_t>(rng.below(3000))        // same/next buckets
                                 : kind < 9 ? static_cast<std::int64_t>(rng.below(2'000'000))   // inside the ring
                                            : static_cast<std::int64_t>(rng.below(60'000'000));  // overflow
      e.at = from_us(now + delta);
      e.seq = seq++;
      q.push(e);
      ref.emplace(membership::to_us(e.at), e.seq);
    } else {
      const std::int64_t t = now + static_cast<std::int64_t>(rng.below(5000));
      SimEvent out;
      while (q.pop_due(from_us(t), out)) {
        ASSERT_FALSE(ref.empty());
        auto it = ref.begin();
        ASSERT_EQ(out.seq, it->second) << "seed " << seed << " step " << step;
        ASSERT_LE(membership::to_us(out.at), t);
        now = std::max(now, membership::to_us(out.at));
        ref.erase(it);
        ++popped;
      }
      now = std::max(now, t);
      if (!ref.empty()) {
        ASSERT_GT(ref.begin()->first, t) << "a due event was not popped";
      }
    }
  }
  EXPECT_EQ(q.size(), ref.size());
  EXPECT_GT(popped, 10'000u);
}

}  // namespace event_queue_test
}  // namespace rollcall::sim
