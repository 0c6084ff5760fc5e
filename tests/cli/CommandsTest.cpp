// Client subcommands against a scripted HTTP server on 127.0.0.1: what they send, what they print,
// and the exit codes scripts rely on (0 ok, 1 refused, 2 usage, 3 unreachable).
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/ClusterFixture.h"
#include "daemon/cli/Commands.h"
#include "daemon/http/Client.h"
#include "http/ServerThread.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::daemon::cli {
namespace commands_test {

using nlohmann::json;

struct Seen {
  std::string method, path, body, authorization;
};

// Answers "METHOD path" from a table; records every request.
class FakeAgent {
 public:
  FakeAgent()
      : server_(http::Limits{}, [this](const http::Request& req, http::Responder r) {
          std::lock_guard lock(mu_);
          seen_.push_back({req.method, req.path, req.body, std::string(req.header("Authorization").value_or(""))});
          auto it = routes_.find(req.method + " " + req.path);
          if (it == routes_.end()) {
            r.respond({404, "application/json", R"({"error":{"code":"not_found","message":"no route"}})", {}});
          } else {
            r.respond(it->second);
          }
        }) {}

  void route(const std::string& key, int status, std::string body, std::string type = "application/json") {
    std::lock_guard lock(mu_);
    routes_[key] = http::Response{status, std::move(type), std::move(body), {}};
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  Target target() {
    Target t;
    t.port = server_.port();
    t.out = &out;
    t.err = &err;
    t.timeout = std::chrono::milliseconds(3000);
    return t;
  }

  std::ostringstream out, err;

 private:
  std::mutex mu_;
  std::map<std::string, http::Response> routes_;
  std::vector<Seen> seen_;
  http::test::ServerThread server_;
};

// A port with nothing listening: bind an ephemeral port, then close it.
std::uint16_t closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor a(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  auto port = a.local_endpoint().port();
  a.close();
  return port;
}

TEST(Commands, ClusterPrintsTheTableAndJsonAsIs) {
  FakeAgent agent;
  agent.route("GET /v1/cluster", 200, test::cluster_fixture().dump());
  Target t = agent.target();
  EXPECT_EQ(cluster(t), ExitCode::ok);
  EXPECT_NE(agent.out.str().find("Cluster demo: 3 servers"), std::string::npos) << agent.out.str();
  EXPECT_NE(agent.out.str().find("KEY_NOT_SET"), std::string::npos);
  EXPECT_EQ(agent.err.str(), "");

  agent.out.str("");
  t.json = true;
  EXPECT_EQ(cluster(t), ExitCode::ok);
  EXPECT_EQ(json::parse(agent.out.str()), test::cluster_fixture());
}

TEST(Commands, UnreachableAgentIsExitCode3WithTheAddress) {
  FakeAgent agent;
  Target t = agent.target();
  t.port = closed_port();
  for (auto* command : {&cluster, &members, &keys_list, &leave, &health}) {
    agent.err.str("");
    EXPECT_EQ(command(t), ExitCode::unreachable);
    EXPECT_NE(agent.err.str().find("cannot reach the agent at http://127.0.0.1:" + std::to_string(t.port)),
              std::string::npos)
        << agent.err.str();
  }
  EXPECT_EQ(config_get(t, ""), ExitCode::unreachable);
  EXPECT_EQ(config_set(t, "load_balancing", "on"), ExitCode::unreachable);
  EXPECT_EQ(remove(t, "node-1", "web"), ExitCode::unreachable);
  EXPECT_EQ(heartbeat(t, "web"), ExitCode::unreachable);
  EXPECT_EQ(agent.out.str(), "");
}

TEST(Commands, ConfigSetSendsOneTypedFieldWithTheToken) {
  FakeAgent agent;
  agent.route("PUT /v1/config", 200, R"({"load_balancing":true,"heartbeat_interval_ms":10000,"lamport":4})");
  Target t = agent.target();
  t.token = "tok-123";
  EXPECT_EQ(config_set(t, "heartbeat-interval", "10s"), ExitCode::ok);
  auto seen = agent.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(json::parse(seen[0].body), json({{"heartbeat_interval_ms", 10000}}));
  EXPECT_EQ(seen[0].authorization, "Bearer tok-123");
  EXPECT_EQ(agent.out.str(), "heartbeat_interval_ms set to 10s (10000 ms) (config version 4)\n");

  EXPECT_EQ(config_set(t, "automatic_failover", "off"), ExitCode::ok);
  EXPECT_EQ(json::parse(agent.seen()[1].body), json({{"automatic_failover", false}}));
}

TEST(Commands, UsageErrorsAreExitCode2AndSendNothing) {
  FakeAgent agent;
  Target t = agent.target();
  EXPECT_EQ(config_set(t, "colour", "red"), ExitCode::usage);
  EXPECT_EQ(config_set(t, "stale_timeout", "soon"), ExitCode::usage);
  EXPECT_EQ(config_set(t, "writer", "x"), ExitCode::usage);
  EXPECT_EQ(config_get(t, "nope"), ExitCode::usage);
  EXPECT_EQ(keys_install(t, "not-a-key"), ExitCode::usage);
  EXPECT_EQ(keys_use(t, ""), ExitCode::usage);
  EXPECT_EQ(remove(t, "", ""), ExitCode::usage);
  EXPECT_EQ(heartbeat(t, ""), ExitCode::usage);
  EXPECT_TRUE(agent.seen().empty());
  EXPECT_NE(agent.err.str().find("colour"), std::string::npos);
}

TEST(Commands, RefusalsAreExitCode1WithTheAgentsMessageAndNoToken) {
  FakeAgent agent;
  agent.route("PUT /v1/config", 401, R"({"error":{"code":"unauthorized","message":"missing admin token"}})");
  Target t = agent.target();
  EXPECT_EQ(config_set(t, "load_balancing", "off"), ExitCode::failed);
  EXPECT_EQ(agent.seen().at(0).authorization, "") << "no token configured: none sent";
  EXPECT_NE(agent.err.str().find("HTTP 401 unauthorized: missing admin token"), std::string::npos) << agent.err.str();
  EXPECT_NE(agent.err.str().find("--token-file"), std::string::npos);

  agent.route("PUT /v1/config", 403, R"({"error":{"code":"forbidden","message":"admin token rejected"}})");
  agent.err.str("");
  t.token = "wrong-token-value";
  EXPECT_EQ(config_set(t, "load_balancing", "off"), ExitCode::failed);
  EXPECT_NE(agent.err.str().find("HTTP 403 forbidden: admin token rejected"), std::string::npos);
  EXPECT_EQ(agent.err.str().find("wrong-token-value"), std::string::npos);
  EXPECT_EQ(agent.out.str(), "");

  agent.route("DELETE /v1/servers/node-1", 409, R"({"error":{"code":"conflict","message":"node-1 is alive"}})");
  agent.err.str("");
  EXPECT_EQ(remove(t, "node-1", ""), ExitCode::failed);
  EXPECT_NE(agent.err.str().find("409 conflict: node-1 is alive"), std::string::npos);

  agent.err.str("");
  EXPECT_EQ(remove(t, "ghost", "web"), ExitCode::failed);  // unrouted: 404
  EXPECT_NE(agent.err.str().find("HTTP 404"), std::string::npos);

  agent.route("GET /v1/members", 500, "plain text failure\n", "text/plain");
  agent.err.str("");
  EXPECT_EQ(members(t), ExitCode::failed);
  EXPECT_NE(agent.err.str().find("HTTP 500: plain text failure"), std::string::npos) << agent.err.str();
}

TEST(Commands, A2xxThatIsNotJsonIsAFailure) {
  FakeAgent agent;
  agent.route("GET /v1/cluster", 200, "<html>", "text/html");
  Target t = agent.target();
  EXPECT_EQ(cluster(t), ExitCode::failed);
  EXPECT_NE(agent.err.str().find("not JSON"), std::string::npos);
}

TEST(Commands, RemoveEncodesNamesAndSaysWhatWasRemoved) {
  FakeAgent agent;
  agent.route("DELETE /v1/servers/node 1/components/web", 200, R"({"removed":{"server":"node 1","component":"web"}})");
  Target t = agent.target();
  t.token = "tok";
  EXPECT_EQ(remove(t, "node 1", "web"), ExitCode::ok);
  EXPECT_EQ(agent.seen().at(0).path, "/v1/servers/node 1/components/web");
  EXPECT_EQ(agent.seen().at(0).authorization, "Bearer tok");
  EXPECT_EQ(agent.out.str(), "removed component web of server node 1\n");
}

TEST(Commands, ConfigGetAllOrOneValue) {
  FakeAgent agent;
  agent.route("GET /v1/config", 200, test::cluster_fixture()["cluster"]["config"].dump());
  Target t = agent.target();
  EXPECT_EQ(config_get(t, "stale-timeout"), ExitCode::ok);
  EXPECT_EQ(agent.out.str(), "300000\n");
  agent.out.str("");
  EXPECT_EQ(config_get(t, ""), ExitCode::ok);
  EXPECT_NE(agent.out.str().find("stale_timeout_ms       300000 (5m)"), std::string::npos) << agent.out.str();
  agent.out.str("");
  t.json = true;
  EXPECT_EQ(config_get(t, "load_balancing"), ExitCode::ok);
  EXPECT_EQ(agent.out.str(), "true\n");
}

TEST(Commands, KeysInstallSendsTheKeyButPrintsOnlyItsId) {
  FakeAgent agent;
  agent.route("POST /v1/keys/install", 200, R"({"installed":true})");
  agent.route("POST /v1/keys/use", 409, R"({"error":{"code":"conflict","message":"demo-3 lacks key 1a2b3c4d"}})");
  Target t = agent.target();
  t.token = "tok";
  auto key = gossip::crypto::Keyring::generate();
  std::string b64 = gossip::crypto::Keyring::encode_key(key);
  std::string id = gossip::crypto::Keyring::key_id(key);
  EXPECT_EQ(keys_install(t, "  " + b64 + "\n"), ExitCode::ok);
  EXPECT_EQ(json::parse(agent.seen().at(0).body), json({{"key", b64}}));
  EXPECT_EQ(agent.out.str(), "installed key " + id + "\n");
  EXPECT_EQ(agent.out.str().find(b64), std::string::npos);

  EXPECT_EQ(keys_use(t, id), ExitCode::failed);
  EXPECT_EQ(json::parse(agent.seen().at(1).body), json({{"id", id}}));
  EXPECT_NE(agent.err.str().find("demo-3 lacks key"), std::string::npos);
}

TEST(Commands, HeartbeatLeaveAndHealth) {
  FakeAgent agent;
  agent.route("POST /v1/local/heartbeat/web", 200, R"({"kind":"web","counter":7})");
  agent.route("POST /v1/leave", 202, R"({"leaving":true})");
  agent.route("GET /health", 200, R"({"status":"ok"})");
  Target t = agent.target();
  EXPECT_EQ(heartbeat(t, "web"), ExitCode::ok);
  EXPECT_EQ(agent.out.str(), "web heartbeat 7\n");
  EXPECT_EQ(heartbeat(t, "nope"), ExitCode::failed);
  EXPECT_EQ(leave(t), ExitCode::ok);
  EXPECT_EQ(agent.seen().back().authorization, "") << "loopback-only calls carry no token";
  agent.out.str("");
  EXPECT_EQ(health(t), ExitCode::ok);
  EXPECT_EQ(agent.out.str(), "ok\n");
  agent.route("GET /health", 503, R"({"status":"stopping"})");
  EXPECT_EQ(health(t), ExitCode::failed);
}

}  // namespace commands_test
}  // namespace rollcall::daemon::cli
