#include "daemon/cli/DemoPlan.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

namespace rollcall::daemon::cli {
namespace {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string loopback(std::uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

}  // namespace

http::Result<DemoPlan, std::string> DemoPlan::make(const DemoOptions& options, const std::string& workdir,
                                                   std::uint16_t check_port) {
  if (options.agents < 1 || options.agents > 64) return std::string("--agents must be between 1 and 64");
  long last = static_cast<long>(options.base_port) + 2L * options.agents - 1;
  if (options.base_port < 1024 || last > 65535)
    return "--base-port must leave room for " + std::to_string(2 * options.agents) + " ports in 1024..65535";
  DemoPlan plan;
  plan.workdir = workdir;
  plan.gossip_key_file = workdir + "/gossip.key";
  plan.admin_token_file = workdir + "/admin.token";
  plan.check_port = check_port;
  for (int i = 0; i < options.agents; ++i) {
    DemoAgent a;
    a.index = i;
    a.name = "demo-" + std::to_string(i + 1);
    a.gossip_port = static_cast<std::uint16_t>(options.base_port + 2 * i);
    a.http_port = static_cast<std::uint16_t>(options.base_port + 2 * i + 1);
    std::string dir = workdir + "/agent-" + std::to_string(i + 1);
    a.data_dir = dir + "/data";
    a.config_file = workdir + "/agent-" + std::to_string(i + 1) + ".toml";
    a.log_file = workdir + "/agent-" + std::to_string(i + 1) + ".log";
    a.version = i == 1 ? kOlderVersion : kCurrentVersion;
    a.product_key = i != 2;
    plan.agents.push_back(std::move(a));
  }
  return plan;
}

std::string DemoPlan::agent_toml(const DemoAgent& a) const {
  std::string seeds;
  for (const auto& other : agents) {
    if (other.index == a.index) continue;
    if (!seeds.empty()) seeds += ", ";
    seeds += toml_string(loopback(other.gossip_port));
  }
  std::string check = toml_string("tcp://" + loopback(check_port));
  std::string t;
  t += "# Written by `rollcall demo` for agent " + a.name + ".\n";
  t += "[agent]\n";
  t += "name = " + toml_string(a.name) + "\n";
  t += "cluster = " + toml_string(kCluster) + "\n";
  t += "data_dir = " + toml_string(a.data_dir) + "\n";
  t += "log_level = \"info\"\n\n";
  t += "[gossip]\n";
  t += "bind = " + toml_string(loopback(a.gossip_port)) + "\n";
  t += "advertise = " + toml_string(loopback(a.gossip_port)) + "\n";
  t += "seeds = [" + seeds + "]\n";
  t += "profile = \"local\"\n";
  t += "key_file = " + toml_string(gossip_key_file) + "\n\n";
  t += "[http]\n";
  t += "bind = " + toml_string(loopback(a.http_port)) + "\n";
  t += "admin_token_file = " + toml_string(admin_token_file) + "\n\n";
  t += "[server]\n";
  t += "addresses = [\"127.0.0.1\"]\n";
  t += "host_id_file = \"\"  # all demo agents share one host: no SHARED_HOST warning\n\n";
  t += "[[product.keys]]\n";
  t += "name = \"encryption\"\n";
  t += "env = " + toml_string(kProductKeyEnv) + "\n\n";
  t += "[[component]]\n";
  t += "kind = \"web\"\n";
  t += "version = " + toml_string(a.version) + "\n";
  t += "endpoint = " + toml_string("http://" + loopback(a.http_port) + "/") + "\n";
  t += "check = " + check + "\n";
  t += "check_interval = \"5s\"\n";
  t += "check_timeout = \"2s\"\n\n";
  t += "[[component]]\n";
  t += "kind = \"service\"\n";
  t += "version = " + toml_string(a.version) + "\n";
  t += "endpoint = " + toml_string("tcp://" + loopback(check_port)) + "\n";
  t += "check = " + check + "\n";
  t += "check_interval = \"5s\"\n";
  t += "check_timeout = \"2s\"\n";
  return t;
}

std::vector<std::string> DemoPlan::child_env(const char* const* inherited, const DemoAgent& agent,
                                             const std::string& product_key) const {
  std::vector<std::string> env;
  std::string key_prefix = std::string(kProductKeyEnv) + "=";
  for (const char* const* e = inherited; e && *e; ++e) {
    std::string_view v(*e);
    if (v.starts_with("ROLLCALL_") || v.starts_with(key_prefix)) continue;
    env.emplace_back(v);
  }
  if (agent.product_key) env.push_back(key_prefix + product_key);
  return env;
}

std::string DemoPlan::manifest_json(const std::vector<pid_t>& pids, bool ready) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : agents) {
    list.push_back({{"name", a.name},
                    {"pid", static_cast<std::size_t>(a.index) < pids.size() ? pids[a.index] : 0},
                    {"http", "http://" + loopback(a.http_port)},
                    {"gossip", loopback(a.gossip_port)},
                    {"data_dir", a.data_dir},
                    {"config", a.config_file},
                    {"log", a.log_file},
                    {"version", a.version},
                    {"product_key", a.product_key}});
  }
  nlohmann::json j{{"agents", list},
                   {"admin_token_file", admin_token_file},
                   {"gossip_key_file", gossip_key_file},
                   {"ready", ready}};
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace rollcall::daemon::cli
