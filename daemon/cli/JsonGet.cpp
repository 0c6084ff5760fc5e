#include "daemon/cli/JsonGet.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace rollcall::daemon::cli {

const nlohmann::json& field(const nlohmann::json& object, const char* key) {
  static const nlohmann::json null_json;
  if (!object.is_object()) return null_json;
  auto it = object.find(key);
  return it == object.end() ? null_json : *it;
}

std::string get_str(const nlohmann::json& object, const char* key, const std::string& fallback) {
  const auto& v = field(object, key);
  return v.is_string() ? v.get<std::string>() : fallback;
}

std::optional<std::int64_t> get_int(const nlohmann::json& object, const char* key) {
  const auto& v = field(object, key);
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned()) {
    auto u = v.get<std::uint64_t>();
    return u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && std::fabs(d) < 9e18) return static_cast<std::int64_t>(std::llround(d));
  }
  return std::nullopt;
}

std::optional<double> get_num(const nlohmann::json& object, const char* key) {
  const auto& v = field(object, key);
  if (v.is_number()) return v.get<double>();
  return std::nullopt;
}

std::optional<bool> get_bool(const nlohmann::json& object, const char* key) {
  const auto& v = field(object, key);
  if (v.is_boolean()) return v.get<bool>();
  return std::nullopt;
}

std::string get_text(const nlohmann::json& object, const char* key, const std::string& fallback) {
  const auto& v = field(object, key);
  if (v.is_null()) return fallback;
  if (v.is_string()) return v.get<std::string>();
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rollcall::daemon::cli
