// The [agent] section of the agent configuration: identity, data directory and logging.
// Plain data filled by load_config(); see configs/agent.example.toml for units, defaults, ranges.
#pragma once

#include <filesystem>
#include <string>

namespace rollcall::daemon::config {

struct AgentSettings {
  std::string name;                                // default: the host name; 1..253 printable chars
  std::string cluster = "rollcall";                // [A-Za-z0-9._-]{1,64}; part of the crypto AAD
  std::filesystem::path data_dir = "/var/lib/rollcall";
  std::string log_level = "info";                  // trace|debug|info|warn|error
  std::string log_format = "text";                 // text|json
  bool allow_reset = false;                        // move a corrupt data file aside and start fresh
};

}  // namespace rollcall::daemon::config
