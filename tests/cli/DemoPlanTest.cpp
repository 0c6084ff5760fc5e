// What `rollcall demo` writes: ports, versions, which agent lacks the product key, configs the real
// loader accepts, a scrubbed child environment, and the demo.json manifest.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "daemon/cli/DemoPlan.h"
#include "daemon/config/ConfigLoader.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::daemon::cli {
namespace demo_plan_test {

TEST(DemoPlan, PortsNamesVersionsAndTheAgentWithoutAKey) {
  DemoOptions o;
  o.agents = 5;
  o.base_port = 20000;
  auto plan = DemoPlan::make(o, "/tmp/w", 4242);
  ASSERT_TRUE(plan) << plan.error();
  ASSERT_EQ(plan->agents.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    const auto& a = plan->agents[static_cast<std::size_t>(i)];
    EXPECT_EQ(a.name, "demo-" + std::to_string(i + 1));
    EXPECT_EQ(a.gossip_port, 20000 + 2 * i);
    EXPECT_EQ(a.http_port, 20000 + 2 * i + 1);
    EXPECT_EQ(a.version, i == 1 ? "2024.2" : "2024.3");
    EXPECT_EQ(a.product_key, i != 2);
    EXPECT_EQ(a.config_file, "/tmp/w/agent-" + std::to_string(i + 1) + ".toml");
  }
  EXPECT_EQ(plan->admin_token_file, "/tmp/w/admin.token");
}

TEST(DemoPlan, RejectsBadCountsAndPorts) {
  DemoOptions o;
  o.agents = 0;
  EXPECT_FALSE(DemoPlan::make(o, "/tmp/w", 1));
  o.agents = 65;
  EXPECT_FALSE(DemoPlan::make(o, "/tmp/w", 1));
  o.agents = 5;
  o.base_port = 80;
  EXPECT_FALSE(DemoPlan::make(o, "/tmp/w", 1));
  o.base_port = 65530;
  EXPECT_FALSE(DemoPlan::make(o, "/tmp/w", 1));
  o.base_port = 65526;
  EXPECT_TRUE(DemoPlan::make(o, "/tmp/w", 1));
}

TEST(DemoPlan, EveryAgentConfigLoadsWithTheRealLoader) {
  auto dir = std::filesystem::temp_directory_path() / ("rollcall-demo-plan-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  DemoOptions o;
  o.agents = 3;
  auto plan = DemoPlan::make(o, dir.string() + "/with \"quote\"", 33333);
  ASSERT_TRUE(plan);
  std::filesystem::create_directories(plan->workdir);
  { std::ofstream(plan->gossip_key_file) << gossip::crypto::Keyring::encode_key(gossip::crypto::Keyring::generate()) << "\n"; }
  { std::ofstream(plan->admin_token_file) << "0123456789abcdef\n"; }
  for (const auto& a : plan->agents) {
    std::string path = a.config_file;
    { std::ofstream(path) << plan->agent_toml(a); }
    config::Environ env;
    if (a.product_key) env["PROGET_ENCRYPTION_KEY"] = "product-key";
    auto loaded = config::load_config(std::filesystem::path(path), env, {});
    ASSERT_TRUE(loaded) << a.name << ":\n" << loaded.error().message() << "\n---\n" << plan->agent_toml(a);
    const auto& c = *loaded;
    ASSERT_EQ(c.components.size(), 2u);
    EXPECT_EQ(c.components[0].kind, "web");
    EXPECT_EQ(c.components[0].version, a.version);
    EXPECT_EQ(c.components[1].kind, "service");
    EXPECT_EQ(c.components[1].check, "tcp://127.0.0.1:33333");
  }
  std::filesystem::remove_all(dir);
}

TEST(DemoPlan, ConfigSeedsEveryOtherAgentOnLoopback) {
  DemoOptions o;
  o.agents = 3;
  o.base_port = 30000;
  auto plan = DemoPlan::make(o, "/w", 1);
  ASSERT_TRUE(plan);
  std::string t = plan->agent_toml(plan->agents[1]);
  EXPECT_NE(t.find("seeds = [\"127.0.0.1:30000\", \"127.0.0.1:30004\"]"), std::string::npos) << t;
  EXPECT_NE(t.find("bind = \"127.0.0.1:30002\""), std::string::npos);
  EXPECT_NE(t.find("bind = \"127.0.0.1:30003\""), std::string::npos);
  EXPECT_NE(t.find("cluster = \"demo\""), std::string::npos);
  EXPECT_NE(t.find("profile = \"local\""), std::string::npos);
}

TEST(DemoPlan, ChildEnvironmentDropsRollcallVariablesAndSetsTheProductKey) {
  DemoOptions o;
  o.agents = 3;
  auto plan = DemoPlan::make(o, "/w", 1);
  ASSERT_TRUE(plan);
  const char* inherited[] = {"PATH=/usr/bin", "ROLLCALL_BIN=/x/rollcall", "ROLLCALL_ADMIN_TOKEN=t",
                             "PROGET_ENCRYPTION_KEY=outer", "HOME=/root", nullptr};
  auto env0 = plan->child_env(inherited, plan->agents[0], "K0");
  EXPECT_EQ(env0, (std::vector<std::string>{"PATH=/usr/bin", "HOME=/root", "PROGET_ENCRYPTION_KEY=K0"}));
  auto env2 = plan->child_env(inherited, plan->agents[2], "K0");
  EXPECT_EQ(env2, (std::vector<std::string>{"PATH=/usr/bin", "HOME=/root"}));
}

TEST(DemoPlan, ManifestListsAgentsWithPidsAndUrls) {
  DemoOptions o;
  o.agents = 2;
  o.base_port = 18000;
  auto plan = DemoPlan::make(o, "/w", 1);
  ASSERT_TRUE(plan);
  auto j = nlohmann::json::parse(plan->manifest_json({111, 222}, true));
  ASSERT_EQ(j["agents"].size(), 2u);
  EXPECT_EQ(j["agents"][1]["name"], "demo-2");
  EXPECT_EQ(j["agents"][1]["pid"], 222);
  EXPECT_EQ(j["agents"][1]["http"], "http://127.0.0.1:18003");
  EXPECT_EQ(j["agents"][1]["gossip"], "127.0.0.1:18002");
  EXPECT_EQ(j["agents"][0]["data_dir"], "/w/agent-1/data");
  EXPECT_EQ(j["admin_token_file"], "/w/admin.token");
  EXPECT_EQ(j["ready"], true);
}

}  // namespace demo_plan_test
}  // namespace rollcall::daemon::cli
