// sim/InlineTimer.h: every timer the engine arms survives the trip through a SimEvent unchanged,
// whether it rides packed in the event or in the pool.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "sim/InlineTimer.h"
#include "sim/SimEvent.h"

namespace rollcall::sim {
namespace inline_timer_test {

using namespace gossip::timer;

std::vector<gossip::Timer> samples() {
  const auto big = std::numeric_limits<std::uint64_t>::max() - 5;
  return {ProbeTick{0},          ProbeTick{big},          ProbeTimeout{0xdeadbeef}, ProbeDeadline{7},
          RelayNack{0xffffffff}, RelayExpire{1},          GossipTick{},             PushPullTick{},
          ReconnectTick{},       ReapTick{},              LeaveDone{},
          Suspicion{membership::NodeId::from_words(3, 4), membership::Incarnation{}}};
}

bool same(const gossip::Timer& a, const gossip::Timer& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const auto& y = std::get<T>(b);
        if constexpr (std::is_same_v<T, ProbeTick>) return x.round == y.round;
        else if constexpr (std::is_same_v<T, ProbeTimeout> || std::is_same_v<T, ProbeDeadline>) return x.seq == y.seq;
        else if constexpr (std::is_same_v<T, RelayNack> || std::is_same_v<T, RelayExpire>) return x.relay_seq == y.relay_seq;
        else if constexpr (std::is_same_v<T, Suspicion>) return x.member == y.member;
        else return true;  // empty tick
      },
      a);
}

TEST(InlineTimer, EveryAlternativeOfEightBytesOrLessRoundTrips) {
  int packed = 0;
  for (const auto& t : samples()) {
    const auto p = pack(t);
    if (std::holds_alternative<Suspicion>(t)) {
      EXPECT_FALSE(p) << "a suspicion timer (an id and an incarnation) cannot fit 64 bits";
      continue;
    }
    ASSERT_TRUE(p) << "timer alternative " << t.index() << " was not packed";
    EXPECT_EQ(p->index, t.index());
    EXPECT_NE(p->index, SimEvent::kPooled);
    EXPECT_TRUE(same(unpack(*p), t)) << "alternative " << t.index() << " changed in the round trip";
    ++packed;
  }
  EXPECT_EQ(packed, 11);
}

// Through the event's two 32-bit fields, as World stores it.
TEST(InlineTimer, SurvivesTheSplitIntoPayloadAndSrc) {
  const gossip::Timer t = ProbeTick{0x0123456789abcdefULL};
  const auto p = pack(t);
  ASSERT_TRUE(p);
  SimEvent e;
  store(e, *p);
  EXPECT_EQ(e.timer, p->index);
  const auto back = unpack(packed_timer(e));
  ASSERT_TRUE(std::holds_alternative<ProbeTick>(back));
  EXPECT_EQ(std::get<ProbeTick>(back).round, 0x0123456789abcdefULL);
}

}  // namespace inline_timer_test
}  // namespace rollcall::sim
