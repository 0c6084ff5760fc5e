// Parsing of the PUT /v1/config body: a partial update of the cluster config. Unknown fields,
// wrong types and out-of-range values give an error naming the field; never throws. Called by the
// agent's HTTP handler before it writes the new config item. Daemon-side only.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "daemon/persist/Result.h"
#include "membership/ClusterConfig.h"

namespace rollcall::daemon::api {

// `current` overlaid with the fields present in `body` (any of load_balancing,
// automatic_failover, heartbeat_interval_ms, stale_timeout_ms, web_stale_window_ms; "lamport" and
// "writer", as returned by GET, are accepted and ignored), then validated as a whole.
persist::Result<membership::ClusterConfig> config_from_json(const nlohmann::json& body,
                                                            const membership::ClusterConfig& current);

}  // namespace rollcall::daemon::api
