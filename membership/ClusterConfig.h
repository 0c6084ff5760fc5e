// Cluster-wide settings shown and edited on the Cluster Configuration pane. Replicated as a
// last-writer-wins register (see ClusterItem.h). Every field: unit, default, valid range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rollcall::membership {

struct ClusterConfig {
  bool load_balancing = true;      // informational flag for the product; default on
  bool automatic_failover = true;  // informational flag for the product; default on
  // How often products are expected to heartbeat their components. Unit ms, default 30,000,
  // range 1,000 .. 3,600,000.
  std::int64_t heartbeat_interval_ms = 30'000;
  // Service components are stale when no heartbeat advanced for this long. Unit ms, default
  // 300,000 (5 min), range 5,000 .. 86,400,000 and >= 2 x heartbeat_interval_ms.
  std::int64_t stale_timeout_ms = 300'000;
  // Web components are stale after this window (their heartbeat only moves with web traffic).
  // Unit ms, default 86,400,000 (24 h), range 60,000 .. 2,592,000,000 (30 days).
  std::int64_t web_stale_window_ms = 86'400'000;

  // nullopt if valid, else a message naming the field and its valid range.
  std::optional<std::string> validate() const;

  friend bool operator==(const ClusterConfig&, const ClusterConfig&) = default;
};

}  // namespace rollcall::membership
