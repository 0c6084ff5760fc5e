// Human output of the client: the cluster table, members, config and keys.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/ClusterFixture.h"
#include "cli/TextLines.h"
#include "daemon/cli/Format.h"
#include "daemon/cli/TextTable.h"

namespace rollcall::daemon::cli {
namespace format_test {

using test::column_of;
using test::lines_of;

using nlohmann::json;

const std::string* line_with(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines)
    if (l.find(needle) != std::string::npos) return &l;
  return nullptr;
}

TEST(FormatCluster, SummaryConfigRowsAndWarningsWithRemedies) {
  std::string text = format_cluster(test::cluster_fixture(), Style{});
  auto lines = lines_of(text);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "Cluster demo: 3 servers, 3 alive, ✖ error");
  EXPECT_NE(text.find("Digest 9f3a0c1d2e3f4a5b, served by node-1"), std::string::npos);
  EXPECT_NE(text.find("load balancing on, automatic failover off, heartbeat every 30s, stale after 5m, "
                      "web stale after 24h"),
            std::string::npos);

  const std::string* header = line_with(lines, "SERVER");
  const std::string* n1 = line_with(lines, "node-1  ");
  const std::string* n2 = line_with(lines, "node-2-long-name");
  const std::string* n3 = line_with(lines, "node-3");
  ASSERT_TRUE(header && n1 && n2 && n3) << text;
  // Status symbol first, then aligned columns: web before service, version and key sync last.
  EXPECT_EQ(n1->rfind("✔", 0), 0u) << *n1;
  EXPECT_EQ(n2->rfind("⚠", 0), 0u) << *n2;
  EXPECT_EQ(n3->rfind("✖", 0), 0u) << *n3;
  EXPECT_LT(column_of(*header, "WEB"), column_of(*header, "SERVICE"));
  EXPECT_EQ(column_of(*n1, "alive"), column_of(*header, "STATE"));
  EXPECT_EQ(column_of(*n2, "suspect (degraded)"), column_of(*header, "STATE"));
  EXPECT_EQ(column_of(*n2, "⚠ 2024.2"), column_of(*header, "WEB"));
  EXPECT_EQ(column_of(*n1, "✔ 2024.3"), column_of(*header, "WEB"));
  EXPECT_EQ(column_of(*n3, "✖ 2024.3 check failed"), column_of(*header, "SERVICE"));
  EXPECT_NE(n3->find("⚠ 2024.3 stale"), std::string::npos) << *n3;
  EXPECT_NE(n2->find("10.0.0.6,fe80::2"), std::string::npos);
  EXPECT_NE(n3->find("10.0.0.7:7950"), std::string::npos) << "no addresses: the gossip address is shown";
  EXPECT_NE(n2->find("Ubuntu 22.04"), std::string::npos);
  EXPECT_NE(n2->find("4.2s"), std::string::npos);
  // node-2 has no service component.
  EXPECT_EQ(column_of(*n2, " - "), column_of(*header, "SERVICE") - 1) << *n2;

  EXPECT_NE(text.find("⚠ node-2-long-name (web) VERSION_OUT_OF_SYNC: web runs 2024.2; the cluster runs 2024.3."),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("fix: Upgrade this server"), std::string::npos);
  EXPECT_NE(text.find("✖ node-3 KEY_NOT_SET: No encryption key"), std::string::npos);
  EXPECT_NE(text.find("fix: Set the encryption key"), std::string::npos);
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "no colour without a terminal";
}

TEST(FormatCluster, ColourOnlyWhenAsked) {
  std::string text = format_cluster(test::cluster_fixture(), Style{true});
  EXPECT_NE(text.find("\x1b[31m✖\x1b[0m"), std::string::npos);
  EXPECT_NE(text.find("\x1b[32malive\x1b[0m"), std::string::npos);
}

TEST(FormatCluster, NoWarningsSaysSo) {
  json t = test::cluster_fixture();
  t["servers"] = nlohmann::json::array({t["servers"][0]});
  EXPECT_NE(format_cluster(t, Style{}).find("No warnings."), std::string::npos);
}

