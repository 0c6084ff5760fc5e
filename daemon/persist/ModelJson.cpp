#include "daemon/persist/ModelJson.h"

#include <iterator>

#include <nlohmann/json.hpp>

#include "daemon/persist/JsonFields.h"

namespace rollcall::daemon::persist {

using nlohmann::json;
namespace m = rollcall::membership;

namespace {

constexpr const char* kTypes[] = {"deleted", "server", "component", "heartbeat", "verification", "key", "keyring"};
static_assert(std::size(kTypes) == std::variant_size_v<m::StateValue>, "name every StateValue alternative");

std::string_view verification_name(m::Verification::Result r) {
  switch (r) {
    case m::Verification::Result::ok: return "ok";
    case m::Verification::Result::failed: return "failed";
    case m::Verification::Result::unknown: return "unknown";
  }
  return "unknown";
}

bool string_list(JsonFields& f, std::string_view key, std::vector<std::string>& out) {
  const json* arr = f.field(key);
  if (arr == nullptr) return false;
  if (!arr->is_array()) {
    f.fail(f.path(key) + ": expected an array of strings");
    return false;
  }
  out.clear();
  for (std::size_t i = 0; i < arr->size(); ++i) {
    if (!(*arr)[i].is_string()) {
      f.fail(f.path(key) + "[" + std::to_string(i) + "]: expected a string");
      return false;
    }
    out.push_back((*arr)[i].get<std::string>());
  }
  return true;
}

json value_json(const m::StateValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, m::ServerInfo>) {
          return json{{"name", v.name},
                      {"os_name", v.os_name},
                      {"os_version", v.os_version},
                      {"addresses", v.addresses},
                      {"agent_version", v.agent_version},
                      {"protocol_version", v.protocol_version},
                      {"host_id", v.host_id},
                      {"labels", v.labels}};
        } else if constexpr (std::is_same_v<T, m::ComponentInfo>) {
          return json{{"kind", v.kind}, {"version", v.version}, {"endpoint", v.endpoint}};
        } else if constexpr (std::is_same_v<T, m::Heartbeat>) {
          return json{{"counter", v.counter}};
        } else if constexpr (std::is_same_v<T, m::Verification>) {
          return json{{"result", verification_name(v.result)}, {"detail", v.detail}, {"checked_age_ms", v.checked_age_ms}};
        } else if constexpr (std::is_same_v<T, m::KeyFingerprint>) {
          return json{{"fingerprint", v.fingerprint}};
        } else {
          static_assert(std::is_same_v<T, m::KeyringInfo>);
          return json{{"installed", v.installed}, {"primary", v.primary}};
        }
      },
      value);
}

// Decodes the value of `type` from `j` (path `where`).
Result<m::StateValue> value_from(std::string_view type, const json& j, const std::string& where) {
  if (type == "deleted") {
    if (!j.is_null()) return Result<m::StateValue>::failure(where + ": expected null for a deleted entry");
    return m::StateValue{};
  }
  JsonFields f(j, where);
  if (type == "server") {
    m::ServerInfo v;
    std::uint64_t proto = 0;
    f.str("name", v.name) && f.str("os_name", v.os_name) && f.str("os_version", v.os_version) &&
        string_list(f, "addresses", v.addresses) && f.str("agent_version", v.agent_version) &&
        f.u64("protocol_version", proto) && f.str("host_id", v.host_id);
    if (f.ok() && proto > UINT32_MAX) f.fail(f.path("protocol_version") + ": out of range");
    v.protocol_version = static_cast<std::uint32_t>(proto);
    if (const json* labels = f.ok() ? f.field("labels") : nullptr) {
      if (!labels->is_object()) f.fail(f.path("labels") + ": expected an object of strings");
      for (auto it = labels->begin(); f.ok() && labels->is_object() && it != labels->end(); ++it) {
        if (!it.value().is_string()) f.fail(f.path("labels") + "." + it.key() + ": expected a string");
        else v.labels[it.key()] = it.value().get<std::string>();
      }
    }
    if (!f.ok()) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{std::move(v)};
  }
  if (type == "component") {
    m::ComponentInfo v;
    f.str("kind", v.kind) && f.str("version", v.version) && f.str("endpoint", v.endpoint);
    if (!f.ok()) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{std::move(v)};
  }
  if (type == "heartbeat") {
    m::Heartbeat v;
    if (!f.u64("counter", v.counter)) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{v};
  }
  if (type == "verification") {
    m::Verification v;
    std::string result;
    f.str("result", result) && f.str("detail", v.detail) && f.i64("checked_age_ms", v.checked_age_ms);
    if (f.ok()) {
      if (result == "ok") v.result = m::Verification::Result::ok;
      else if (result == "failed") v.result = m::Verification::Result::failed;
      else if (result == "unknown") v.result = m::Verification::Result::unknown;
      else f.fail(f.path("result") + ": expected \"ok\", \"failed\" or \"unknown\"");
    }
    if (!f.ok()) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{std::move(v)};
  }
  if (type == "key") {
    m::KeyFingerprint v;
    if (!f.str("fingerprint", v.fingerprint)) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{std::move(v)};
  }
  if (type == "keyring") {
    m::KeyringInfo v;
    string_list(f, "installed", v.installed) && f.str("primary", v.primary);
    if (!f.ok()) return Result<m::StateValue>::failure(f.error());
    return m::StateValue{std::move(v)};
  }
  return Result<m::StateValue>::failure(where + ": unknown type \"" + std::string(type) + "\"");
}

