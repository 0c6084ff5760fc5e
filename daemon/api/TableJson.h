// JSON forms served by the HTTP API: the derived cluster table (GET /v1/cluster, SSE "cluster"
// events) and one SWIM member (GET /v1/members). The shape is a public contract, documented in
// docs/api.md and used by the web page: add fields, never rename or remove one. Daemon-side only.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "membership/ClusterTable.h"
#include "membership/Member.h"
#include "membership/TableWarning.h"
#include "membership/Time.h"

namespace rollcall::daemon::api {

// {"cluster": {...}, "served_by": {...}, "servers": [...]} (docs/api.md).
nlohmann::json to_json(const membership::ClusterTable& table);
// {"load_balancing", "automatic_failover", "heartbeat_interval_ms", "stale_timeout_ms",
//  "web_stale_window_ms", "lamport", "writer"} (writer: 8 hex digits, null while never written).
nlohmann::json config_json(const membership::ClusterTable& table);
// {"code", "severity", "message", "remedy"} plus "server" (32 hex) if `with_server` and the
// warning names one, plus "component" if it names one.
nlohmann::json to_json(const membership::TableWarning& warning, bool with_server);
// {"id", "name", "address", "incarnation", "state", "last_heard_ms", "rtt_ms", "degraded"};
// ages on this node's clock at `now`; rtt_ms null when unknown.
nlohmann::json to_json(const membership::Member& member, membership::Instant now);

// Compact JSON text for a response body. Strings published by peers may hold invalid UTF-8, on
// which plain dump() throws: this replaces such bytes with U+FFFD instead. Never throws.
std::string to_text(const nlohmann::json& j);

}  // namespace rollcall::daemon::api
