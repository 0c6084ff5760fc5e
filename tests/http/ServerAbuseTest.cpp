// Hostile and broken clients against the HTTP server: each gets a 4xx or a closed connection within
// its bound, and the server keeps answering others afterwards (checked after every abuse).
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "daemon/http/Client.h"
#include "http/RawSocket.h"
#include "http/ServerThread.h"

namespace rollcall::daemon::http::test {
namespace server_abuse_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

void abuse_routes(const Request& req, Responder r) {
  if (req.path == "/echo") return r.respond({200, "text/plain", req.body, {}});
  r.respond({200, "application/json", R"({"ok":true})", {}});
}

TEST(HttpServerAbuse, OneMegabyteHeaderGets431) {
  ServerThread s({}, abuse_routes);
  RawSocket c(s.port());
  std::string req = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  c.send(req);  // the server drains what it will not read, so this completes
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_NE(r->head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(c.wait_closed(3s));
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, ManySmallHeadersOverTheLimitGet431) {
  Limits l;
  l.max_header_bytes = 2048;
  ServerThread s(l, abuse_routes);
  RawSocket c(s.port());
  std::string req = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 300; ++i) req += "X-" + std::to_string(i) + ": v\r\n";
  c.send(req + "\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, LongUrlGets431) {
  ServerThread s({}, abuse_routes);
  RawSocket c(s.port());
  c.send("GET /" + std::string(100000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, BodyOverLimitGets413BeforeItIsSent) {
  Limits l;
  l.max_body_bytes = 1000;
  ServerThread s(l, abuse_routes);
  RawSocket c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_TRUE(c.wait_closed(3s));
  // At the limit is fine.
  auto ok = request("127.0.0.1", s.port(), "POST", "/echo", std::string(1000, 'x'));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, 200);
  auto big = request("127.0.0.1", s.port(), "POST", "/echo", std::string(1001, 'x'));
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(big->status, 413);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, DefaultBodyLimitIsOneMebibyte) {
  ServerThread s({}, abuse_routes);
  auto big = request("127.0.0.1", s.port(), "POST", "/echo", std::string((1 << 20) + 1, 'x'));
  ASSERT_TRUE(big.ok()) << big.error().message;
  EXPECT_EQ(big->status, 413);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, BadRequestLinesGet400AndClose) {
  ServerThread s({}, abuse_routes);
  for (std::string bad : {"BLAH\r\n\r\n", "GET\r\n\r\n", "GET / HTTP/1.1 extra\r\n\r\n", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
                          "GET / HTTP/1.1\r\nBad Header Name: x\r\n\r\n", "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
                          "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
                          "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"}) {
    RawSocket c(s.port());
    c.send(bad);
    auto r = c.read_response();
    ASSERT_TRUE(r) << "input: " << bad;
    EXPECT_EQ(r->status, 400) << "input: " << bad;
    EXPECT_TRUE(c.wait_closed(3s)) << "input: " << bad;
  }
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, ChunkedRequestBodyGets411) {
  ServerThread s({}, abuse_routes);
  RawSocket c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 411);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, SlowlorisGets408WithinHeaderTimeout) {
  Limits l;
  l.header_timeout = 400ms;
  ServerThread s(l, abuse_routes);
  RawSocket c(s.port());
  const std::string req = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  const auto start = Clock::now();
  // One byte every 50 ms: the connection is never idle, but the headers never complete in time.
  std::size_t i = 0;
  while (Clock::now() - start < 3s && i < req.size()) {
    if (!c.send(req.substr(i++, 1))) break;
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) break;  // the server answered
  }
  auto r = c.read_response(3s);
  const auto took = Clock::now() - start;
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_GE(took, 350ms);
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(c.wait_closed(3s));
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, SlowBodyGets408) {
  Limits l;
  l.header_timeout = 300ms;
  ServerThread s(l, abuse_routes);
  RawSocket c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part");
  auto r = c.read_response(3s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, SilentConnectionIsClosedAfterIdleTimeout) {
  Limits l;
  l.idle_timeout = 300ms;
  ServerThread s(l, abuse_routes);
  RawSocket c(s.port());
  EXPECT_TRUE(c.wait_closed(3s));
  EXPECT_TRUE(c.buffered().empty());  // nothing was asked, nothing is answered
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, ConnectionsOverTheLimitAreRefusedAndSlotsComeBack) {
  Limits l;
  l.max_connections = 3;
  ServerThread s(l, abuse_routes);
  std::vector<std::unique_ptr<RawSocket>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<RawSocket>(s.port()));
    held.back()->send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(held.back()->read_response()) << i;  // accepted and served: it holds a slot
  }
  RawSocket extra(s.port());
  EXPECT_TRUE(extra.wait_closed(3s));
  if (!extra.buffered().empty()) {
    EXPECT_EQ(extra.buffered().substr(0, 12), "HTTP/1.1 503");
  }
  EXPECT_GE(s.run([&] { return s.server().stats().rejected_connections; }), 1u);

  held.pop_back();  // free one slot; the server notices the close and serves a new client
  const auto deadline = Clock::now() + 3s;
  bool served = false;
  while (!served && Clock::now() < deadline) {
    auto res = request("127.0.0.1", s.port(), "GET", "/hello", {}, {}, 1000ms);
    served = res.ok() && res->status == 200;
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

TEST(HttpServerAbuse, GarbageFloodAfterValidRequestIsContained) {
  ServerThread s({}, abuse_routes);
  RawSocket c(s.port());
  std::string flood = "GET / HTTP/1.1\r\nHost: x\r\n\r\n" + std::string(200000, '\xff');
  c.send(flood);
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  auto bad = c.read_response();
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_TRUE(c.wait_closed(3s));
  expect_responsive(s.port());
}

TEST(HttpServerAbuse, ClientVanishingMidRequestLeavesNoConnection) {
  ServerThread s({}, abuse_routes);
  for (int i = 0; i < 20; ++i) {
    RawSocket c(s.port());
    c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_TRUE(c.read_response());  // accepted and registered before it vanishes
    c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial");
  }
  const auto deadline = Clock::now() + 3s;
  while (s.run([&] { return s.server().stats().open_connections; }) != 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(s.run([&] { return s.server().stats().open_connections; }), 0u);
  expect_responsive(s.port());
}

}  // namespace server_abuse_test
}  // namespace rollcall::daemon::http::test
