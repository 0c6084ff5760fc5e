// HTTP server behaviour on real sockets (127.0.0.1, port 0): round trips, keep-alive, pipelining,
// standard headers, HEAD, Expect: 100-continue, handler failures, stats.
#include <gtest/gtest.h>

#include "daemon/http/Client.h"
#include "http/RawSocket.h"
#include "http/ServerThread.h"

namespace rollcall::daemon::http::test {
namespace server_test {

using namespace std::chrono_literals;

void basic_routes(const Request& req, Responder r) {
  if (req.path == "/hello") return r.respond({200, "application/json", R"({"hello":"world"})", {}});
  if (req.path == "/echo") {
    std::string ct(req.header("content-type").value_or("text/plain"));
    return r.respond({200, ct, req.body, {{"X-Method", req.method}}});
  }
  if (req.path == "/big") return r.respond({200, "application/json", std::string(20000, 'x'), {}});
  if (req.path == "/throw") throw std::runtime_error("boom");
  if (req.path == "/never") return;  // never answers
  if (req.path == "/html") return r.respond({200, "text/html", "<p>hi</p>", {}});
  if (req.path == "/whoami") {
    return r.respond({200, "text/plain", req.remote_ip + (req.remote_is_loopback ? " loopback" : " remote"), {}});
  }
  if (req.path.starts_with("/path/")) {
    return r.respond({200, "text/plain", req.path + "|" + req.query + "|" + req.query_param("x").value_or("-"), {}});
  }
  r.respond({404, "application/json", R"({"error":"not found"})", {}});
}

TEST(HttpServer, GetRoundTripWithStandardHeaders) {
  ServerThread s({}, basic_routes);
  auto res = request("127.0.0.1", s.port(), "GET", "/hello");
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"hello":"world"})");
  EXPECT_EQ(res->header("content-type").value_or(""), "application/json");
  EXPECT_EQ(res->header("cache-control").value_or(""), "no-store");
  EXPECT_EQ(res->header("x-content-type-options").value_or(""), "nosniff");
  EXPECT_EQ(res->header("content-length").value_or(""), "17");
}

TEST(HttpServer, NonJsonHasNoCacheControlButNosniff) {
  ServerThread s({}, basic_routes);
  auto res = request("127.0.0.1", s.port(), "GET", "/html");
  ASSERT_TRUE(res.ok());
  EXPECT_FALSE(res->header("cache-control").has_value());
  EXPECT_EQ(res->header("x-content-type-options").value_or(""), "nosniff");
}

TEST(HttpServer, PostBodyRoundTrip) {
  ServerThread s({}, basic_routes);
  std::string body(100000, 'b');
  auto res = request("127.0.0.1", s.port(), "POST", "/echo", body, {{"Content-Type", "text/plain"}});
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, body);
  EXPECT_EQ(res->header("x-method").value_or(""), "POST");
}

TEST(HttpServer, PathIsPercentDecodedAndQuerySeparated) {
  ServerThread s({}, basic_routes);
  auto res = request("127.0.0.1", s.port(), "GET", "/path/node%201?x=a%2Bb&y=2");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->body, "/path/node 1|x=a%2Bb&y=2|a+b");
}

TEST(HttpServer, MalformedPercentEscapeIs400) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  c.send("GET /path/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_TRUE(c.wait_closed(2s));
}

TEST(HttpServer, RemoteAddressIsLoopback) {
  ServerThread s({}, basic_routes);
  auto res = request("127.0.0.1", s.port(), "GET", "/whoami");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->body, "127.0.0.1 loopback");
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->head.find("Connection: close"), std::string::npos);
  }
  EXPECT_EQ(s.run([&] { return s.server().stats().open_connections; }), 1u);
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  std::string burst;
  for (int i = 0; i < 20; ++i) burst += "GET /path/" + std::to_string(i) + " HTTP/1.1\r\nHost: x\r\n\r\n";
  burst += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
  burst += "GET /path/last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  ASSERT_TRUE(c.send(burst));
  for (int i = 0; i < 20; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "/path/" + std::to_string(i) + "||-");
  }
  auto echo = c.read_response();
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "hello");
  auto last = c.read_response();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->body, "/path/last||-");
  EXPECT_NE(last->head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(c.wait_closed(2s));
}

TEST(HttpServer, ConnectionCloseIsHonoured) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_NE(r->head.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(c.wait_closed(2s));
}

