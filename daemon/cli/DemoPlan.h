// Everything `rollcall demo` writes before it starts agents: the per-agent plan (DemoAgent), each
// agent's TOML config, its environment, and the demo.json manifest tests read. Pure functions of
// the options and the work directory, so they are unit-tested; Demo.cpp does the I/O.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/cli/DemoAgent.h"
#include "daemon/cli/DemoOptions.h"
#include "daemon/http/Result.h"

namespace rollcall::daemon::cli {

struct DemoPlan {
  static constexpr const char* kCluster = "demo";
  static constexpr const char* kCurrentVersion = "2024.3";
  static constexpr const char* kOlderVersion = "2024.2";
  static constexpr const char* kProductKeyEnv = "PROGET_ENCRYPTION_KEY";

  std::string workdir;
  std::string gossip_key_file;   // <workdir>/gossip.key (0600)
  std::string admin_token_file;  // <workdir>/admin.token (0600)
  std::uint16_t check_port = 0;  // the demo's own TCP listener, target of the components' checks
  std::vector<DemoAgent> agents;

  // Checks the options (agents 1..64, ports within 1024..65535). Error: a usage message.
  static http::Result<DemoPlan, std::string> make(const DemoOptions& options, const std::string& workdir,
                                                  std::uint16_t check_port);

  // The agent's config (configs/agent.example.toml format): cluster "demo", profile "local",
  // loopback binds, every other agent as a seed, a web and a service component checked by TCP.
  std::string agent_toml(const DemoAgent& agent) const;

  // The child's environment: `inherited` minus every ROLLCALL_* variable and the product key
  // variable, plus PROGET_ENCRYPTION_KEY=<product_key> when the agent has one.
  std::vector<std::string> child_env(const char* const* inherited, const DemoAgent& agent,
                                     const std::string& product_key) const;

  // <workdir>/demo.json: {"agents":[{"name","pid","http","gossip","data_dir","config","log"}],
  // "admin_token_file","gossip_key_file","ready"}.
  std::string manifest_json(const std::vector<pid_t>& pids, bool ready) const;
};

}  // namespace rollcall::daemon::cli
