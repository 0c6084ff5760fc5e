// Duration and size parsing tables, and HostPort parsing.
#include <gtest/gtest.h>

#include "daemon/config/Duration.h"
#include "daemon/config/HostPort.h"

namespace rollcall::daemon::config {
namespace duration_test {

using std::chrono::milliseconds;

TEST(Duration, ParseTable) {
  const std::pair<const char*, std::optional<long long>> cases[] = {
      {"500ms", 500},      {"1s", 1000},        {"2m", 120000},     {"24h", 86400000},  {"7d", 604800000},
      {"1h30m", 5400000},  {"1.5s", 1500},      {"0.25s", 250},     {"0", 0},           {"0s", 0},
      {"1m30s500ms", 90500}, {"10ms", 10},      {"", std::nullopt}, {"5", std::nullopt}, {"ms", std::nullopt},
      {"-1s", std::nullopt}, {"1x", std::nullopt}, {"1 s", std::nullopt}, {"1.s", std::nullopt},
      {".5s", std::nullopt}, {"0.5ms", std::nullopt}, {"1S", std::nullopt}, {"1s ", std::nullopt},
      {"99999999999999999999h", std::nullopt}, {"36601d", std::nullopt}, {"1.0001s", std::nullopt},
  };
  for (const auto& [text, want] : cases) {
    auto got = parse_duration(text);
    if (want) {
      ASSERT_TRUE(got.has_value()) << '"' << text << '"';
      EXPECT_EQ(got->count(), *want) << '"' << text << '"';
    } else {
      EXPECT_FALSE(got.has_value()) << '"' << text << '"' << " parsed as " << (got ? got->count() : 0);
    }
  }
}

TEST(Duration, FormatRoundTrips) {
  for (long long ms : {0LL, 1LL, 500LL, 1000LL, 1500LL, 60000LL, 90500LL, 5400000LL, 86400000LL, 604800000LL}) {
    auto text = format_duration(milliseconds(ms));
    auto back = parse_duration(text);
    ASSERT_TRUE(back) << text;
    EXPECT_EQ(back->count(), ms) << text;
  }
  EXPECT_EQ(format_duration(milliseconds(30000)), "30s");
  EXPECT_EQ(format_duration(milliseconds(5400000)), "1h30m");
  EXPECT_EQ(format_duration(milliseconds(86400000)), "24h");
}

TEST(ByteSize, ParseTable) {
  EXPECT_EQ(parse_byte_size("16384"), 16384u);
  EXPECT_EQ(parse_byte_size("16KiB"), 16384u);
  EXPECT_EQ(parse_byte_size("1MiB"), 1048576u);
  EXPECT_EQ(parse_byte_size("2GiB"), 2147483648u);
  EXPECT_EQ(parse_byte_size("1KB"), 1000u);
  EXPECT_EQ(parse_byte_size("512B"), 512u);
  for (const char* bad : {"", "KiB", "1.5MiB", "-1", "1 MiB", "1mib", "99999999999999999999", "99999999999GiB"}) {
    EXPECT_FALSE(parse_byte_size(bad).has_value()) << bad;
  }
}

TEST(HostPort, ParseTable) {
  auto hp = HostPort::parse("10.0.0.5:7950");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "10.0.0.5");
  EXPECT_EQ(hp->port, 7950);
  EXPECT_TRUE(hp->is_ip_literal());

  hp = HostPort::parse("[::1]:7951");
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "::1");
  EXPECT_EQ(hp->to_string(), "[::1]:7951");

  hp = HostPort::parse("seed.rollcall.svc.cluster.local", 7950);
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->port, 7950);
  EXPECT_FALSE(hp->is_ip_literal());

  hp = HostPort::parse("fe80::1", 7950);
  ASSERT_TRUE(hp);
  EXPECT_EQ(hp->host, "fe80::1");

  EXPECT_TRUE(HostPort::parse("0.0.0.0:0", std::nullopt, true));
  for (const char* bad : {"", ":7950", "host:", "host:0", "host:65536", "host:port", "[::1", "[::1]x", "[nothost]:1",
                          "fe80::1:7950:", "a b:1", "-bad:1", "host"}) {
    EXPECT_FALSE(HostPort::parse(bad)) << bad;
  }
}

}  // namespace duration_test
}  // namespace rollcall::daemon::config
