#include "membership/ClusterConfig.h"

namespace rollcall::membership {

std::optional<std::string> ClusterConfig::validate() const {
  if (heartbeat_interval_ms < 1'000 || heartbeat_interval_ms > 3'600'000)
    return "heartbeat_interval_ms must be between 1000 and 3600000 (1 s .. 1 h)";
  if (stale_timeout_ms < 5'000 || stale_timeout_ms > 86'400'000)
    return "stale_timeout_ms must be between 5000 and 86400000 (5 s .. 24 h)";
  if (stale_timeout_ms < 2 * heartbeat_interval_ms)
    return "stale_timeout_ms must be at least twice heartbeat_interval_ms";
  if (web_stale_window_ms < 60'000 || web_stale_window_ms > 2'592'000'000LL)
    return "web_stale_window_ms must be between 60000 and 2592000000 (1 min .. 30 days)";
  return std::nullopt;
}

}  // namespace rollcall::membership
