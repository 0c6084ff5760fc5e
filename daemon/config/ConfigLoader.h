// Loads the agent configuration: defaults, then the TOML file, then ROLLCALL_<SECTION>_<KEY>
// environment variables, then "section.key" overrides (command-line flags), then secrets from the
// files / variables the configuration names. Every problem is reported with its key and source;
// nothing throws. Called by the agent at start-up and on SIGHUP, and by `rollcall agent --check`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/config/AgentConfig.h"
#include "daemon/config/ConfigError.h"
#include "daemon/config/Environ.h"
#include "daemon/config/Result.h"

namespace rollcall::daemon::config {

using Overrides = std::vector<std::pair<std::string, std::string>>;  // {"gossip.mtu", "1400"}

// Environment variables starting with ROLLCALL_ that are not configuration keys but are allowed
// to be present: the default secret variables, variables of the command-line client (ROLLCALL_HTTP_ADDR,
// ROLLCALL_CONFIG) and of the scripts (ROLLCALL_BUILD_DIR). Any other unknown ROLLCALL_* is an error.
inline constexpr const char* kReservedEnv[] = {"ROLLCALL_GOSSIP_KEY", "ROLLCALL_ADMIN_TOKEN", "ROLLCALL_HTTP_ADDR",
                                              "ROLLCALL_HTTP_TOKEN", "ROLLCALL_CONFIG",    "ROLLCALL_BUILD_DIR"};

Result<AgentConfig, ConfigError> load_config(const std::optional<std::filesystem::path>& file, const Environ& env,
                                             const Overrides& overrides);

// The effective configuration as TOML-like text for `rollcall agent --print-config` and the start-up
// log; secrets are REDACTED (file paths and variable names shown, values never; gossip keys by id).
std::string describe(const AgentConfig& config);

}  // namespace rollcall::daemon::config
