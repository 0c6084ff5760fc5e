// Every pair of SWIM claims: (state x state) x (older, same, newer incarnation).
#include <gtest/gtest.h>

#include "membership/Precedence.h"

namespace rollcall::membership {
namespace precedence_test {

using S = MemberState;

TEST(Precedence, EveryPairOfClaims) {
  const Incarnation lo{1, 5}, mid{1, 6}, hi{2, 0};
  // want[incoming][current] for incoming incarnation == current incarnation.
  // rows/cols: alive, suspect, dead, left
  const bool same[4][4] = {
      /* alive   */ {false, false, false, false},
      /* suspect */ {true, false, false, false},
      /* dead    */ {true, true, false, false},
      /* left    */ {true, true, true, false},
  };
  for (int in = 0; in < 4; ++in) {
    for (int cur = 0; cur < 4; ++cur) {
      const S a = static_cast<S>(in), b = static_cast<S>(cur);
      EXPECT_EQ(supersedes({mid, a}, {mid, b}), same[in][cur]) << to_string(a) << " vs " << to_string(b) << " same inc";
      EXPECT_TRUE(supersedes({hi, a}, {mid, b})) << "newer " << to_string(a) << " beats " << to_string(b);
      EXPECT_FALSE(supersedes({lo, a}, {mid, b})) << "older " << to_string(a) << " never beats " << to_string(b);
    }
  }
}

TEST(Precedence, GenerationOutranksCounter) {
  EXPECT_TRUE(supersedes({{2, 0}, S::alive}, {{1, 999}, S::dead}));
  EXPECT_FALSE(supersedes({{1, 999}, S::alive}, {{2, 0}, S::alive}));
}

TEST(Precedence, RefutationNeedsAStrictlyNewerIncarnation) {
  EXPECT_FALSE(supersedes({{1, 3}, S::alive}, {{1, 3}, S::suspect}));
  EXPECT_TRUE(supersedes({{1, 4}, S::alive}, {{1, 3}, S::suspect}));
}

}  // namespace precedence_test
}  // namespace rollcall::membership
