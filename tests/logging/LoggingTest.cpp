// Logging set-up: JSON lines are valid JSON whatever the message holds, levels filter and change
// at runtime, text lines carry the message, redact() never shows more than 4 characters.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "daemon/Logging.h"

namespace rollcall::daemon {
namespace logging_test {

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

TEST(Logging, JsonLinesAreValidJsonForHostileMessages) {
  std::ostringstream os;
  ASSERT_TRUE(setup_logging("trace", "json", std::make_shared<spdlog::sinks::ostream_sink_mt>(os)));
  const std::vector<std::string> messages = {
      "plain",
      "quote \" backslash \\ slash /",
      "newline\nand\r\ncarriage\ttab",
      std::string("nul\0byte", 8),
      "bell\x07 esc\x1b del\x7f",
      "utf8 caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
      "invalid \xFF\xFE utf8 \xC3 truncated",
      "overlong \xC0\xAF surrogate \xED\xA0\x80 too big \xF4\x90\x80\x80",
      "{\"json\":\"inside\"}",
  };
  for (const auto& m : messages) spdlog::info("{}", m);
  spdlog::default_logger()->flush();
  auto ls = lines(os.str());
  ASSERT_EQ(ls.size(), messages.size());
  for (std::size_t i = 0; i < ls.size(); ++i) {
    nlohmann::json j;
    ASSERT_NO_THROW(j = nlohmann::json::parse(ls[i])) << ls[i];
    EXPECT_EQ(j["level"], "info");
    EXPECT_EQ(j["logger"], "rollcall");
    EXPECT_TRUE(j["ts"].get<std::string>().ends_with("Z"));
    const auto msg = j["msg"].get<std::string>();
    if (i <= 5 || i == 8) {
      EXPECT_EQ(msg, messages[i]);  // valid UTF-8 round-trips exactly
    } else {
      EXPECT_NE(msg.find("\xEF\xBF\xBD"), std::string::npos);  // invalid bytes became U+FFFD
    }
  }
}

TEST(Logging, LevelsFilterAndChangeAtRuntime) {
  std::ostringstream os;
  ASSERT_TRUE(setup_logging("warn", "json", std::make_shared<spdlog::sinks::ostream_sink_mt>(os)));
  spdlog::info("hidden");
  spdlog::warn("shown-warn");
  ASSERT_TRUE(set_log_level("debug"));
  spdlog::debug("shown-debug");
  spdlog::trace("hidden-trace");
  EXPECT_FALSE(set_log_level("loud"));
  spdlog::debug("still-debug");
  spdlog::default_logger()->flush();
  auto out = os.str();
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find("shown-warn"), std::string::npos);
  EXPECT_NE(out.find("shown-debug"), std::string::npos);
  EXPECT_NE(out.find("still-debug"), std::string::npos);
  EXPECT_NE(out.find("\"level\":\"warn\""), std::string::npos);
}

TEST(Logging, TextFormatCarriesLevelAndMessage) {
  std::ostringstream os;
  ASSERT_TRUE(setup_logging("info", "text", std::make_shared<spdlog::sinks::ostream_sink_mt>(os)));
  spdlog::error("agent {} failed", "node-1");
  spdlog::default_logger()->flush();
  auto ls = lines(os.str());
  ASSERT_EQ(ls.size(), 1u);
  EXPECT_NE(ls[0].find("error"), std::string::npos) << ls[0];
  EXPECT_NE(ls[0].find("agent node-1 failed"), std::string::npos) << ls[0];
}

TEST(Logging, BadSettingsAreRefused) {
  EXPECT_FALSE(setup_logging("chatty", "text"));
  EXPECT_FALSE(setup_logging("info", "xml"));
}

TEST(Logging, RedactShowsAtMostFourCharacters) {
  EXPECT_EQ(redact(""), "<not set>");
  EXPECT_EQ(redact("short-secret"), "<redacted>");
  const std::string key = "a2tra2tra2tra2tra2tra2tra2tra2tra2tra2tra2s=";
  const std::string r = redact(key);
  EXPECT_EQ(r, "a2tr\xE2\x80\xA6");
  EXPECT_EQ(r.find(key.substr(0, 5)), std::string::npos);
}

TEST(Logging, JsonEscapeTable) {
  EXPECT_EQ(json_escape("a\"b"), "a\\\"b");
  EXPECT_EQ(json_escape("\x01"), "\\u0001");
  EXPECT_EQ(json_escape("\xFF"), "\xEF\xBF\xBD");
  EXPECT_EQ(json_escape("\xE2\x82\xAC"), "\xE2\x82\xAC");
}

}  // namespace logging_test
}  // namespace rollcall::daemon
