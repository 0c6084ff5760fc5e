// Durations typed on the command line (config set) and shown in tables.
#include <gtest/gtest.h>

#include "daemon/cli/Durations.h"

namespace rollcall::daemon::cli {
namespace durations_test {

TEST(Durations, ParsesNumbersWithUnits) {
  struct Case { const char* text; std::int64_t ms; };
  for (const Case& c : {Case{"0", 0}, Case{"1500", 1500}, Case{"250ms", 250}, Case{"30s", 30000},
                        Case{"1.5s", 1500}, Case{"5m", 300000}, Case{"24h", 86400000}, Case{"1d", 86400000},
                        Case{"0.5m", 30000}, Case{"2.25s", 2250}}) {
    auto ms = parse_duration_ms(c.text);
    ASSERT_TRUE(ms.has_value()) << c.text;
    EXPECT_EQ(*ms, c.ms) << c.text;
  }
}

TEST(Durations, RejectsWhatIsNotADuration) {
  for (const char* text : {"", "s", "-5s", "5 s", "5sec", "1.2345s", "0.5ms", "abc", "1e3", "99999999999999999999",
                           "30S", ".", "1..2s"}) {
    EXPECT_FALSE(parse_duration_ms(text).has_value()) << text;
  }
}

TEST(Durations, FormatsWithTheLargestReadableUnit) {
  struct Case { std::int64_t ms; const char* text; };
  for (const Case& c : {Case{0, "0s"}, Case{350, "350ms"}, Case{1000, "1s"}, Case{1200, "1.2s"}, Case{30000, "30s"},
                        Case{90000, "1.5m"}, Case{300000, "5m"}, Case{3600000, "1h"}, Case{86400000, "24h"},
                        Case{129600000, "36h"}, Case{259200000, "3d"}, Case{-1500, "-1.5s"}, Case{61000, "1m"}, Case{1050, "1s"}}) {
    EXPECT_EQ(format_duration_ms(c.ms), c.text) << c.ms;
  }
}

}  // namespace durations_test
}  // namespace rollcall::daemon::cli