TEST(HttpServer, Http10ClosesUnlessKeepAliveAsked) {
  ServerThread s({}, basic_routes);
  {
    RawSocket c(s.port());
    c.send("GET /hello HTTP/1.0\r\n\r\n");
    ASSERT_TRUE(c.read_response());
    EXPECT_TRUE(c.wait_closed(2s));
  }
  RawSocket c(s.port());
  c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_NE(r->head.find("Connection: keep-alive"), std::string::npos);
  c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(c.read_response());
}

TEST(HttpServer, HeadHasLengthButNoBody) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  c.send("HEAD /big HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  // The HEAD answer announces 20000 bytes but sends none; the next response follows directly.
  auto deadline = RawSocket::Clock::now() + 2s;
  while (c.buffered().find("world") == std::string::npos && c.fill(deadline)) {
  }
  const std::string& all = c.buffered();
  ASSERT_NE(all.find("Content-Length: 20000"), std::string::npos);
  auto second = all.find("HTTP/1.1 200", 5);
  ASSERT_NE(second, std::string::npos);
  EXPECT_EQ(all.substr(all.find("\r\n\r\n") + 4, 12), "HTTP/1.1 200");
}

TEST(HttpServer, ExpectContinueGets100ThenAnswer) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
  auto cont = c.read_response();
  ASSERT_TRUE(cont);
  EXPECT_EQ(cont->status, 100);
  c.send("abc");
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "abc");
}

TEST(HttpServer, HandlerExceptionBecomes500AndServerLives) {
  ServerThread s({}, basic_routes);
  auto res = request("127.0.0.1", s.port(), "GET", "/throw");
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 500);
  expect_responsive(s.port());
}

TEST(HttpServer, UnansweredRequestGets503AfterIdleTimeout) {
  Limits l;
  l.idle_timeout = 300ms;
  ServerThread s(l, basic_routes);
  auto start = std::chrono::steady_clock::now();
  auto res = request("127.0.0.1", s.port(), "GET", "/never", {}, {}, 5000ms);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 503);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  expect_responsive(s.port());
}

TEST(HttpServer, LateRespondAfterTimeoutIsIgnored) {
  Limits l;
  l.idle_timeout = 300ms;
  std::optional<Responder> kept;
  ServerThread s(l, [&](const Request& req, Responder r) {
    if (req.path == "/keep") {
      kept = r;
      return;
    }
    basic_routes(req, r);
  });
  auto res = request("127.0.0.1", s.port(), "GET", "/keep");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 503);
  // Answering the stale request later does nothing (no crash, no stray bytes for anyone).
  s.run([&] { kept->respond({200, "text/plain", "late", {}}); });
  expect_responsive(s.port());
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosed) {
  Limits l;
  l.idle_timeout = 200ms;
  l.header_timeout = 200ms;
  ServerThread s(l, basic_routes);
  RawSocket c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(c.read_response());
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.wait_closed(3s));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 150ms);
  EXPECT_LT(took, 2s);
}

TEST(HttpServer, StatsCountRequestsByClass) {
  ServerThread s({}, basic_routes);
  ASSERT_TRUE(request("127.0.0.1", s.port(), "GET", "/hello").ok());
  ASSERT_TRUE(request("127.0.0.1", s.port(), "GET", "/nope").ok());
  ASSERT_TRUE(request("127.0.0.1", s.port(), "GET", "/throw").ok());
  auto st = s.run([&] { return s.server().stats(); });
  EXPECT_EQ(st.requests, 3u);
  EXPECT_EQ(st.responses_2xx, 1u);
  EXPECT_EQ(st.responses_4xx, 1u);
  EXPECT_EQ(st.responses_5xx, 1u);
}

TEST(HttpServer, ListenOnBusyPortReturnsError) {
  ServerThread s({}, basic_routes);
  asio::io_context io;
  Server second(io, {}, basic_routes);
  auto ec = second.listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  EXPECT_TRUE(ec);
  EXPECT_EQ(ec, std::errc::address_in_use);
}

TEST(HttpServer, StopClosesOpenConnections) {
  ServerThread s({}, basic_routes);
  RawSocket c(s.port());
  c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(c.read_response());
  s.run([&] { s.server().stop(); });
  EXPECT_TRUE(c.wait_closed(2s));
  EXPECT_EQ(s.run([&] { return s.server().stats().open_connections; }), 0u);
}

}  // namespace server_test
}  // namespace rollcall::daemon::http::test
