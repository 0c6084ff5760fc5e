// rollcall: one binary in the manner of serf and consul. `rollcall agent` runs the daemon; every
// other subcommand is a client of an agent's HTTP API (or, for `demo`, starts a local cluster).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "daemon/Agent.h"
#include "daemon/Logging.h"
#include "daemon/cli/Commands.h"
#include "daemon/cli/ExitCode.h"
#include "daemon/cli/TargetSetup.h"
#include "daemon/config/ConfigLoader.h"

namespace {

using namespace rollcall::daemon;

struct AgentFlags {
  std::string config;
  std::vector<std::string> sets;
  std::string name, bind, advertise, http_bind, data_dir, profile, log_level;
  std::vector<std::string> seeds;
  bool print_config = false, check = false, allow_reset = false;
};

std::variant<config::AgentConfig, std::string> load(const AgentFlags& f) {
  config::Overrides o;
  for (const auto& s : f.sets) {
    auto eq = s.find('=');
    if (eq == std::string::npos) return "--set expects section.key=value, got " + s;
    o.emplace_back(s.substr(0, eq), s.substr(eq + 1));
  }
  auto add = [&](const char* key, const std::string& v) {
    if (!v.empty()) o.emplace_back(key, v);
  };
  add("agent.name", f.name);
  add("gossip.bind", f.bind);
  add("gossip.advertise", f.advertise);
  add("http.bind", f.http_bind);
  add("agent.data_dir", f.data_dir);
  add("gossip.profile", f.profile);
  add("agent.log_level", f.log_level);
  if (f.allow_reset) o.emplace_back("agent.allow_reset", "true");
  if (!f.seeds.empty()) {
    std::string joined;
    for (const auto& s : f.seeds) joined += (joined.empty() ? "" : ",") + s;
    o.emplace_back("gossip.seeds", joined);
  }
  std::optional<std::filesystem::path> file;
  if (!f.config.empty()) file = f.config;
  else if (const char* env = std::getenv("ROLLCALL_CONFIG")) file = env;
  auto r = config::load_config(file, config::environ_from_process(), o);
  if (!r) return r.error().message();
  return std::move(r.value());
}

int run_agent(const AgentFlags& flags) {
  auto loaded = load(flags);
  if (auto* err = std::get_if<std::string>(&loaded)) {
    std::cerr << "rollcall agent: configuration error:\n" << *err << "\n";
    return 2;
  }
  auto& cfg = std::get<config::AgentConfig>(loaded);
  if (flags.print_config) {
    std::cout << config::describe(cfg);
    return 0;
  }
  if (flags.check) {
    std::cout << "configuration ok\n";
    return 0;
  }
  setup_logging(cfg.agent.log_level, cfg.agent.log_format);
  for (const auto& w : cfg.warnings) spdlog::warn("config: {}", w);
  Agent agent(std::move(cfg));
  agent.set_reloader([flags]() { return load(flags); });
  if (auto err = agent.start()) {
    spdlog::error("cannot start: {}", *err);
    return 1;
  }
  return agent.run();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rollcall: gossip-based cluster membership for load-balanced products"};
  app.require_subcommand(1);
  std::string http_addr, token_file;
  bool json = false, no_color = false;
  auto client_flags = [&](CLI::App* sub) {
    sub->add_option("--http-addr", http_addr, "agent HTTP endpoint (host:port, default 127.0.0.1:7951; env ROLLCALL_HTTP_ADDR)");
    sub->add_option("--token-file", token_file, "file holding the admin token (default: env ROLLCALL_ADMIN_TOKEN)");
    sub->add_flag("--json", json, "print JSON (for scripts)");
    sub->add_flag("--no-color", no_color, "never colour the output");
  };

  AgentFlags af;
  auto* agent = app.add_subcommand("agent", "run the agent (the daemon)");
  agent->add_option("-c,--config", af.config, "TOML configuration file (env ROLLCALL_CONFIG)");
  agent->add_option("--set", af.sets, "override a key: section.key=value (repeatable)");
  agent->add_option("--name", af.name, "server name (default: host name)");
  agent->add_option("--bind", af.bind, "gossip bind address ip:port (default 0.0.0.0:7950)");
  agent->add_option("--advertise", af.advertise, "gossip address advertised to peers ip:port");
  agent->add_option("--http-bind", af.http_bind, "HTTP bind address ip:port (default 127.0.0.1:7951)");
  agent->add_option("--seed", af.seeds, "seed host:port or DNS name (repeatable)");
  agent->add_option("--data-dir", af.data_dir, "data directory (default /var/lib/rollcall)");
  agent->add_option("--profile", af.profile, "timing profile: lan, local or wan");
  agent->add_option("--log-level", af.log_level, "trace, debug, info, warn, error");
  agent->add_flag("--allow-reset", af.allow_reset, "move corrupt data files aside and start fresh instead of refusing");
  agent->add_flag("--print-config", af.print_config, "print the effective configuration (secrets redacted) and exit");
  agent->add_flag("--check", af.check, "validate the configuration and exit");

  auto* members = app.add_subcommand("members", "list the members (SWIM view)");
  client_flags(members);
  auto* cluster = app.add_subcommand("cluster", "show the cluster table");
  client_flags(cluster);
  auto* config = app.add_subcommand("config", "get or set the cluster configuration");
  config->require_subcommand(1);
  std::string key, value;
  auto* config_get = config->add_subcommand("get", "show the cluster configuration (or one key)");
  config_get->add_option("key", key);
  client_flags(config_get);
  auto* config_set = config->add_subcommand("set", "change one key cluster-wide (admin token)");
  config_set->add_option("key", key)->required();
  config_set->add_option("value", value)->required();
  client_flags(config_set);
  std::string server, component;
  auto* remove = app.add_subcommand("remove", "remove a component of a server, or a dead server (admin token)");
  remove->add_option("server", server)->required();
  remove->add_option("component", component);
  client_flags(remove);
  auto* keys = app.add_subcommand("keys", "gossip keyring: list, install, use, remove");
  keys->require_subcommand(1);
  std::string key_arg;
  auto* keys_list = keys->add_subcommand("list", "installed keys, here and on every member");
  client_flags(keys_list);
  auto* keys_install = keys->add_subcommand("install", "install a key (base64) on this agent");
  keys_install->add_option("key", key_arg)->required();
  client_flags(keys_install);
  auto* keys_use = keys->add_subcommand("use", "make a key primary (refused until every live member has it)");
  keys_use->add_option("id", key_arg)->required();
  client_flags(keys_use);
  auto* keys_remove = keys->add_subcommand("remove", "remove a key (never the primary)");
  keys_remove->add_option("id", key_arg)->required();
  client_flags(keys_remove);
  auto* leave = app.add_subcommand("leave", "make the local agent leave the cluster and exit");
  client_flags(leave);
  std::string kind;
  auto* heartbeat = app.add_subcommand("heartbeat", "report a heartbeat of a local component");
  heartbeat->add_option("component", kind)->required();
  client_flags(heartbeat);
  auto* health = app.add_subcommand("health", "exit 0 if the agent answers /health");
  client_flags(health);
  auto* keygen = app.add_subcommand("keygen", "print a new gossip key");
  auto* version = app.add_subcommand("version", "print the version");
  cli::DemoOptions demo_opts;
  auto* demo = app.add_subcommand("demo", "run a local demo cluster of real agents on 127.0.0.1");
  demo->add_option("--agents", demo_opts.agents, "number of agents (1..64, default 5)")->check(CLI::Range(1, 64));
  demo->add_option("--base-port", demo_opts.base_port, "first port (default 17950)")->check(CLI::Range(1024, 65000));
  demo->add_option("--workdir", demo_opts.workdir, "keep files here (default: a temporary directory)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cli::ExitCode::usage;
  }

  if (agent->parsed()) return run_agent(af);
  if (keygen->parsed()) return cli::keygen();
  if (version->parsed()) return cli::version();
  if (demo->parsed()) return cli::demo(demo_opts);

  cli::Target target;
  if (http_addr.empty()) {
    if (const char* env = std::getenv("ROLLCALL_HTTP_ADDR")) http_addr = env;
  }
  if (!http_addr.empty()) {
    if (auto err = cli::parse_http_addr(http_addr, target)) {
      std::cerr << "rollcall: " << *err << "\n";
      return cli::ExitCode::usage;
    }
  }
  if (auto err = cli::load_token(token_file, std::getenv("ROLLCALL_ADMIN_TOKEN"), target)) {
    std::cerr << "rollcall: " << *err << "\n";
    return cli::ExitCode::usage;
  }
  target.json = json;
  target.color_auto = !no_color;

  if (members->parsed()) return cli::members(target);
  if (cluster->parsed()) return cli::cluster(target);
  if (config_get->parsed()) return cli::config_get(target, key);
  if (config_set->parsed()) return cli::config_set(target, key, value);
  if (remove->parsed()) return cli::remove(target, server, component);
  if (keys_list->parsed()) return cli::keys_list(target);
  if (keys_install->parsed()) return cli::keys_install(target, key_arg);
  if (keys_use->parsed()) return cli::keys_use(target, key_arg);
  if (keys_remove->parsed()) return cli::keys_remove(target, key_arg);
  if (leave->parsed()) return cli::leave(target);
  if (heartbeat->parsed()) return cli::heartbeat(target, kind);
  if (health->parsed()) return cli::health(target);
  return cli::ExitCode::usage;
}