Result<m::NodeId> node_id(JsonFields& f, std::string_view key) {
  std::string hex;
  if (!f.str(key, hex)) return Result<m::NodeId>::failure(f.error());
  auto id = m::NodeId::parse(hex);
  if (!id) return Result<m::NodeId>::failure(f.path(key) + ": expected 32 hex digits");
  return *id;
}

}  // namespace

json ModelJson::to_json(const m::StateEntry& e) {
  return json{{"key", e.key}, {"version", e.version}, {"type", kTypes[e.value.index()]}, {"value", value_json(e.value)}};
}

Result<m::StateEntry> ModelJson::state_entry(const json& j, const std::string& where) {
  JsonFields f(j, where);
  m::StateEntry e;
  std::string type;
  f.str("key", e.key) && f.u64("version", e.version) && f.str("type", type) && f.field("value") &&
      f.only({"key", "version", "type", "value"});
  if (!f.ok()) return Result<m::StateEntry>::failure(f.error());
  auto value = value_from(type, j.at("value"), f.path("value"));
  if (!value) return value.status();
  return m::StateEntry{std::move(e.key), e.version, std::move(*value)};
}

json ModelJson::to_json(const m::ClusterConfig& c) {
  return json{{"load_balancing", c.load_balancing},
              {"automatic_failover", c.automatic_failover},
              {"heartbeat_interval_ms", c.heartbeat_interval_ms},
              {"stale_timeout_ms", c.stale_timeout_ms},
              {"web_stale_window_ms", c.web_stale_window_ms}};
}

Result<m::ClusterConfig> ModelJson::config(const json& j, const m::ClusterConfig& base, const std::string& where,
                                           std::initializer_list<std::string_view> also_allowed) {
  JsonFields f(j, where);
  m::ClusterConfig c = base;
  f.boolean("load_balancing", c.load_balancing, false) && f.boolean("automatic_failover", c.automatic_failover, false) &&
      f.i64("heartbeat_interval_ms", c.heartbeat_interval_ms, false) &&
      f.i64("stale_timeout_ms", c.stale_timeout_ms, false) &&
      f.i64("web_stale_window_ms", c.web_stale_window_ms, false);
  if (f.ok() && j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& k = it.key();
      bool known = k == "load_balancing" || k == "automatic_failover" || k == "heartbeat_interval_ms" ||
                   k == "stale_timeout_ms" || k == "web_stale_window_ms";
      for (auto a : also_allowed) known = known || k == a;
      if (!known) {
        f.fail(f.path(k) + ": unknown field");
        break;
      }
    }
  }
  if (!f.ok()) return Result<m::ClusterConfig>::failure(f.error());
  return c;
}

json ModelJson::to_json(const m::Removal& r) {
  return json{{"server", r.server.hex()},
              {"component", r.component},
              {"owner_version", r.owner_version},
              {"generation", r.generation},
              {"removed_age_ms", r.removed_age_ms}};
}

Result<m::Removal> ModelJson::removal(const json& j, const std::string& where) {
  JsonFields f(j, where);
  m::Removal r;
  auto server = node_id(f, "server");
  if (!server) return server.status();
  r.server = *server;
  f.str("component", r.component) && f.u64("owner_version", r.owner_version) && f.u64("generation", r.generation) &&
      f.i64("removed_age_ms", r.removed_age_ms) &&
      f.only({"server", "component", "owner_version", "generation", "removed_age_ms"});
  if (!f.ok()) return Result<m::Removal>::failure(f.error());
  return r;
}

json ModelJson::to_json(const m::ClusterItem& item) {
  json value = std::holds_alternative<m::ClusterConfig>(item.value)
                   ? to_json(std::get<m::ClusterConfig>(item.value))
                   : to_json(std::get<m::Removal>(item.value));
  return json{{"key", item.key},
              {"lamport", item.lamport},
              {"writer", item.writer.hex()},
              {"type", std::holds_alternative<m::ClusterConfig>(item.value) ? "config" : "removal"},
              {"value", std::move(value)}};
}

Result<m::ClusterItem> ModelJson::cluster_item(const json& j, const std::string& where) {
  JsonFields f(j, where);
  m::ClusterItem item;
  std::string type;
  f.str("key", item.key) && f.u64("lamport", item.lamport) && f.str("type", type) && f.field("value") &&
      f.only({"key", "lamport", "writer", "type", "value"});
  if (!f.ok()) return Result<m::ClusterItem>::failure(f.error());
  auto writer = node_id(f, "writer");
  if (!writer) return writer.status();
  item.writer = *writer;
  const json& value = j.at("value");
  if (type == "config") {
    JsonFields vf(value, f.path("value"));
    vf.only({"load_balancing", "automatic_failover", "heartbeat_interval_ms", "stale_timeout_ms", "web_stale_window_ms"});
    if (!vf.ok()) return Result<m::ClusterItem>::failure(vf.error());
    auto c = config(value, m::ClusterConfig{}, f.path("value"));
    if (!c) return c.status();
    item.value = *c;
  } else if (type == "removal") {
    auto r = removal(value, f.path("value"));
    if (!r) return r.status();
    item.value = *r;
  } else {
    return Result<m::ClusterItem>::failure(f.path("type") + ": expected \"config\" or \"removal\"");
  }
  return item;
}

json ModelJson::to_json(const m::Address& a) { return a.to_string(); }

Result<m::Address> ModelJson::address(const json& j, const std::string& where) {
  if (!j.is_string()) return Result<m::Address>::failure(where + ": expected \"host:port\"");
  auto a = m::Address::parse(j.get<std::string>());
  if (!a) return Result<m::Address>::failure(where + ": not an address (\"1.2.3.4:7950\" or \"[::1]:7950\")");
  return *a;
}

}  // namespace rollcall::daemon::persist
