// Table tests of the protocol arithmetic (gossip/Formulas.h).
#include <gtest/gtest.h>

#include <cmath>

#include "gossip/Formulas.h"

namespace rollcall::gossip {
namespace formulas_test {

using namespace std::chrono_literals;
using membership::Duration;

TEST(Formulas, RetransmitLimitIsLambdaTimesCeilLog10FlooredAtTwo) {
  struct Row { std::uint32_t lambda; std::size_t n; std::uint32_t want; };
  const Row rows[] = {{4, 1, 8}, {4, 9, 8}, {4, 10, 8}, {4, 20, 8}, {4, 99, 8}, {4, 100, 12}, {4, 1000, 16},
                      {4, 10000, 20}, {3, 50, 6}, {1, 0, 2}};
  for (const auto& r : rows) EXPECT_EQ(formulas::retransmit_limit(r.lambda, r.n), r.want) << r.lambda << " " << r.n;
}

TEST(Formulas, SuspicionMinIsAlphaLog10NPlusOneTimesInterval) {
  struct Row { double alpha; std::size_t n; Duration interval; Duration want; };
  const Row rows[] = {
      {4, 9, 1s, 4s},                 // log10(10) = 1
      {4, 99, 1s, 8s},                // log10(100) = 2
      {4, 999, 500ms, 6s},            // 3 x 4 x 0.5
      {4, 1, 1s, 1204119us},          // 4 x log10(2) = 1.2041
      {4, 0, 1s, 1s},                 // floored at one interval
      {1, 1, 1s, 1s},                 // 0.30 -> floored
  };
  for (const auto& r : rows) {
    const auto got = formulas::suspicion_min(r.alpha, r.n, r.interval);
    EXPECT_NEAR(static_cast<double>(got.count()), static_cast<double>(r.want.count()), 1.0) << r.alpha << " " << r.n;
  }
}

TEST(Formulas, SuspicionMaxIsBetaTimesMin) {
  EXPECT_EQ(formulas::suspicion_max(6, 4s), 24s);
  EXPECT_EQ(formulas::suspicion_max(1, 4s), 4s);
}

TEST(Formulas, ExpectedConfirmations) {
  EXPECT_EQ(formulas::suspicion_confirmations(4, 100), 2u);  // alpha - 2
  EXPECT_EQ(formulas::suspicion_confirmations(4, 3), 1u);    // n - 2
  EXPECT_EQ(formulas::suspicion_confirmations(4, 2), 0u);
  EXPECT_EQ(formulas::suspicion_confirmations(2, 100), 0u);
  EXPECT_EQ(formulas::suspicion_confirmations(6, 100), 4u);
}

TEST(Formulas, SuspicionTimeoutShrinksLogarithmicallyWithConfirmations) {
  // min 4 s, max 24 s, k = 3: timeout = 24 - 20 x log(c+1)/log(4).
  struct Row { std::uint32_t c; double want_s; };
  const Row rows[] = {{0, 24.0}, {1, 24.0 - 20.0 * std::log(2.0) / std::log(4.0)},
                      {2, 24.0 - 20.0 * std::log(3.0) / std::log(4.0)}, {3, 4.0}, {10, 4.0}};
  for (const auto& r : rows) {
    const auto got = formulas::suspicion_timeout(4s, 24s, 3, r.c);
    EXPECT_NEAR(membership::to_seconds(got), r.want_s, 1e-5) << "c=" << r.c;
  }
  EXPECT_EQ(formulas::suspicion_timeout(4s, 24s, 0, 0), 4s) << "k = 0 means no confirmations are expected";
}

TEST(Formulas, HealthScalesIntervals) {
  EXPECT_EQ(formulas::scale_by_health(500ms, 0), 500ms);
  EXPECT_EQ(formulas::scale_by_health(500ms, 1), 1s);
  EXPECT_EQ(formulas::scale_by_health(500ms, 8), 4500ms);
}

TEST(Formulas, PushPullScalesAbove32Members) {
  EXPECT_EQ(formulas::push_pull_scaled(30s, 10), 30s);
  EXPECT_EQ(formulas::push_pull_scaled(30s, 32), 30s);
  EXPECT_EQ(formulas::push_pull_scaled(30s, 33), 60s);
  EXPECT_EQ(formulas::push_pull_scaled(30s, 64), 60s);
  EXPECT_EQ(formulas::push_pull_scaled(30s, 65), 90s);
  EXPECT_EQ(formulas::push_pull_scaled(30s, 1000), 180s);  // ceil(9.97 - 5) + 1 = 6
}

TEST(Formulas, EpidemicRounds) {
  EXPECT_EQ(formulas::epidemic_rounds(3, 1), 0u);
  EXPECT_EQ(formulas::epidemic_rounds(3, 4), 1u);
  EXPECT_EQ(formulas::epidemic_rounds(3, 16), 2u);
  EXPECT_EQ(formulas::epidemic_rounds(3, 17), 3u);
  EXPECT_EQ(formulas::epidemic_rounds(3, 50), 3u);
  EXPECT_EQ(formulas::epidemic_rounds(3, 2000), 6u);
}

}  // namespace formulas_test
}  // namespace rollcall::gossip
