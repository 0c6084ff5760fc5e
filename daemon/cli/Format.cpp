// format_members, format_config, format_keys and the symbols (Format.h).
#include "daemon/cli/Format.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <vector>

#include "daemon/cli/Durations.h"
#include "daemon/cli/JsonGet.h"
#include "daemon/cli/TextTable.h"

namespace rollcall::daemon::cli {
namespace {

using nlohmann::json;

std::string join_ids(const json& list) {
  std::string t;
  if (list.is_array())
    for (const auto& x : list)
      if (x.is_string()) t += (t.empty() ? "" : " ") + x.get<std::string>();
  return t.empty() ? "-" : t;
}

bool is_duration_field(const std::string& name) { return name.size() > 3 && name.ends_with("_ms"); }

}  // namespace

std::string_view status_symbol(std::string_view status) {
  if (status == "ok") return "✔";
  if (status == "warning" || status == "stale") return "⚠";
  if (status == "error") return "✖";
  return "?";
}

Color status_color(std::string_view status) {
  if (status == "ok") return Color::green;
  if (status == "warning" || status == "stale") return Color::yellow;
  if (status == "error") return Color::red;
  return Color::none;
}

Color state_color(std::string_view state) {
  if (state == "alive") return Color::green;
  if (state == "suspect") return Color::yellow;
  if (state == "dead") return Color::red;
  if (state == "left") return Color::dim;
  return Color::none;
}

std::string format_members(const json& members, const Style& style) {
  std::vector<const json*> rows;
  if (members.is_array())
    for (const auto& m : members) rows.push_back(&m);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const json* a, const json* b) { return get_str(*a, "name") < get_str(*b, "name"); });
  TextTable t({"NAME", "ADDRESS", "STATE", "INCARNATION", "LAST HEARD", "RTT", "ID"});
  for (const json* m : rows) {
    std::string state = get_str(*m, "state", "?");
    std::string state_text = state + (get_bool(*m, "degraded").value_or(false) ? " (degraded)" : "");
    auto heard = get_int(*m, "last_heard_ms");
    auto rtt = get_num(*m, "rtt_ms");
    std::string rtt_text = "-";
    if (rtt) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.1fms", *rtt);
      rtt_text = buf;
    }
    t.add_row({get_str(*m, "name", "?"), get_str(*m, "address", "-"), {state_text, state_color(state)},
               get_text(*m, "incarnation", "-"), heard ? format_duration_ms(*heard) : "-", rtt_text,
               get_str(*m, "id").substr(0, 8)});
  }
  return t.render(style);
}

std::string format_config_value(const json& config, const std::string& name) {
  return get_text(config, name.c_str(), "");
}

std::string format_config(const json& config) {
  static const char* const kOrder[] = {"load_balancing", "automatic_failover", "heartbeat_interval_ms",
                                       "stale_timeout_ms", "web_stale_window_ms", "lamport", "writer"};
  std::vector<std::pair<std::string, std::string>> lines;
  auto add = [&](const std::string& name) {
    std::string value = format_config_value(config, name);
    if (is_duration_field(name))
      if (auto ms = get_int(config, name.c_str())) value += " (" + format_duration_ms(*ms) + ")";
    lines.emplace_back(name, value);
  };
  for (const char* k : kOrder)
    if (config.is_object() && config.contains(k)) add(k);
  if (config.is_object())  // fields of a newer agent, after the known ones
    for (const auto& [k, v] : config.items())
      if (std::find_if(std::begin(kOrder), std::end(kOrder), [&k = k](const char* o) { return k == o; }) == std::end(kOrder))
        add(k);
  std::size_t width = 0;
  for (const auto& [k, v] : lines) width = std::max(width, k.size());
  std::string out;
  for (const auto& [k, v] : lines) out += k + std::string(width - k.size() + 2, ' ') + v + '\n';
  return out;
}

std::string format_keys(const json& keys, const Style& style) {
  std::string out;
  out += "Primary key:    " + get_str(keys, "primary", "-") + '\n';
  out += "Installed keys: " + join_ids(field(keys, "installed")) + '\n';
  const json& members = field(keys, "members");
  if (members.is_array() && !members.empty()) {
    out += '\n';
    TextTable t({"MEMBER", "PRIMARY", "INSTALLED"});
    for (const auto& m : members)
      t.add_row({get_str(m, "name", "?"), get_str(m, "primary", "-"), join_ids(field(m, "installed"))});
    out += t.render(style);
  }
  return out;
}

}  // namespace rollcall::daemon::cli
