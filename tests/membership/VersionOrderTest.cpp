// VersionOrder (natural version compare) and Prevailing (majority with tie-breaks), by tables.
#include <gtest/gtest.h>

#include "membership/Prevailing.h"
#include "membership/VersionOrder.h"

namespace rollcall::membership {
namespace version_order_test {

TEST(VersionOrder, Table) {
  struct Case {
    const char* a;
    const char* b;
    int want;
  } cases[] = {
      {"2024.10", "2024.9", 1}, {"2024.9", "2024.10", -1}, {"1.2", "1.2", 0},   {"1.2.1", "1.2", 1},
      {"1.02", "1.2", 0},       {"10", "9", 1},            {"1.2.3", "1.2.beta", 1},
      {"v2", "v10", -1},        {"", "1", -1},             {"", "", 0},         {"2023.1", "2024.0", -1},
  };
  for (const auto& c : cases) EXPECT_EQ(VersionOrder::compare(c.a, c.b), c.want) << c.a << " vs " << c.b;
}

TEST(Prevailing, MostCommonWins) {
  Prevailing p(Prevailing::TieBreak::newest_version);
  for (const char* v : {"2024.2", "2024.3", "2024.3", "2025.1"}) p.vote(v);
  EXPECT_EQ(p.winner(), "2024.3");
  EXPECT_EQ(p.votes("2024.3"), 2u);
}

TEST(Prevailing, VersionTieGoesToNewest) {
  Prevailing p(Prevailing::TieBreak::newest_version);
  for (const char* v : {"2024.10", "2024.9", "2024.9", "2024.10"}) p.vote(v);
  EXPECT_EQ(p.winner(), "2024.10");
}

TEST(Prevailing, OpaqueTieGoesToSmallest) {
  Prevailing p(Prevailing::TieBreak::smallest);
  for (const char* v : {"ff00", "aa11"}) p.vote(v);
  EXPECT_EQ(p.winner(), "aa11");
}

TEST(Prevailing, NoVotesNoWinner) { EXPECT_EQ(Prevailing(Prevailing::TieBreak::smallest).winner(), ""); }

}  // namespace version_order_test
}  // namespace rollcall::membership
