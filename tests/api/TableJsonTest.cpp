// TableJson: the exact JSON shape of the cluster table and of a member (the web page's contract),
// and config_from_json's errors.
#include "daemon/api/TableJson.h"

#include <gtest/gtest.h>

#include "daemon/api/ConfigJson.h"
#include "membership/TableBuilder.h"
#include "membership/WarningCatalog.h"

namespace rollcall::daemon::api {
namespace table_json_test {

namespace m = rollcall::membership;
using nlohmann::json;

m::ClusterTable sample_table() {
  const auto id1 = m::NodeId::from_words(0x1111111111111111ULL, 0x2222222222222222ULL);
  const auto id2 = m::NodeId::from_words(0x3333333333333333ULL, 0x4444444444444444ULL);
  m::ClusterTable t;
  t.name = "demo";
  t.server_count = 2;
  t.servers_alive = 2;
  t.status = m::Health::warning;
  t.digest = "9f3a0c1d2e3f4a5b";
  t.config.stale_timeout_ms = 600'000;
  t.config_lamport = 3;
  t.config_writer = id2;
  t.served_by = id1;
  t.served_by_name = "node-1";
  m::WarningCatalog::Named n1{id1, "node-1"}, n2{id2, "node-1"};
  t.warnings.push_back(m::WarningCatalog::name_conflict("node-1", {n1, n2}, nullptr));

  m::ServerRow s;
  s.id = id1;
  s.name = "node-1";
  s.has_info = true;
  s.os_name = "Debian GNU/Linux";
  s.os_version = "12";
  s.addresses = {"10.0.0.5", "fe80::1"};
  s.gossip_address = *m::Address::parse("127.0.0.1:7950");
  s.agent_version = "0.1.0";
  s.host_id = "1a2b3c4d5e6f7a8b";
  s.labels = {{"zone", "a"}};
  s.state = m::MemberState::alive;
  s.last_heard_ms = 1200;
  s.incarnation = {3, 0};
  s.rtt_ms = 0.4;
  s.status = m::Health::warning;
  s.version_in_sync = false;
  s.key_in_sync = true;
  m::ComponentRow web;
  web.kind = "web";
  web.version = "2024.2";
  web.endpoint = "http://10.0.0.5:8624";
  web.status = m::ComponentRow::Status::warning;
  web.verification = m::Verification::Result::ok;
  web.verification_detail = "HTTP 200";
  web.verification_age_ms = 5000;
  web.heartbeat_age_ms = 1200;
  web.version_in_sync = false;
  web.prevailing_version = "2024.3";
  s.components.push_back(web);
  s.keys.push_back(m::KeyRow{"encryption", "ab12cd34ef56", "ab12cd34ef56", true});
  s.warnings.push_back(m::WarningCatalog::version_out_of_sync(n1, "web", "2024.2", "2024.3"));
  t.servers.push_back(s);

  m::ServerRow s2;
  s2.id = id2;
  s2.name = "node-1";
  s2.state = m::MemberState::dead;
  s2.keys.push_back(m::KeyRow{"encryption", "", "ab12cd34ef56", false});
  m::ComponentRow svc;
  svc.kind = "service";
  svc.status = m::ComponentRow::Status::unknown;
  s2.components.push_back(svc);
  t.servers.push_back(s2);
  return t;
}

TEST(TableJson, ExactShape) {
  const m::ClusterTable table = sample_table();
  const json j = to_json(table);
  const auto& w0 = table.warnings[0];
  const auto& sw = table.servers[0].warnings[0];
  const json want = {
      {"cluster",
       {{"name", "demo"},
        {"servers", 2},
        {"servers_alive", 2},
        {"status", "warning"},
        {"digest", "9f3a0c1d2e3f4a5b"},
        {"config",
         {{"load_balancing", true},
          {"automatic_failover", true},
          {"heartbeat_interval_ms", 30000},
          {"stale_timeout_ms", 600000},
          {"web_stale_window_ms", 86400000},
          {"lamport", 3},
          {"writer", "33333333"}}},
        {"warnings",
         {{{"code", "NAME_CONFLICT"}, {"severity", "warning"}, {"message", w0.message}, {"remedy", w0.remedy}}}}}},
      {"served_by", {{"id", "11111111111111112222222222222222"}, {"name", "node-1"}}},
      {"servers",
       {{{"id", "11111111111111112222222222222222"},
         {"name", "node-1"},
         {"os", {{"name", "Debian GNU/Linux"}, {"version", "12"}}},
         {"addresses", {"10.0.0.5", "fe80::1"}},
         {"gossip_address", "127.0.0.1:7950"},
         {"agent_version", "0.1.0"},
         {"host_id", "1a2b3c4d"},
         {"labels", {{"zone", "a"}}},
         {"heartbeat",
          {{"state", "alive"}, {"last_heard_ms", 1200}, {"incarnation", "3.0"}, {"degraded", false}, {"rtt_ms", 0.4}}},
         {"status", "warning"},
         {"version_in_sync", false},
         {"key_in_sync", true},
         {"components",
          {{{"kind", "web"},
            {"version", "2024.2"},
            {"endpoint", "http://10.0.0.5:8624"},
            {"status", "warning"},
            {"verification", {{"result", "ok"}, {"detail", "HTTP 200"}, {"checked_age_ms", 5000}}},
            {"heartbeat_age_ms", 1200},
            {"stale", false},
            {"version_in_sync", false},
            {"prevailing_version", "2024.3"}}}},
         {"keys", {{{"name", "encryption"}, {"fingerprint", "ab12cd34"}, {"in_sync", true}}}},
         {"warnings",
          {{{"code", "VERSION_OUT_OF_SYNC"},
            {"severity", "warning"},
            {"message", sw.message},
            {"remedy", sw.remedy},
            {"component", "web"}}}}},
        {{"id", "33333333333333334444444444444444"},
         {"name", "node-1"},
         {"os", {{"name", ""}, {"version", ""}}},
         {"addresses", json::array()},
         {"gossip_address", nullptr},
         {"agent_version", ""},
         {"host_id", ""},
         {"labels", json::object()},
         {"heartbeat",
          {{"state", "dead"}, {"last_heard_ms", nullptr}, {"incarnation", "0.0"}, {"degraded", false}, {"rtt_ms", nullptr}}},
         {"status", "ok"},
         {"version_in_sync", true},
         {"key_in_sync", true},
         {"components",
          {{{"kind", "service"},
            {"version", ""},
            {"endpoint", ""},
            {"status", "unknown"},
            {"verification", {{"result", "unknown"}, {"detail", ""}, {"checked_age_ms", nullptr}}},
            {"heartbeat_age_ms", nullptr},
            {"stale", false},
            {"version_in_sync", true},
            {"prevailing_version", ""}}}},
         {"keys", {{{"name", "encryption"}, {"fingerprint", nullptr}, {"in_sync", false}}}},
         {"warnings", json::array()}}}}};
  EXPECT_EQ(j, want) << "diff: " << json::diff(j, want).dump(1);
}

TEST(TableJson, ClusterWarningsNameTheirServers) {
  m::TableWarning w;
  w.code = "SHARED_HOST";
  w.server = m::NodeId::from_words(1, 2);
  EXPECT_EQ(to_json(w, true)["server"], w.server->hex());
  EXPECT_FALSE(to_json(w, false).contains("server"));
  EXPECT_FALSE(to_json(w, true).contains("component"));
}

TEST(TableJson, DerivedTableSerializesWithEveryWarningCode) {
  // A derived table (not hand-built) goes through to_json and back through text.
  m::StateStore store;
  m::ClusterItems items;
  std::vector<m::Member> members(2);
  members[0].id = m::NodeId::from_words(1, 1);
  members[0].name = "a";
  members[1].id = m::NodeId::from_words(2, 2);
  members[1].name = "a";
  std::vector<m::StateEntry> e{{"component/web", 1, m::ComponentInfo{"web", "1", ""}},
                               {"heartbeat/web", 2, m::Heartbeat{1}}};
  store.apply(members[1].id, e, m::Instant{});
  auto table = m::derive_table(m::TableInput{members[0].id, "demo", members, store, items,
                                             m::Instant{} + std::chrono::hours(25)});
  json j = json::parse(to_json(table).dump());
  EXPECT_EQ(j["cluster"]["warnings"][0]["code"], "NAME_CONFLICT");
  EXPECT_EQ(j["cluster"]["servers"], 2);
  EXPECT_EQ(j["servers"][1]["components"][0]["status"], "stale");
  EXPECT_EQ(j["served_by"]["name"], "a");
  EXPECT_EQ(j["cluster"]["digest"].get<std::string>().size(), 16u);
}

TEST(TableJson, TextNeverThrowsOnInvalidUtf8FromPeers) {
  m::ClusterTable t = sample_table();
  t.servers[0].name = "bad\xff\xfename";
  const std::string text = to_text(to_json(t));
  EXPECT_NE(text.find("bad\xef\xbf\xbd"), std::string::npos);  // U+FFFD
  EXPECT_TRUE(json::accept(text));
}

TEST(TableJson, MemberShape) {
  m::Member mem;
  mem.id = m::NodeId::from_words(5, 6);
  mem.name = "node-5";
  mem.address = *m::Address::parse("[::1]:7950");
  mem.incarnation = {2, 7};
  mem.state = m::MemberState::suspect;
  mem.last_heard = m::Instant{} + std::chrono::milliseconds(100);
  const json j = to_json(mem, m::Instant{} + std::chrono::milliseconds(1600));
  const json want = {{"id", mem.id.hex()},       {"name", "node-5"},         {"address", "[::1]:7950"},
                     {"incarnation", "2.7"},     {"state", "suspect"},       {"last_heard_ms", 1500},
                     {"rtt_ms", nullptr},        {"degraded", false}};
  EXPECT_EQ(j, want);
  mem.state = m::MemberState::alive;
  mem.recent_suspicions = 1;
  mem.rtt = std::chrono::microseconds(2500);
  const json j2 = to_json(mem, m::Instant{} + std::chrono::milliseconds(1600));
  EXPECT_EQ(j2["degraded"], true);
  EXPECT_EQ(j2["rtt_ms"], 2.5);
}

TEST(ConfigJson, PartialUpdate) {
  m::ClusterConfig current;
  current.stale_timeout_ms = 600'000;
  auto c = config_from_json(json::parse(R"({"automatic_failover": false, "heartbeat_interval_ms": 10000})"), current);
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_FALSE(c->automatic_failover);
  EXPECT_TRUE(c->load_balancing);
  EXPECT_EQ(c->heartbeat_interval_ms, 10'000);
  EXPECT_EQ(c->stale_timeout_ms, 600'000);
  // What GET returns can be PUT back.
  auto round = config_from_json(json::parse(R"({"load_balancing": true, "lamport": 3, "writer": "ab12cd34"})"), current);
  EXPECT_TRUE(round.ok());
  EXPECT_EQ(*config_from_json(json::object(), current), current);
}

TEST(ConfigJson, ErrorsNameTheKey) {
  const m::ClusterConfig current;
  struct Case {
    const char* body;
    const char* want;
  } cases[] = {
      {R"({"stale_timeout": 5000})", "stale_timeout: unknown field"},
      {R"({"load_balancing": "yes"})", "load_balancing: expected true or false, got a string"},
      {R"({"load_balancing": 1})", "load_balancing: expected true or false, got an integer"},
      {R"({"heartbeat_interval_ms": "30s"})", "heartbeat_interval_ms: expected an integer, got a string"},
      {R"({"heartbeat_interval_ms": 1.5})", "heartbeat_interval_ms: expected an integer, got a number with a fraction"},
      {R"({"heartbeat_interval_ms": 18446744073709551615})", "heartbeat_interval_ms: expected an integer below 2^63"},
      {R"({"heartbeat_interval_ms": 10})", "heartbeat_interval_ms must be between 1000 and 3600000"},
      {R"({"stale_timeout_ms": -1})", "stale_timeout_ms must be between"},
      {R"({"stale_timeout_ms": 50000})", "stale_timeout_ms must be at least twice heartbeat_interval_ms"},
      {R"({"web_stale_window_ms": 1})", "web_stale_window_ms must be between"},
      {R"([1, 2])", "body: expected an object, got an array"},
      {R"("config")", "body: expected an object, got a string"},
      {R"(null)", "body: expected an object, got null"},
  };
  for (const auto& c : cases) {
    auto r = config_from_json(json::parse(c.body), current);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_NE(r.error().find(c.want), std::string::npos) << c.body << " -> " << r.error();
  }
}

}  // namespace table_json_test
}  // namespace rollcall::daemon::api