TEST(FormatCluster, ClusterLevelWarningsAreShownOnceNotAgainPerServer) {
  json t = test::cluster_fixture();
  json w = {{"code", "SHARED_HOST"}, {"severity", "warning"}, {"message", "node-1 and node-3 share a host."},
            {"remedy", "Move one."}, {"server", "00000000000000000000000000000001"}};
  t["cluster"]["warnings"].push_back(w);
  w.erase("server");
  t["servers"][0]["warnings"].push_back(w);
  t["servers"][2]["warnings"].push_back(w);
  std::string text = format_cluster(t, Style{});
  auto first = text.find("SHARED_HOST: node-1 and node-3 share a host.");
  ASSERT_NE(first, std::string::npos) << text;
  EXPECT_EQ(text.find("SHARED_HOST", first + 1), std::string::npos) << text;
  EXPECT_NE(text.find("KEY_NOT_SET"), std::string::npos) << "other server warnings still shown";
}

TEST(FormatCluster, SurvivesAnythingTheAgentMightSend) {
  for (const char* body : {"null", "[]", "{}", "42", R"({"cluster": [], "servers": {}})",
                           R"({"servers": [null, 1, {"name": 7, "components": [null, {"kind": 1}], "heartbeat": []}]})",
                           R"({"cluster": {"servers": "x", "config": {"heartbeat_interval_ms": "fast"}}})"}) {
    EXPECT_NO_THROW((void)format_cluster(json::parse(body), Style{})) << body;
  }
}

TEST(FormatMembers, SortedByNameWithStateAndAges) {
  json m = json::parse(R"([
    {"id": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "name": "zed", "address": "127.0.0.1:7952", "incarnation": "1.0",
     "state": "dead", "last_heard_ms": 61000, "rtt_ms": null, "degraded": false},
    {"id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "name": "alpha", "address": "127.0.0.1:7950", "incarnation": "2.3",
     "state": "alive", "last_heard_ms": 250, "rtt_ms": 0.42, "degraded": true}])");
  auto lines = lines_of(format_members(m, Style{}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("NAME", 0), 0u);
  EXPECT_EQ(lines[1].rfind("alpha", 0), 0u);
  EXPECT_EQ(lines[2].rfind("zed", 0), 0u);
  EXPECT_NE(lines[1].find("alive (degraded)"), std::string::npos);
  EXPECT_NE(lines[1].find("250ms"), std::string::npos);
  EXPECT_NE(lines[1].find("0.4ms"), std::string::npos);
  EXPECT_NE(lines[1].find("aaaaaaaa"), std::string::npos);
  EXPECT_EQ(lines[1].find("aaaaaaaaa"), std::string::npos) << "ids are shortened to 8 hex digits";
  EXPECT_NE(lines[2].find("1m"), std::string::npos);
  EXPECT_EQ(column_of(lines[2], "dead"), column_of(lines[0], "STATE"));
}

TEST(FormatConfig, AllFieldsAlignedWithHumanDurations) {
  json c = test::cluster_fixture()["cluster"]["config"];
  std::string text = format_config(c);
  auto lines = lines_of(text);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "load_balancing         true");
  EXPECT_EQ(lines[2], "heartbeat_interval_ms  30000 (30s)");
  EXPECT_EQ(lines[4], "web_stale_window_ms    86400000 (24h)");
  EXPECT_EQ(lines[6], "writer                 ab12cd34");
  EXPECT_EQ(format_config_value(c, "stale_timeout_ms"), "300000");
  EXPECT_EQ(format_config_value(c, "automatic_failover"), "false");
  EXPECT_EQ(format_config_value(c, "writer"), "ab12cd34");
}

TEST(FormatKeys, PrimaryInstalledAndPerMember) {
  json k = json::parse(R"({"primary": "1a2b3c4d", "installed": ["1a2b3c4d", "9f8e7d6c"],
    "members": [{"name": "node-1", "primary": "1a2b3c4d", "installed": ["1a2b3c4d", "9f8e7d6c"]},
                {"name": "node-2", "primary": "1a2b3c4d", "installed": ["1a2b3c4d"]}]})");
  std::string text = format_keys(k, Style{});
  EXPECT_NE(text.find("Primary key:    1a2b3c4d"), std::string::npos) << text;
  EXPECT_NE(text.find("Installed keys: 1a2b3c4d 9f8e7d6c"), std::string::npos);
  EXPECT_NE(text.find("node-2  1a2b3c4d  1a2b3c4d\n"), std::string::npos) << text;
}

TEST(StatusSymbols, Table) {
  EXPECT_EQ(status_symbol("ok"), "✔");
  EXPECT_EQ(status_symbol("warning"), "⚠");
  EXPECT_EQ(status_symbol("stale"), "⚠");
  EXPECT_EQ(status_symbol("error"), "✖");
  EXPECT_EQ(status_symbol("unknown"), "?");
  EXPECT_EQ(state_color("dead"), Color::red);
}

}  // namespace format_test
}  // namespace rollcall::daemon::cli
