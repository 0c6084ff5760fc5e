// --http-addr and the admin token source.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "daemon/cli/TargetSetup.h"

namespace rollcall::daemon::cli {
namespace target_setup_test {

TEST(TargetSetup, HttpAddrForms) {
  struct Case { const char* addr; const char* host; std::uint16_t port; bool tls; };
  for (const Case& c : {Case{"127.0.0.1:8000", "127.0.0.1", 8000, false}, Case{"localhost", "localhost", 7951, false},
                        Case{"http://10.0.0.5:7951/", "10.0.0.5", 7951, false},
                        Case{"https://agent.example:443", "agent.example", 443, true}, Case{"[::1]:9000", "::1", 9000, false},
                        Case{"[fe80::1]", "fe80::1", 7951, false}}) {
    Target t;
    auto error = parse_http_addr(c.addr, t);
    ASSERT_FALSE(error) << c.addr << ": " << *error;
    EXPECT_EQ(t.host, c.host) << c.addr;
    EXPECT_EQ(t.port, c.port) << c.addr;
    EXPECT_EQ(t.tls, c.tls) << c.addr;
  }
}

TEST(TargetSetup, BadHttpAddrIsAnErrorAndLeavesTheTargetAlone) {
  for (const char* addr : {"", ":80", "host:", "host:0", "host:65536", "host:http", "::1:80", "[::1", "[::1]x",
                           "http://host:80/v1"}) {
    Target t;
    auto error = parse_http_addr(addr, t);
    EXPECT_TRUE(error.has_value()) << addr;
    EXPECT_EQ(t.host, "127.0.0.1") << addr;
    EXPECT_EQ(t.port, 7951) << addr;
  }
}

TEST(TargetSetup, TokenFromFileWinsOverEnvAndIsTrimmed) {
  auto path = std::filesystem::temp_directory_path() / ("rollcall-cli-token-" + std::to_string(::getpid()));
  { std::ofstream(path) << "  s3cret-token\n"; }
  Target t;
  EXPECT_FALSE(load_token(path.string(), "from-env", t));
  EXPECT_EQ(t.token, "s3cret-token");
  std::filesystem::remove(path);

  Target e;
  EXPECT_FALSE(load_token("", "from-env\n", e));
  EXPECT_EQ(e.token, "from-env");
  Target none;
  EXPECT_FALSE(load_token("", nullptr, none));
  EXPECT_EQ(none.token, "");
}

TEST(TargetSetup, UnreadableOrEmptyTokenFileIsAnError) {
  Target t;
  auto missing = load_token("/nonexistent/rollcall/token", "env", t);
  ASSERT_TRUE(missing);
  EXPECT_NE(missing->find("/nonexistent/rollcall/token"), std::string::npos);
  EXPECT_EQ(t.token, "");

  auto path = std::filesystem::temp_directory_path() / ("rollcall-cli-empty-" + std::to_string(::getpid()));
  { std::ofstream(path) << "\n"; }
  EXPECT_TRUE(load_token(path.string(), nullptr, t));
  std::filesystem::remove(path);
}

TEST(TargetSetup, ColourNeverGoesToAStringStream) {
  std::ostringstream out;
  Target t;
  t.out = &out;
  EXPECT_FALSE(use_color(t));
}

}  // namespace target_setup_test
}  // namespace rollcall::daemon::cli
