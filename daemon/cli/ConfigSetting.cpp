#include "daemon/cli/ConfigSetting.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "daemon/cli/Durations.h"

namespace rollcall::daemon::cli {
namespace {

struct FieldSpec {
  std::string_view name;
  bool is_bool;
  bool writable;
};

constexpr std::array<FieldSpec, 7> kFields{{
    {"load_balancing", true, true},
    {"automatic_failover", true, true},
    {"heartbeat_interval_ms", false, true},
    {"stale_timeout_ms", false, true},
    {"web_stale_window_ms", false, true},
    {"lamport", false, false},
    {"writer", false, false},
}};

std::string normalize(std::string_view key) {
  std::string k;
  for (char c : key) k += c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return k;
}

const FieldSpec* find_field(std::string_view key) {
  std::string k = normalize(key);
  for (const auto& f : kFields) {
    if (k == f.name) return &f;
    if (!f.is_bool && f.name.ends_with("_ms") && k == f.name.substr(0, f.name.size() - 3)) return &f;
  }
  return nullptr;
}

std::string writable_list() {
  std::string s;
  for (const auto& f : kFields) {
    if (!f.writable) continue;
    if (!s.empty()) s += ", ";
    s += f.name;
  }
  return s;
}

}  // namespace

std::optional<std::string> ConfigSetting::canonical_key(std::string_view key, bool writable) {
  const FieldSpec* f = find_field(key);
  if (!f || (writable && !f->writable)) return std::nullopt;
  return std::string(f->name);
}

http::Result<ConfigSetting, std::string> ConfigSetting::parse(std::string_view key, std::string_view value) {
  const FieldSpec* f = find_field(key);
  if (!f) return "unknown config key \"" + std::string(key) + "\" (one of: " + writable_list() + ")";
  if (!f->writable) return std::string(f->name) + " is read-only (one of: " + writable_list() + ")";
  if (f->is_bool) {
    std::string v = normalize(value);
    if (v == "on" || v == "true" || v == "yes" || v == "1") return ConfigSetting{std::string(f->name), true};
    if (v == "off" || v == "false" || v == "no" || v == "0") return ConfigSetting{std::string(f->name), false};
    return std::string(f->name) + ": \"" + std::string(value) + "\" is not a boolean (on|off|true|false|yes|no|1|0)";
  }
  auto ms = parse_duration_ms(value);
  if (!ms) {
    return std::string(f->name) + ": \"" + std::string(value) +
           "\" is not a duration (milliseconds, or a number with ms|s|m|h|d such as 30s)";
  }
  return ConfigSetting{std::string(f->name), *ms};
}

std::string ConfigSetting::describe() const {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "on" : "off";
  auto ms = std::get<std::int64_t>(value);
  return format_duration_ms(ms) + " (" + std::to_string(ms) + " ms)";
}

}  // namespace rollcall::daemon::cli
