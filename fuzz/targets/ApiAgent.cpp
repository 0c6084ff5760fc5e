// Target api_agent: a real Agent (encrypted gossip on 127.0.0.1 port 0, admin token, components
// "web" and "service", its own data directory) serving HTTP on 127.0.0.1 from a background thread;
// each input becomes one HTTP request on a keep-alive connection. Input: first line
// "[flags]METHOD PATH" (flag '-': no Authorization header, '~': a wrong token), the rest is the
// body. The path is sent percent-encoded, so any bytes reach the router; /v1/leave and /v1/events
// are skipped (they end the agent or never end). This reaches every write API body: PUT
// /v1/config, POST /v1/keys/<op>, PUT /v1/local/components/<kind>, DELETE of servers and
// components. Oracles: a well-formed response, never a 5xx, JSON bodies parse, and neither the
// admin token nor the gossip key ever appears in a response (unless an earlier input gave it to this
// agent as data, e.g. as a component version, which the table then shows back). The agent is replaced every
// kInputsPerAgent inputs so its keyring and cluster state stay small. ROLLCALL_FUZZ_DEBUG=1 prints
// each request and the start of its answer.
#include <http_parser.h>

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "daemon/Agent.h"
#include "daemon/config/ConfigLoader.h"
#include "daemon/http/PercentDecode.h"
#include "fuzz/Targets.h"
#include "fuzz/support/Scratch.h"

namespace rollcall::fuzz {

namespace {

namespace fs = std::filesystem;
using tcp = asio::ip::tcp;
constexpr std::string_view kName = "api_agent";
constexpr std::string_view kGossipKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr std::string_view kAdminToken = "fuzz-agent-token-0c8d5a1e66";
constexpr int kInputsPerAgent = 2000;

std::uint16_t free_port() {
  asio::io_context io;
  tcp::acceptor a(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  return a.local_endpoint().port();
}

void write_file(const fs::path& p, std::string_view text) {
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  std::error_code ec;
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write, ec);
}

struct Response {
  int status = 0;
  bool complete = false;
  bool json = false;
  std::string body;
  std::string headers;
};

// One agent on its own thread, and a keep-alive client connection to its HTTP port.
class AgentRig {
 public:
  explicit AgentRig(int serial) {
    const fs::path dir = scratch_dir("agent");
    write_file(dir / "gossip.key", std::string(kGossipKey) + "\n");
    write_file(dir / "admin.token", kAdminToken);
    const fs::path data = dir / ("data-" + std::to_string(serial));
    for (int attempt = 0; attempt < 5 && !agent_; ++attempt) {
      port_ = free_port();
      const std::string toml = "[agent]\nname = \"fuzz-agent\"\ncluster = \"fuzz\"\ndata_dir = \"" + data.string() +
                               "\"\nlog_level = \"error\"\n"
                               "[gossip]\nbind = \"127.0.0.1:0\"\nprofile = \"local\"\nkey_file = \"gossip.key\"\n"
                               "leave_timeout = \"0s\"\n"
                               "[http]\nbind = \"127.0.0.1:" + std::to_string(port_) + "\"\n"
                               "admin_token_file = \"admin.token\"\nmax_body_bytes = \"64KiB\"\n"
                               "[server]\nhost_id_file = \"\"\n"
                               "[[component]]\nkind = \"web\"\nversion = \"1.0\"\nendpoint = \"http://127.0.0.1:1/\"\n"
                               "[[component]]\nkind = \"service\"\nversion = \"2.0\"\n";
      write_file(dir / "agent.toml", toml);
      auto cfg = daemon::config::load_config(dir / "agent.toml", {}, {});
      check(cfg.ok(), kName, "the rig's agent config does not load: " + (cfg.ok() ? std::string() : cfg.error().message()));
      auto agent = std::make_unique<daemon::Agent>(std::move(cfg.value()));
      if (auto err = agent->start()) continue;  // most likely the port was taken meanwhile: try another
      agent_ = std::move(agent);
    }
    check(agent_ != nullptr, kName, "the agent does not start");
    thread_ = std::thread([a = agent_.get()] { a->run(); });
  }

  ~AgentRig() {
    send("POST", "/v1/leave", "", "");
    thread_.join();
  }

