// Reads the secrets the configuration points at (gossip keyring, admin token, product keys) from
// files or environment variables into an AgentConfig. Internal to daemon/config (called by
// load_config after all sources are applied). Problems name the key and the file or variable,
// never the secret's content.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "daemon/config/AgentConfig.h"
#include "daemon/config/Environ.h"

namespace rollcall::daemon::config {

// Relative paths are resolved against `base_dir` (the config file's directory; empty = as given).
void load_secrets(AgentConfig& config, const Environ& env, const std::filesystem::path& base_dir,
                  std::vector<std::string>& problems);

}  // namespace rollcall::daemon::config
