#include "daemon/api/TableJson.h"

#include <chrono>
#include <string>

#include "daemon/persist/ModelJson.h"

namespace rollcall::daemon::api {

using nlohmann::json;
namespace m = rollcall::membership;

namespace {

constexpr std::size_t kShortHex = 8;  // fingerprints and host ids are shown truncated

std::string shorten(const std::string& s) { return s.substr(0, std::min(s.size(), kShortHex)); }

template <class T>
json optional_json(const std::optional<T>& v) {
  return v.has_value() ? json(*v) : json(nullptr);
}

std::string_view verification_name(m::Verification::Result r) {
  switch (r) {
    case m::Verification::Result::ok: return "ok";
    case m::Verification::Result::failed: return "failed";
    case m::Verification::Result::unknown: return "unknown";
  }
  return "unknown";
}

json component_json(const m::ComponentRow& c) {
  return json{{"kind", c.kind},
              {"version", c.version},
              {"endpoint", c.endpoint},
              {"status", m::ComponentRow::to_string(c.status)},
              {"verification",
               {{"result", verification_name(c.verification)},
                {"detail", c.verification_detail},
                {"checked_age_ms", optional_json(c.verification_age_ms)}}},
              {"heartbeat_age_ms", optional_json(c.heartbeat_age_ms)},
              {"stale", c.stale},
              {"version_in_sync", c.version_in_sync},
              {"prevailing_version", c.prevailing_version}};
}

json key_json(const m::KeyRow& k) {
  return json{{"name", k.name},
              {"fingerprint", k.fingerprint.empty() ? json(nullptr) : json(shorten(k.fingerprint))},
              {"in_sync", k.in_sync}};
}

json server_json(const m::ServerRow& s) {
  json components = json::array();
  for (const auto& c : s.components) components.push_back(component_json(c));
  json keys = json::array();
  for (const auto& k : s.keys) keys.push_back(key_json(k));
  json warnings = json::array();
  for (const auto& w : s.warnings) warnings.push_back(to_json(w, false));
  json labels = json::object();
  for (const auto& [k, v] : s.labels) labels[k] = v;
  return json{{"id", s.id.hex()},
              {"name", s.name},
              {"os", {{"name", s.os_name}, {"version", s.os_version}}},
              {"addresses", s.addresses},
              {"gossip_address", s.gossip_address.valid() ? json(s.gossip_address.to_string()) : json(nullptr)},
              {"agent_version", s.agent_version},
              {"host_id", shorten(s.host_id)},
              {"labels", std::move(labels)},
              {"heartbeat",
               {{"state", m::to_string(s.state)},
                {"last_heard_ms", optional_json(s.last_heard_ms)},
                {"incarnation", s.incarnation.to_string()},
                {"degraded", s.degraded},
                {"rtt_ms", optional_json(s.rtt_ms)}}},
              {"status", m::to_string(s.status)},
              {"version_in_sync", s.version_in_sync},
              {"key_in_sync", s.key_in_sync},
              {"components", std::move(components)},
              {"keys", std::move(keys)},
              {"warnings", std::move(warnings)}};
}

}  // namespace

json to_json(const m::TableWarning& w, bool with_server) {
  json j{{"code", w.code},
         {"severity", m::TableWarning::to_string(w.severity)},
         {"message", w.message},
         {"remedy", w.remedy}};
  if (with_server && w.server.has_value()) j["server"] = w.server->hex();
  if (!w.component.empty()) j["component"] = w.component;
  return j;
}

json config_json(const m::ClusterTable& t) {
  json j = persist::ModelJson::to_json(t.config);
  j["lamport"] = t.config_lamport;
  j["writer"] = t.config_writer.has_value() ? json(t.config_writer->short_hex()) : json(nullptr);
  return j;
}

json to_json(const m::ClusterTable& t) {
  json warnings = json::array();
  for (const auto& w : t.warnings) warnings.push_back(to_json(w, true));
  json servers = json::array();
  for (const auto& s : t.servers) servers.push_back(server_json(s));
  return json{{"cluster",
               {{"name", t.name},
                {"servers", t.server_count},
                {"servers_alive", t.servers_alive},
                {"status", m::to_string(t.status)},
                {"digest", t.digest},
                {"config", config_json(t)},
                {"warnings", std::move(warnings)}}},
              {"served_by", {{"id", t.served_by.hex()}, {"name", t.served_by_name}}},
              {"servers", std::move(servers)}};
}

std::string to_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json to_json(const m::Member& member, m::Instant now) {
  const auto heard = std::chrono::duration_cast<std::chrono::milliseconds>(now - member.last_heard).count();
  return json{{"id", member.id.hex()},
              {"name", member.name},
              {"address", member.address.valid() ? json(member.address.to_string()) : json(nullptr)},
              {"incarnation", member.incarnation.to_string()},
              {"state", m::to_string(member.state)},
              {"last_heard_ms", heard < 0 ? 0 : heard},
              {"rtt_ms", member.rtt > m::Duration::zero() ? json(static_cast<double>(member.rtt.count()) / 1000.0)
                                                          : json(nullptr)},
              {"degraded", member.recent_suspicions > 0 &&
                               (member.state == m::MemberState::alive || member.state == m::MemberState::suspect)}};
}

}  // namespace rollcall::daemon::api
