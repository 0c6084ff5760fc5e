// Percent-decoding table and Request helpers (pure).
#include <gtest/gtest.h>

#include "daemon/http/PercentDecode.h"
#include "daemon/http/Request.h"

namespace rollcall::daemon::http {
namespace percent_decode_test {

TEST(PercentDecode, Table) {
  struct Case {
    std::string in;
    bool ok;
    std::string out;
  };
  const Case cases[] = {
      {"/plain", true, "/plain"},     {"/a%20b", true, "/a b"},  {"/%2F", true, "//"},   {"/%e2%82%AC", true, "/\xe2\x82\xac"},
      {"/a+b", true, "/a+b"},         {"%", false, ""},          {"%4", false, ""},      {"%zz", false, ""},
      {"/x%00y", false, ""},          {"", true, ""},
  };
  for (const auto& c : cases) {
    std::string out = "garbage";
    EXPECT_EQ(percent_decode(c.in, out), c.ok) << c.in;
    if (c.ok) {
      EXPECT_EQ(out, c.out) << c.in;
    }
  }
  std::string out;
  EXPECT_TRUE(percent_decode("a+b", out, true));
  EXPECT_EQ(out, "a b");
}

TEST(PercentDecode, EncodeRoundTrips) {
  std::string raw = "/v1/servers/node 1/components/web?&#%";
  std::string out;
  ASSERT_TRUE(percent_decode(percent_encode_path(raw), out));
  EXPECT_EQ(out, raw);
  EXPECT_EQ(percent_encode_path("/a b"), "/a%20b");
}

TEST(Request, HeaderLookupIsCaseInsensitiveAndFirstWins) {
  Request r;
  r.headers = {{"Content-Type", "a"}, {"content-type", "b"}, {"X-Y", "z"}};
  EXPECT_EQ(r.header("CONTENT-TYPE").value_or(""), "a");
  EXPECT_EQ(r.header("x-y").value_or(""), "z");
  EXPECT_FALSE(r.header("missing").has_value());
}

TEST(Request, QueryParams) {
  Request r;
  r.query = "a=1&b=x%20y&c&d=p+q&a=2";
  EXPECT_EQ(r.query_param("a").value_or("?"), "1");
  EXPECT_EQ(r.query_param("b").value_or("?"), "x y");
  EXPECT_EQ(r.query_param("c").value_or("?"), "");
  EXPECT_EQ(r.query_param("d").value_or("?"), "p q");
  EXPECT_FALSE(r.query_param("e").has_value());
}

}  // namespace percent_decode_test
}  // namespace rollcall::daemon::http