  // Sends one request and reads its response (reconnecting if the agent closed the connection).
  Response send(const std::string& method, const std::string& path, const std::string& auth, const std::string& body) {
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!auth.empty()) req += "Authorization: " + auth + "\r\n";
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    asio::error_code ec;
    if (!socket_.is_open()) {
      // libFuzzer's -timeout watchdog is a SIGALRM every second: a blocking connect can see EINTR.
      for (int attempt = 0; attempt < 5; ++attempt) {
        socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
        if (ec != asio::error::interrupted) break;
        asio::error_code ignored;
        socket_.close(ignored);
      }
      check(!ec, kName, "cannot connect to the agent: " + ec.message());
    }
    asio::write(socket_, asio::buffer(req), ec);
    Response r;
    if (ec) {
      socket_.close(ec);
      return r;
    }
    http_parser p;
    http_parser_init(&p, HTTP_RESPONSE);
    p.data = &r;
    http_parser_settings s;
    http_parser_settings_init(&s);
    s.on_header_field = [](http_parser* hp, const char* at, std::size_t n) {
      static_cast<Response*>(hp->data)->headers.append(at, n).push_back(':');
      return 0;
    };
    s.on_header_value = [](http_parser* hp, const char* at, std::size_t n) {
      static_cast<Response*>(hp->data)->headers.append(at, n).push_back('\n');
      return 0;
    };
    s.on_headers_complete = [](http_parser* hp) {
      auto* resp = static_cast<Response*>(hp->data);
      resp->status = static_cast<int>(hp->status_code);
      resp->json = resp->headers.find("application/json") != std::string::npos;
      return resp->headers.find("X-Head-Request") != std::string::npos ? 1 : 0;
    };
    s.on_body = [](http_parser* hp, const char* at, std::size_t n) {
      static_cast<Response*>(hp->data)->body.append(at, n);
      return 0;
    };
    s.on_message_complete = [](http_parser* hp) {
      static_cast<Response*>(hp->data)->complete = true;
      http_parser_pause(hp, 1);
      return 0;
    };
    if (method == "HEAD") r.headers = "X-Head-Request\n";  // a HEAD response has no body despite Content-Length
    char buf[16384];
    while (!r.complete) {
      const std::size_t n = socket_.read_some(asio::buffer(buf), ec);
      if (ec) {
        http_parser_execute(&p, &s, nullptr, 0);
        break;
      }
      http_parser_execute(&p, &s, buf, n);
      const auto err = HTTP_PARSER_ERRNO(&p);
      check(err == HPE_OK || err == HPE_PAUSED, kName, "the agent wrote an invalid HTTP response");
    }
    if (!r.complete || r.headers.find("close") != std::string::npos) socket_.close(ec);
    return r;
  }

 private:
  asio::io_context io_;
  tcp::socket socket_{io_};
  std::uint16_t port_ = 0;
  std::unique_ptr<daemon::Agent> agent_;
  std::thread thread_;
};

std::unique_ptr<AgentRig>& rig() {
  static std::unique_ptr<AgentRig> r;
  return r;
}

}  // namespace

int api_agent(Input in) {
  static int served = 0;
  static int agents = 0;
  // Secrets an input to this agent carried as data. A component's version is free text that the
  // table shows back, so after `PUT /v1/local/components/web {"version":"<the token>"}` every
  // later GET rightly shows that text: the secret came in as data, not out of the keyring. The
  // oracle then skips that secret until the agent is replaced (the campaign of 2026-11-30 stopped
  // on exactly this; fuzz/regressions/api_agent/secret-as-data-*).
  static std::set<std::string_view> planted;
  if (!rig() || served >= kInputsPerAgent) {
    rig().reset();
    planted.clear();
    rig() = std::make_unique<AgentRig>(agents++);
    // Registered once the agent runs, so after everything its thread uses (scratch files, the
    // logger registry, OpenSSL's own atexit cleanup): at exit the agent stops first.
    if (agents == 1) std::atexit([] { rig().reset(); });
    served = 0;
  }
  ++served;

  const std::string text(reinterpret_cast<const char*>(in.data()), in.size());
  const std::size_t nl = text.find('\n');
  std::string line = text.substr(0, nl);
  const std::string body = nl == std::string::npos ? std::string() : text.substr(nl + 1);
  std::string auth = "Bearer " + std::string(kAdminToken);
  while (!line.empty() && (line[0] == '-' || line[0] == '~')) {
    auth = line[0] == '-' ? "" : "Bearer not-the-token";
    line.erase(0, 1);
  }
  const std::size_t sp = line.find(' ');
  const std::string method = line.substr(0, sp);
  const std::string path = sp == std::string::npos ? "/" : line.substr(sp + 1);
  if (method.empty() || method.size() > 16) return 0;
  for (char c : method)
    if (c < 'A' || c > 'Z') return 0;
  // The router sees the decoded path split at '/': skip the two routes that end the rig.
  for (std::string_view seg : {"/leave", "/events"}) {
    const auto at = path.find(seg);
    if (at != std::string::npos && (at + seg.size() == path.size() || path[at + seg.size()] == '/')) return 0;
  }

  const std::string wire_path = "/" + daemon::http::percent_encode_path(path.starts_with("/") ? path.substr(1) : path);
  const Response r = rig()->send(method, wire_path, auth, body);
  static const bool debug = std::getenv("ROLLCALL_FUZZ_DEBUG") != nullptr;
  if (debug) std::fprintf(stderr, "api_agent: %s %s -> %d %s\n", method.c_str(), wire_path.c_str(), r.status, r.body.substr(0, 160).c_str());
  if (!r.complete) return 0;  // the agent closed the connection (e.g. an unknown method): reconnects next time
  check(r.status < 500 || r.status == 503, kName, "the agent answered " + std::to_string(r.status));
  if (r.json && method != "HEAD") {
    check(!nlohmann::json::parse(r.body, nullptr, false).is_discarded(), kName, "a JSON response does not parse");
  }
  for (std::string_view secret : {kAdminToken, kGossipKey}) {
    if (text.find(secret) != std::string::npos) planted.insert(secret);
    if (!planted.contains(secret)) {
      check(r.body.find(secret) == std::string::npos && r.headers.find(secret) == std::string::npos, kName,
            "a response shows a secret");
    }
  }
  return 0;
}

}  // namespace rollcall::fuzz
