// Verification probes on a private io_context: HTTP ok / failed / refused / silent, TCP ok /
// refused, bad URLs; the callback runs exactly once and never inside the probe_* call.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>

#include "daemon/http/Probe.h"
#include "daemon/http/Server.h"

namespace rollcall::daemon::http {
namespace probe_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct ProbeRig {
  asio::io_context io;
  Server server{io, {}, [](const Request& q, Responder r) {
                  if (q.path == "/health") return r.respond({200, "application/json", "{}", {}});
                  if (q.path == "/moved") return r.respond({302, "text/plain", "", {{"Location", "/health"}}});
                  r.respond({500, "application/json", "{}", {}});
                }};
  std::uint16_t port = 0;
  ProbeRig() {
    EXPECT_FALSE(server.listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)));
    port = server.local_endpoint().port();
  }
  // Runs the io_context until the probe answered (or a deadline); counts callbacks.
  ProbeResult wait(std::optional<ProbeResult>& out, int& calls, std::chrono::milliseconds within = 5000ms) {
    const auto deadline = Clock::now() + within;
    while (!out && Clock::now() < deadline) io.run_one_for(50ms);
    io.run_for(20ms);  // a second (wrong) callback would show up here
    EXPECT_EQ(calls, 1);
    return out.value_or(ProbeResult{false, "no callback", {}});
  }
};

struct Silent {  // listens, never accepts, never answers
  int fd = -1;
  std::uint16_t port = 0;
  Silent() {
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
  ~Silent() { ::close(fd); }
};

std::uint16_t free_port() {
  Silent s;
  return s.port;
}

auto recorder(std::optional<ProbeResult>& out, int& calls) {
  return [&out, &calls](ProbeResult r) {
    ++calls;
    out = std::move(r);
  };
}

TEST(Probe, HttpOk) {
  ProbeRig rig;
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_http(rig.io, "http://127.0.0.1:" + std::to_string(rig.port) + "/health", 2000ms, recorder(out, calls));
  EXPECT_EQ(calls, 0);  // never inline
  auto r = rig.wait(out, calls);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail.rfind("HTTP 200 in ", 0), 0u) << r.detail;
  EXPECT_GT(r.elapsed.count(), 0);
}

TEST(Probe, HttpRedirectCountsAsOk) {
  ProbeRig rig;
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_http(rig.io, "http://localhost:" + std::to_string(rig.port) + "/moved", 2000ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail.rfind("HTTP 302", 0), 0u) << r.detail;
}

TEST(Probe, Http500Fails) {
  ProbeRig rig;
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_http(rig.io, "http://127.0.0.1:" + std::to_string(rig.port) + "/broken?x=1", 2000ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail.rfind("HTTP 500 in ", 0), 0u) << r.detail;
}

TEST(Probe, HttpRefusedPortFails) {
  ProbeRig rig;
  auto port = free_port();
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_http(rig.io, "http://127.0.0.1:" + std::to_string(port) + "/health", 2000ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "connect 127.0.0.1:" + std::to_string(port) + ": connection refused");
}

TEST(Probe, HttpSilentServerTimesOut) {
  ProbeRig rig;
  Silent silent;
  std::optional<ProbeResult> out;
  int calls = 0;
  auto start = Clock::now();
  probe_http(rig.io, "http://127.0.0.1:" + std::to_string(silent.port) + "/health", 300ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  auto took = Clock::now() - start;
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("within 300 ms"), std::string::npos) << r.detail;
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
}

TEST(Probe, TcpOk) {
  ProbeRig rig;
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_tcp(rig.io, "127.0.0.1", rig.port, 2000ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail.rfind("connected to 127.0.0.1:" + std::to_string(rig.port) + " in ", 0), 0u) << r.detail;
}

TEST(Probe, TcpRefused) {
  ProbeRig rig;
  auto port = free_port();
  std::optional<ProbeResult> out;
  int calls = 0;
  probe_tcp(rig.io, "127.0.0.1", port, 2000ms, recorder(out, calls));
  auto r = rig.wait(out, calls);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("connection refused"), std::string::npos) << r.detail;
}

TEST(Probe, BadUrlsFailWithoutNetwork) {
  ProbeRig rig;
  for (std::string url : {"", "not a url", "https://127.0.0.1/health", "ftp://x/y", "http://"}) {
    std::optional<ProbeResult> out;
    int calls = 0;
    probe_http(rig.io, url, 1000ms, recorder(out, calls));
    EXPECT_EQ(calls, 0);
    auto r = rig.wait(out, calls, 1000ms);
    EXPECT_FALSE(r.ok) << url;
    EXPECT_FALSE(r.detail.empty()) << url;
  }
}

TEST(Probe, ManyProbesAtOnceAllAnswer) {
  ProbeRig rig;
  int answered = 0, ok = 0;
  for (int i = 0; i < 50; ++i) {
    probe_http(rig.io, "http://127.0.0.1:" + std::to_string(rig.port) + "/health", 3000ms, [&](ProbeResult r) {
      ++answered;
      ok += r.ok ? 1 : 0;
    });
  }
  const auto deadline = Clock::now() + 5s;
  while (answered < 50 && Clock::now() < deadline) rig.io.run_one_for(50ms);
  EXPECT_EQ(answered, 50);
  EXPECT_EQ(ok, 50);
}

}  // namespace probe_test
}  // namespace rollcall::daemon::http
