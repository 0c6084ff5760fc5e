// Tolerant reads of fields from the agent's JSON answers: a missing field or one of another type
// gives the fallback instead of throwing, so a newer or older agent never crashes the client.
// Used by the formatters and commands of the CLI only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace rollcall::daemon::cli {

const nlohmann::json& field(const nlohmann::json& object, const char* key);  // null json if absent
std::string get_str(const nlohmann::json& object, const char* key, const std::string& fallback = "");
std::optional<std::int64_t> get_int(const nlohmann::json& object, const char* key);  // numbers, rounded
std::optional<double> get_num(const nlohmann::json& object, const char* key);
std::optional<bool> get_bool(const nlohmann::json& object, const char* key);
// A scalar as text ("true", "42", "x"); objects/arrays as compact JSON; null/absent -> fallback.
std::string get_text(const nlohmann::json& object, const char* key, const std::string& fallback = "");

}  // namespace rollcall::daemon::cli
