// The schema of the configuration: for each key of a section (or of a [[component]] /
// [[product.keys]] entry), how to type-check a ConfigValue and store it in the target struct.
// Internal to daemon/config (ConfigLoader.cpp walks the sources, ConfigFields.cpp defines the keys).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/config/AgentConfig.h"
#include "daemon/config/ConfigValue.h"

namespace rollcall::daemon::config {

template <class Target>
struct ConfigField {
  std::string_view section;  // "gossip" (empty for entry fields)
  std::string_view key;      // "probe_interval"
  // Stores the value or returns what is wrong with it (without key or source: the caller adds them).
  std::function<std::optional<std::string>(Target&, const ConfigValue&)> apply;
};

// Every key of the [agent], [gossip], [http], [server] and [product] sections (not product.keys).
const std::vector<ConfigField<AgentConfig>>& agent_config_fields();
// Keys of one [[component]] entry and of one [[product.keys]] entry.
const std::vector<ConfigField<ComponentConfig>>& component_fields();
const std::vector<ConfigField<ProductKeyConfig>>& product_key_fields();

// The closest known key within edit distance 2, for "did you mean" hints; "" if none.
std::string closest_key(std::string_view key, const std::vector<std::string_view>& known);

}  // namespace rollcall::daemon::config
