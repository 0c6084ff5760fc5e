// The agent's whole effective configuration: the TOML file, then ROLLCALL_* environment variables,
// then command-line overrides, with secrets loaded from their files / variables. Produced by
// load_config() (ConfigLoader.h) at start-up and on SIGHUP; the agent reads it, nobody mutates it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config/AgentSettings.h"
#include "daemon/config/ComponentConfig.h"
#include "daemon/config/GossipSettings.h"
#include "daemon/config/HttpSettings.h"
#include "daemon/config/ProductSettings.h"
#include "daemon/config/ServerSettings.h"

namespace rollcall::daemon::config {

struct AgentConfig {
  AgentSettings agent;
  GossipSettings gossip;
  HttpSettings http;
  ServerSettings server;
  ProductSettings product;
  std::vector<ComponentConfig> components;

  std::optional<std::filesystem::path> source_file;  // the TOML file, if one was given
  // Not errors, but worth a log line at start-up (e.g. a key file readable by other users).
  std::vector<std::string> warnings;
};

}  // namespace rollcall::daemon::config
