// Human renderings of the agent's JSON answers for the `rollcall` client: the cluster table, the
// SWIM members, the cluster config and the keyring. Tolerant of missing fields (an older or newer
// agent still prints). Pure functions of (json, Style); Commands.cpp prints what they return.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "daemon/cli/Color.h"
#include "daemon/cli/Style.h"

namespace rollcall::daemon::cli {

// GET /v1/cluster: a summary line, the config, an aligned table of servers with one column per
// component kind (status symbol + version), version/key sync columns, then every warning with its
// remedy. Symbols: ✔ ok, ⚠ warning or stale, ✖ error, ? unknown.
std::string format_cluster(const nlohmann::json& table, const Style& style);

// GET /v1/members: one row per member sorted by name (name, address, state, incarnation, last
// heard, round trip, short id).
std::string format_members(const nlohmann::json& members, const Style& style);

// GET/PUT /v1/config: one "field  value" line per field; durations also shown humanized.
std::string format_config(const nlohmann::json& config);

// One field of the config as a script wants it: the bare value ("true", "30000", "ab12cd34").
std::string format_config_value(const nlohmann::json& config, const std::string& field);

// GET /v1/keys: the local primary and installed key ids, then each member's keyring.
std::string format_keys(const nlohmann::json& keys, const Style& style);

// ok ✔, warning ⚠, stale ⚠, error ✖, anything else ?; and the colour that goes with it.
std::string_view status_symbol(std::string_view status);
Color status_color(std::string_view status);

// alive green, suspect yellow, dead red, left dim.
Color state_color(std::string_view state);

}  // namespace rollcall::daemon::cli
