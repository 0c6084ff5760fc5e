// A cluster-config change as a scenario writes it: the fields to change on top of the writer's
// current view of the config (LWW register). Parsed by ScenarioLoader, applied by Runner.
#pragma once

#include <cstdint>
#include <optional>

#include "membership/ClusterConfig.h"

namespace rollcall::sim {

struct ConfigPatch {
  std::optional<bool> load_balancing;
  std::optional<bool> automatic_failover;
  std::optional<std::int64_t> heartbeat_interval_ms;
  std::optional<std::int64_t> stale_timeout_ms;
  std::optional<std::int64_t> web_stale_window_ms;

  membership::ClusterConfig apply(membership::ClusterConfig c) const {
    if (load_balancing) c.load_balancing = *load_balancing;
    if (automatic_failover) c.automatic_failover = *automatic_failover;
    if (heartbeat_interval_ms) c.heartbeat_interval_ms = *heartbeat_interval_ms;
    if (stale_timeout_ms) c.stale_timeout_ms = *stale_timeout_ms;
    if (web_stale_window_ms) c.web_stale_window_ms = *web_stale_window_ms;
    return c;
  }
};

}  // namespace rollcall::sim
