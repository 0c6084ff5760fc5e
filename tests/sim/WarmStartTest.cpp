// Warm start (Engine::restore_members through World::start): every node begins with the whole
// cluster alive, sends no join storm, stays quiet and converged, and still detects a crash.
#include <gtest/gtest.h>

#include <memory>

#include "cluster/TestSeed.h"
#include "sim/World.h"

namespace rollcall::sim {
namespace warm_start_test {

using namespace std::chrono_literals;
using membership::MemberState;

TEST(WarmStart, NodesStartKnowingEveryoneAndStayConverged) {
  const std::uint64_t seed = testing::test_seed(61);
  const std::size_t n = 40;
  World w(World::Options{seed, NetworkConfig{}, false, "t"});
  for (std::size_t i = 0; i < n; ++i) w.add_node(gossip::Config::lan());
  const auto known = w.alive_claims();
  for (std::size_t i = 0; i < n; ++i) w.start(i, {}, known);
  for (std::size_t o = 0; o < n; ++o) {
    EXPECT_EQ(w.engine(o).members().size(), n);
    EXPECT_EQ(w.engine(o).members().live_count(), n);
    // Only its own alive claim is queued: restored members are not rebroadcast.
    EXPECT_LE(w.engine(o).queue_depth(), 1u) << "node " << o;
  }
  std::uint64_t suspicions = 0;
  w.on_event([&](std::size_t, const gossip::Event& e, Instant) {
    if (e.kind == gossip::Event::Kind::member_suspect || e.kind == gossip::Event::Kind::member_dead) ++suspicions;
  });
  w.run_for(30s);
  EXPECT_EQ(suspicions, 0u);
  for (std::size_t o = 0; o < n; ++o)
    for (std::size_t s = 0; s < n; ++s) ASSERT_EQ(w.view(o, s), MemberState::alive) << o << " sees " << s;

  w.crash(7);
  const auto detected = w.run_until(
      [&] {
        for (std::size_t o = 0; o < n; ++o)
          if (o != 7 && w.view(o, 7) != MemberState::dead) return false;
        return true;
      },
      60s, 100ms);
  EXPECT_TRUE(detected) << "crash of a warm-started node not detected everywhere within 60 s";
}

TEST(WarmStart, RestoreIgnoresSelfNonAliveAndKnownClaims) {
  const std::uint64_t seed = testing::test_seed(62);
  World w(World::Options{seed, NetworkConfig{}, false, "t"});
  for (std::size_t i = 0; i < 4; ++i) w.add_node(gossip::Config::lan());
  auto known = w.alive_claims();
  known[2].state = MemberState::dead;  // not an alive claim: ignored
  known.push_back(known[1]);           // duplicate: ignored
  w.start(0, {}, known);
  const auto& t = w.engine(0).members();
  EXPECT_EQ(t.size(), 3u);  // self, 1, 3
  EXPECT_NE(t.find(w.node(1).id), nullptr);
  EXPECT_EQ(t.find(w.node(2).id), nullptr);
  EXPECT_NE(t.find(w.node(3).id), nullptr);
}

}  // namespace warm_start_test
}  // namespace rollcall::sim
