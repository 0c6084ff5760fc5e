// `rollcall config set KEY VALUE`: keys, aliases, booleans and durations; errors name the key.
#include <gtest/gtest.h>

#include "daemon/cli/ConfigSetting.h"

namespace rollcall::daemon::cli {
namespace config_setting_test {

TEST(ConfigSetting, BooleansAcceptOnOffTrueFalse) {
  for (const char* v : {"on", "true", "yes", "1", "ON", "True"}) {
    auto s = ConfigSetting::parse("load_balancing", v);
    ASSERT_TRUE(s) << v;
    EXPECT_EQ(s->field, "load_balancing");
    EXPECT_EQ(std::get<bool>(s->value), true) << v;
  }
  for (const char* v : {"off", "false", "no", "0", "OFF"}) {
    auto s = ConfigSetting::parse("automatic-failover", v);
    ASSERT_TRUE(s) << v;
    EXPECT_EQ(s->field, "automatic_failover");
    EXPECT_EQ(std::get<bool>(s->value), false) << v;
  }
}

TEST(ConfigSetting, DurationFieldsTakeUnitsAndTheSuffixIsOptional) {
  auto a = ConfigSetting::parse("heartbeat_interval_ms", "30s");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->field, "heartbeat_interval_ms");
  EXPECT_EQ(std::get<std::int64_t>(a->value), 30000);
  auto b = ConfigSetting::parse("stale-timeout", "5m");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->field, "stale_timeout_ms");
  EXPECT_EQ(std::get<std::int64_t>(b->value), 300000);
  auto c = ConfigSetting::parse("WEB_STALE_WINDOW_MS", "86400000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->field, "web_stale_window_ms");
  EXPECT_EQ(std::get<std::int64_t>(c->value), 86400000);
  EXPECT_EQ(a->describe(), "30s (30000 ms)");
}

TEST(ConfigSetting, ErrorsNameTheKeyAndWhatIsAccepted) {
  auto unknown = ConfigSetting::parse("colour", "red");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().find("colour"), std::string::npos);
  EXPECT_NE(unknown.error().find("heartbeat_interval_ms"), std::string::npos);

  auto read_only = ConfigSetting::parse("lamport", "7");
  ASSERT_FALSE(read_only);
  EXPECT_NE(read_only.error().find("read-only"), std::string::npos);

  auto bad_bool = ConfigSetting::parse("load_balancing", "maybe");
  ASSERT_FALSE(bad_bool);
  EXPECT_NE(bad_bool.error().find("load_balancing"), std::string::npos);
  EXPECT_NE(bad_bool.error().find("maybe"), std::string::npos);

  auto bad_duration = ConfigSetting::parse("stale_timeout_ms", "soon");
  ASSERT_FALSE(bad_duration);
  EXPECT_NE(bad_duration.error().find("stale_timeout_ms"), std::string::npos);
}

TEST(ConfigSetting, CanonicalKeyForGetIncludesReadOnlyFields) {
  EXPECT_EQ(ConfigSetting::canonical_key("writer", false), "writer");
  EXPECT_EQ(ConfigSetting::canonical_key("writer", true), std::nullopt);
  EXPECT_EQ(ConfigSetting::canonical_key("heartbeat-interval", true), "heartbeat_interval_ms");
  EXPECT_EQ(ConfigSetting::canonical_key("nope", false), std::nullopt);
}

}  // namespace config_setting_test
}  // namespace rollcall::daemon::cli
