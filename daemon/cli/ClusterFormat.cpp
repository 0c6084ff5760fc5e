// format_cluster (Format.h): the cluster table as a person reads it.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "daemon/cli/Durations.h"
#include "daemon/cli/Format.h"
#include "daemon/cli/JsonGet.h"
#include "daemon/cli/TextTable.h"

namespace rollcall::daemon::cli {
namespace {

using nlohmann::json;

std::string on_off(const json& object, const char* key) {
  auto b = get_bool(object, key);
  return b ? (*b ? "on" : "off") : "?";
}

std::string duration_field(const json& object, const char* key) {
  auto ms = get_int(object, key);
  return ms ? format_duration_ms(*ms) : "?";
}

std::vector<std::string> component_kinds(const json& servers) {
  std::set<std::string> kinds;
  if (servers.is_array())
    for (const auto& s : servers)
      if (const auto& cs = field(s, "components"); cs.is_array())
        for (const auto& c : cs) kinds.insert(get_str(c, "kind", "?"));
  // web and service first (the product's two components), then the rest by name.
  std::vector<std::string> ordered;
  for (const char* k : {"web", "service"})
    if (kinds.erase(k)) ordered.emplace_back(k);
  ordered.insert(ordered.end(), kinds.begin(), kinds.end());
  return ordered;
}

TextTable::Cell component_cell(const json& c) {
  std::string status = get_str(c, "status", "unknown");
  std::string text = std::string(status_symbol(status)) + " " + get_str(c, "version", "?");
  if (get_bool(c, "stale").value_or(false) || status == "stale") text += " stale";
  if (get_str(field(c, "verification"), "result") == "failed") text += " check failed";
  return {text, status_color(status)};
}

std::string os_text(const json& s) {
  const json& os = field(s, "os");
  std::string t = get_str(os, "name");
  std::string v = get_str(os, "version");
  if (!v.empty()) t += (t.empty() ? "" : " ") + v;
  return t.empty() ? "-" : t;
}

std::string addresses_text(const json& s) {
  std::string t;
  if (const auto& a = field(s, "addresses"); a.is_array())
    for (const auto& x : a)
      if (x.is_string()) t += (t.empty() ? "" : ",") + x.get<std::string>();
  if (t.empty()) t = get_str(s, "gossip_address", "-");
  return t;
}

TextTable::Cell sync_cell(const json& s, const char* key, std::string_view bad, bool applicable) {
  if (!applicable) return {"-", Color::dim};
  auto b = get_bool(s, key);
  if (!b) return {"?", Color::none};
  return *b ? TextTable::Cell("✔", Color::green) : TextTable::Cell(std::string(bad), bad == "✖" ? Color::red : Color::yellow);
}

void append_warning(std::string& out, const json& w, const std::string& where, const Style& style) {
  std::string severity = get_str(w, "severity", "warning");
  std::string_view symbol = severity == "error" ? "✖" : severity == "info" ? "i" : "⚠";
  out += "  " + paint(symbol, severity == "error" ? Color::red : severity == "info" ? Color::none : Color::yellow, style);
  out += " ";
  if (!where.empty()) out += where + " ";
  out += paint(get_str(w, "code", "WARNING"), Color::bold, style);
  std::string message = get_str(w, "message");
  if (!message.empty()) out += ": " + message;
  out += '\n';
  std::string remedy = get_str(w, "remedy");
  if (!remedy.empty()) out += "      fix: " + remedy + '\n';
}

}  // namespace

std::string format_cluster(const json& table, const Style& style) {
  const json& summary = field(table, "cluster");
  const json& servers = field(table, "servers");
  std::string out;

  std::string status = get_str(summary, "status", "unknown");
  out += "Cluster " + paint(get_str(summary, "name", "?"), Color::bold, style) + ": ";
  out += get_text(summary, "servers", "?") + " servers, " + get_text(summary, "servers_alive", "?") + " alive, ";
  out += paint(std::string(status_symbol(status)) + " " + status, status_color(status), style) + '\n';
  out += "Digest " + get_str(summary, "digest", "?") + ", served by " +
         get_str(field(table, "served_by"), "name", "?") + '\n';
  const json& cfg = field(summary, "config");
  out += "Config: load balancing " + on_off(cfg, "load_balancing") + ", automatic failover " +
         on_off(cfg, "automatic_failover") + ", heartbeat every " + duration_field(cfg, "heartbeat_interval_ms") +
         ", stale after " + duration_field(cfg, "stale_timeout_ms") + ", web stale after " +
         duration_field(cfg, "web_stale_window_ms") + '\n';
  out += '\n';

  std::vector<std::string> kinds = component_kinds(servers);
  std::vector<std::string> headers{"", "SERVER", "STATE", "LAST HEARD", "ADDRESS", "OS"};
  for (const auto& k : kinds) {
    std::string h = k;
    std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    headers.push_back(h);
  }
  headers.emplace_back("VERSION");
  headers.emplace_back("KEY");
  TextTable t(std::move(headers));
  if (servers.is_array()) {
    for (const auto& s : servers) {
      const json& hb = field(s, "heartbeat");
      std::string st = get_str(s, "status", "unknown");
      std::string state = get_str(hb, "state", "?");
      std::string state_text = state + (get_bool(hb, "degraded").value_or(false) ? " (degraded)" : "");
      auto heard = get_int(hb, "last_heard_ms");
      std::vector<TextTable::Cell> row{
          {std::string(status_symbol(st)), status_color(st)},
          {get_str(s, "name", "?"), Color::none},
          {state_text, state_color(state)},
          {heard ? format_duration_ms(*heard) : "-", Color::none},
          {addresses_text(s), Color::none},
          {os_text(s), Color::none},
      };
      for (const auto& k : kinds) {
        TextTable::Cell cell{"-", Color::dim};
        if (const auto& cs = field(s, "components"); cs.is_array())
          for (const auto& c : cs)
            if (get_str(c, "kind") == k) cell = component_cell(c);
        row.push_back(std::move(cell));
      }
      const json& cs = field(s, "components");
      const json& keys = field(s, "keys");
      row.push_back(sync_cell(s, "version_in_sync", "⚠", cs.is_array() && !cs.empty()));
      row.push_back(sync_cell(s, "key_in_sync", "✖", keys.is_array() && !keys.empty()));
      t.add_row(std::move(row));
    }
  }
  out += t.render(style);

  std::string warnings;
  std::set<std::pair<std::string, std::string>> cluster_level;  // (code, message) shown once, here
  if (const auto& ws = field(summary, "warnings"); ws.is_array()) {
    for (const auto& w : ws) {
      append_warning(warnings, w, "", style);
      cluster_level.emplace(get_str(w, "code"), get_str(w, "message"));
    }
  }
  if (servers.is_array()) {
    for (const auto& s : servers) {
      if (const auto& ws = field(s, "warnings"); ws.is_array()) {
        for (const auto& w : ws) {
          if (cluster_level.count({get_str(w, "code"), get_str(w, "message")})) continue;
          std::string where = get_str(s, "name", "?");
          std::string component = get_str(w, "component");
          if (!component.empty()) where += " (" + component + ")";
          append_warning(warnings, w, where, style);
        }
      }
    }
  }
  out += '\n';
  out += warnings.empty() ? std::string("No warnings.\n") : "Warnings:\n" + warnings;
  return out;
}

}  // namespace rollcall::daemon::cli
