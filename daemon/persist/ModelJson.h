// JSON forms of the model's replicated values (state entries, cluster items, config, removals,
// addresses), shared by the data directory files and the HTTP API. Encoders cannot fail; decoders
// never throw and return an error naming the offending field. Daemon-side only (nlohmann::json).
#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "daemon/persist/Result.h"
#include "membership/Address.h"
#include "membership/ClusterConfig.h"
#include "membership/ClusterItem.h"
#include "membership/Removal.h"
#include "membership/StateEntry.h"

namespace rollcall::daemon::persist {

class ModelJson {
 public:
  // {"key": "...", "version": N, "type": "server|component|heartbeat|verification|key|keyring|deleted",
  //  "value": {...} or null}
  static nlohmann::json to_json(const membership::StateEntry& e);
  static Result<membership::StateEntry> state_entry(const nlohmann::json& j, const std::string& where);

  // {"key": "...", "lamport": N, "writer": "<32 hex>", "type": "config|removal", "value": {...}}
  static nlohmann::json to_json(const membership::ClusterItem& item);
  static Result<membership::ClusterItem> cluster_item(const nlohmann::json& j, const std::string& where);

  // {"load_balancing", "automatic_failover", "heartbeat_interval_ms", "stale_timeout_ms", "web_stale_window_ms"}
  static nlohmann::json to_json(const membership::ClusterConfig& c);
  // Overlays the fields present in `j` onto `base`; unknown fields (other than `also_allowed`,
  // which are ignored) and wrong types are errors naming the field. Does NOT check ranges (see
  // ClusterConfig::validate).
  static Result<membership::ClusterConfig> config(const nlohmann::json& j, const membership::ClusterConfig& base,
                                                  const std::string& where,
                                                  std::initializer_list<std::string_view> also_allowed = {});

  // {"server": "<32 hex>", "component": "web" or "", "owner_version", "generation", "removed_age_ms"}
  static nlohmann::json to_json(const membership::Removal& r);
  static Result<membership::Removal> removal(const nlohmann::json& j, const std::string& where);

  // "1.2.3.4:7950" / "[::1]:7950"
  static nlohmann::json to_json(const membership::Address& a);
  static Result<membership::Address> address(const nlohmann::json& j, const std::string& where);
};

}  // namespace rollcall::daemon::persist
