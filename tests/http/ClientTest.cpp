// The blocking client against misbehaving peers: refused, silent, garbage, oversize, early close.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "daemon/http/Client.h"
#include "http/ServerThread.h"

namespace rollcall::daemon::http::test {
namespace client_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A listening socket on 127.0.0.1 that the test drives by hand (accept or not).
struct Listener {
  int fd = -1;
  std::uint16_t port = 0;
  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 16);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
  }
  ~Listener() { ::close(fd); }
  // Accepts one connection, reads its request head, writes `reply`, closes.
  std::thread serve_once(std::string reply) {
    return std::thread([this, reply] {
      int c = ::accept(fd, nullptr, nullptr);
      if (c < 0) return;
      std::string got;
      char buf[4096];
      while (got.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        got.append(buf, static_cast<std::size_t>(n));
      }
      ::send(c, reply.data(), reply.size(), MSG_NOSIGNAL);
      ::close(c);
    });
  }
};

std::uint16_t free_port() {
  Listener l;
  return l.port;  // closed again when l goes out of scope: nothing listens there now
}

TEST(HttpClient, ConnectionRefusedIsAClearError) {
  auto port = free_port();
  auto res = request("127.0.0.1", port, "GET", "/");
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::connection_refused);
  EXPECT_NE(res.error().message.find("connect 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << res.error().message;
  EXPECT_NE(res.error().message.find("refused"), std::string::npos) << res.error().message;
}

TEST(HttpClient, SilentServerTimesOut) {
  Listener l;  // the kernel completes the handshake; nobody ever answers
  auto start = Clock::now();
  auto res = request("127.0.0.1", l.port, "GET", "/", {}, {}, 300ms);
  auto took = Clock::now() - start;
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::timeout);
  EXPECT_NE(res.error().message.find("timed out after 300 ms"), std::string::npos) << res.error().message;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
}

TEST(HttpClient, GarbageResponseIsBadResponse) {
  Listener l;
  auto t = l.serve_once("SSH-2.0-OpenSSH_9.2\r\n\r\n");
  auto res = request("127.0.0.1", l.port, "GET", "/");
  t.join();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::bad_response) << res.error().message;
}

TEST(HttpClient, TruncatedBodyIsBadResponse) {
  Listener l;
  auto t = l.serve_once("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
  auto res = request("127.0.0.1", l.port, "GET", "/");
  t.join();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::bad_response);
}

TEST(HttpClient, CloseDelimitedBodyIsAccepted) {
  Listener l;
  auto t = l.serve_once("HTTP/1.0 200 OK\r\n\r\nuntil close");
  auto res = request("127.0.0.1", l.port, "GET", "/");
  t.join();
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "until close");
}

TEST(HttpClient, ChunkedResponseIsDecoded) {
  Listener l;
  auto t = l.serve_once("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  auto res = request("127.0.0.1", l.port, "GET", "/");
  t.join();
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->body, "hello world");
}

TEST(HttpClient, OversizeBodyIsRefused) {
  Listener l;
  auto t = l.serve_once("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'z'));
  ClientOptions o;
  o.max_body_bytes = 1000;
  auto res = request("127.0.0.1", l.port, "GET", "/", {}, {}, o);
  t.join();
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::too_large);
}

TEST(HttpClient, UnknownHostIsAResolveError) {
  auto res = request("no-such-host.invalid", 80, "GET", "/", {}, {}, 3000ms);
  ASSERT_FALSE(res.ok());
  EXPECT_TRUE(res.error().kind == ClientError::Kind::resolve || res.error().kind == ClientError::Kind::timeout)
      << res.error().message;
}

TEST(HttpClient, SendsHeadersAndBodyTheServerSees) {
  std::string seen;
  ServerThread s({}, [&](const Request& q, Responder r) {
    seen = q.method + " " + q.path + " " + std::string(q.header("authorization").value_or("")) + " " + q.body;
    r.respond({204, "", "", {}});
  });
  auto res = request("127.0.0.1", s.port(), "PUT", "/v1/config", "{\"a\":1}", {{"Authorization", "Bearer t0k"}});
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(s.run([&] { return seen; }), "PUT /v1/config Bearer t0k {\"a\":1}");
}

}  // namespace client_test
}  // namespace rollcall::daemon::http::test
