// ModelJson: every replicated value round-trips through JSON; bad input gives an error naming the
// field and never throws.
#include "daemon/persist/ModelJson.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace rollcall::daemon::persist {
namespace model_json_test {

namespace m = rollcall::membership;
using nlohmann::json;

std::vector<m::StateEntry> samples() {
  m::ServerInfo info{"node-1", "Debian GNU/Linux", "12", {"10.0.0.5", "fe80::1"}, "0.1.0", 1, "1a2b3c4d", {{"zone", "a"}}};
  return {
      {"server", 1, info},
      {"component/web", 2, m::ComponentInfo{"web", "2024.3", "http://10.0.0.5:8624"}},
      {"heartbeat/web", 3, m::Heartbeat{42}},
      {"verify/web", 4, m::Verification{m::Verification::Result::failed, "connect: refused", 1500}},
      {"key/encryption", 5, m::KeyFingerprint{"ab12cd34ef"}},
      {"keyring", 6, m::KeyringInfo{{"k1", "k2"}, "k1"}},
      {"component/old", 7, std::monostate{}},
  };
}

TEST(ModelJson, StateEntriesRoundTrip) {
  for (const auto& e : samples()) {
    json j = ModelJson::to_json(e);
    // Through text too, as in a file.
    auto back = ModelJson::state_entry(json::parse(j.dump()), "e");
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(*back, e) << j.dump();
  }
  EXPECT_EQ(ModelJson::to_json(samples()[2])["type"], "heartbeat");
  EXPECT_TRUE(ModelJson::to_json(samples()[6])["value"].is_null());
}

TEST(ModelJson, ClusterItemsRoundTrip) {
  m::ClusterConfig c;
  c.automatic_failover = false;
  c.stale_timeout_ms = 120'000;
  const auto writer = m::NodeId::from_words(0xab, 0xcd);
  std::vector<m::ClusterItem> items{
      {"config", 3, writer, c},
      {"removal/x/web", 4, writer, m::Removal{m::NodeId::from_words(7, 7), "web", 12, 0, 500}},
      {"removal/x", 5, writer, m::Removal{m::NodeId::from_words(7, 7), "", 0, 3, 0}},
  };
  for (const auto& item : items) {
    auto back = ModelJson::cluster_item(json::parse(ModelJson::to_json(item).dump()), "i");
    ASSERT_TRUE(back.ok()) << back.error();
    EXPECT_EQ(*back, item);
  }
}

TEST(ModelJson, AddressesRoundTrip) {
  for (const char* text : {"10.1.2.3:7950", "[::1]:7950", "[fe80::1]:1"}) {
    auto a = m::Address::parse(text);
    ASSERT_TRUE(a);
    auto back = ModelJson::address(ModelJson::to_json(*a), "p");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, *a);
  }
  auto bad = ModelJson::address(json("nonsense"), "peers[3]");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("peers[3]"), std::string::npos);
}

TEST(ModelJson, ErrorsNameTheField) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {R"([1,2])", "e: expected an object"},
      {R"({"key":"k","version":1,"type":"heartbeat"})", "e.value: missing"},
      {R"({"key":"k","version":-1,"type":"heartbeat","value":{"counter":1}})", "e.version: expected a non-negative integer"},
      {R"({"key":"k","version":1,"type":"bogus","value":{}})", "unknown type \"bogus\""},
      {R"({"key":"k","version":1,"type":"heartbeat","value":{"counter":"x"}})", "e.value.counter: expected a non-negative integer, got a string"},
      {R"({"key":"k","version":1,"type":"verification","value":{"result":"maybe","detail":"","checked_age_ms":0}})", "e.value.result"},
      {R"({"key":"k","version":1,"type":"server","value":{"name":"n","os_name":"","os_version":"","addresses":[1],"agent_version":"","protocol_version":1,"host_id":"","labels":{}}})", "e.value.addresses[0]: expected a string"},
      {R"({"key":"k","version":1,"type":"server","value":{"name":"n","os_name":"","os_version":"","addresses":[],"agent_version":"","protocol_version":1,"host_id":"","labels":{"a":1}}})", "e.value.labels.a: expected a string"},
      {R"({"key":"k","version":1,"type":"deleted","value":{}})", "expected null"},
      {R"({"key":"k","version":1,"type":"key","value":{"fingerprint":"x"},"extra":1})", "e.extra: unknown field"},
      {R"({"key":1.5,"version":1,"type":"key","value":{"fingerprint":"x"}})", "e.key: expected a string, got a number with a fraction"},
  };
  for (const auto& c : cases) {
    auto r = ModelJson::state_entry(json::parse(c.text), "e");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.error().find(c.want), std::string::npos) << c.text << " -> " << r.error();
  }
  auto item = ModelJson::cluster_item(json::parse(R"({"key":"config","lamport":1,"writer":"zz","type":"config","value":{}})"), "i");
  ASSERT_FALSE(item.ok());
  EXPECT_NE(item.error().find("i.writer: expected 32 hex digits"), std::string::npos) << item.error();
}

TEST(ModelJson, ConfigOverlayIsPartialAndStrict) {
  m::ClusterConfig base;
  base.stale_timeout_ms = 600'000;
  auto c = ModelJson::config(json::parse(R"({"load_balancing": false})"), base, "");
  ASSERT_TRUE(c.ok()) << c.error();
  EXPECT_FALSE(c->load_balancing);
  EXPECT_EQ(c->stale_timeout_ms, 600'000);  // untouched
  auto unknown = ModelJson::config(json::parse(R"({"stale_timeout": 5})"), base, "");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error(), "stale_timeout: unknown field");
  auto allowed = ModelJson::config(json::parse(R"({"lamport": 5, "writer": "x"})"), base, "", {"lamport", "writer"});
  EXPECT_TRUE(allowed.ok());
  auto type = ModelJson::config(json::parse(R"({"automatic_failover": "yes"})"), base, "");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.error(), "automatic_failover: expected true or false, got a string");
}

}  // namespace model_json_test
}  // namespace rollcall::daemon::persist
