// Agent: the queries and commands behind the HTTP API (see HttpApi.cpp for the routes).
#include <spdlog/spdlog.h>

#include "daemon/Agent.h"
#include "daemon/EngineDriver.h"
#include "daemon/LocalComponents.h"
#include "daemon/api/ConfigJson.h"
#include "daemon/api/TableJson.h"
#include "daemon/http/Server.h"
#include "gossip/crypto/Keyring.h"
#include "membership/ClusterItems.h"
#include "membership/TableBuilder.h"

namespace rollcall::daemon {

using membership::MemberState;

membership::ClusterTable Agent::table() const {
  const auto& e = driver_->engine();
  auto members = e.members().snapshot();
  const auto now = driver_->now();
  for (auto& m : members)
    if (m.id == e.identity().id) m.last_heard = now;  // we always hear ourselves
  return membership::derive_table(
      membership::TableInput{e.identity().id, cfg_.agent.cluster, members, e.state(), e.cluster(), driver_->now()});
}

nlohmann::json Agent::cluster_json() const { return api::to_json(table()); }

const std::string& Agent::cluster_text() const {
  // Ages in the table move continuously; a quarter second of staleness is invisible to a person
  // and spares re-deriving and re-serializing the table for every request under load.
  constexpr auto kTableCacheAge = std::chrono::milliseconds(250);
  const auto now = driver_->now();
  if (cluster_dirty_ || now - cluster_text_at_ >= kTableCacheAge) {
    cluster_text_ = api::to_text(cluster_json());
    cluster_text_at_ = now;
    cluster_dirty_ = false;
  }
  return cluster_text_;
}

nlohmann::json Agent::members_json() const {
  const auto now = driver_->now();
  nlohmann::json out = nlohmann::json::array();
  auto members = driver_->engine().members().snapshot();
  for (auto& m : members)
    if (m.id == driver_->engine().identity().id) m.last_heard = now;
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  for (const auto& m : members) out.push_back(api::to_json(m, now));
  return out;
}

nlohmann::json Agent::config_json() const { return api::config_json(table()); }

ApiResult Agent::ready() const {
  const auto& e = driver_->engine();
  if (leaving_ || e.leaving()) return ApiResult::ok({{"ready", false}, {"reason", "leaving"}}, 503);
  if (!cfg_.gossip.seeds.empty() && !e.joined() && e.members().live_count() < 2)
    return ApiResult::ok({{"ready", false}, {"reason", "not joined yet: no seed answered"}}, 503);
  return ApiResult::ok({{"ready", true}, {"members", e.members().live_count()}, {"digest", table().digest}});
}

std::string Agent::metrics_text() const {
  AgentCounters c = counters_;
  c.udp_send_errors = driver_->udp_send_errors();
  c.streams_rejected = driver_->streams_rejected();
  return render_metrics(driver_->engine(), http_ ? http_->stats() : http::Server::Stats{}, c);
}

const membership::Member* Agent::find_server(const std::string& name_or_id) const {
  const auto& members = driver_->engine().members();
  if (auto id = membership::NodeId::parse(name_or_id)) return members.find(*id);
  const membership::Member* found = nullptr;
  for (const auto& id : members.ids_named(name_or_id)) {
    const auto* m = members.find(id);
    if (!found || (membership::is_live(m->state) && !membership::is_live(found->state))) found = m;
  }
  return found;
}

ApiResult Agent::put_config(const nlohmann::json& body) {
  auto parsed = api::config_from_json(body, driver_->engine().cluster().config());
  if (!parsed) return ApiResult::error(400, "INVALID_CONFIG", parsed.error());
  const auto cfg = parsed.value();
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.write_cluster(std::string(membership::ClusterItems::kConfigKey), cfg, t); });
  spdlog::info("cluster config changed through the API");
  return ApiResult::ok(config_json());
}

ApiResult Agent::remove_server(const std::string& name_or_id) {
  const auto* m = find_server(name_or_id);
  if (!m) return ApiResult::error(404, "UNKNOWN_SERVER", "no server named " + name_or_id);
  if (m->id == driver_->engine().identity().id)
    return ApiResult::error(409, "SERVER_ALIVE", "this agent cannot remove itself; stop it (it leaves) and remove it elsewhere");
  if (membership::is_live(m->state))
    return ApiResult::error(409, "SERVER_ALIVE", "server " + m->name + " is " + std::string(membership::to_string(m->state)) +
                                                     "; only dead or departed servers can be removed");
  membership::Removal r{m->id, "", 0, m->incarnation.generation, 0};
  const auto key = membership::ClusterItems::removal_key(m->id, "");
  const auto name = m->name;
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.write_cluster(key, r, t); });
  spdlog::info("removed server {} through the API", name);
  return ApiResult::ok({{"removed", {{"server", name}, {"id", r.server.hex()}, {"generation", r.generation}}}});
}

ApiResult Agent::remove_component(const std::string& name_or_id, const std::string& kind) {
  const auto* m = find_server(name_or_id);
  if (!m) return ApiResult::error(404, "UNKNOWN_SERVER", "no server named " + name_or_id);
  const auto* entry = driver_->engine().state().find(m->id, "component/" + kind);
  if (!entry || entry->entry.deleted())
    return ApiResult::error(404, "UNKNOWN_COMPONENT", "server " + m->name + " has no component " + kind);
  membership::Removal r{m->id, kind, entry->entry.version, m->incarnation.generation, 0};
  const auto key = membership::ClusterItems::removal_key(m->id, kind);
  const auto name = m->name;
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.write_cluster(key, r, t); });
  spdlog::info("removed component {} of server {} through the API", kind, name);
  return ApiResult::ok({{"removed", {{"server", name}, {"id", r.server.hex()}, {"component", kind}, {"version", r.owner_version}}}});
}

ApiResult Agent::heartbeat(const std::string& kind) {
  if (components_->is_removed(kind))
    return ApiResult::error(409, "COMPONENT_REMOVED",
                            "component " + kind + " was removed from the cluster; re-register it with PUT /v1/local/components/" +
                                kind + " or reload the agent");
  auto counter = components_->heartbeat(kind);
  if (!counter) return ApiResult::error(404, "UNKNOWN_COMPONENT", "no component " + kind + " is declared on this agent");
  return ApiResult::ok({{"kind", kind}, {"counter", *counter}});
}

ApiResult Agent::update_component(const std::string& kind, const nlohmann::json& body) {
  std::optional<std::string> version, endpoint;
  for (const auto& [k, v] : body.items()) {
    if (k != "version" && k != "endpoint") return ApiResult::error(400, "UNKNOWN_FIELD", "unknown field: " + k);
    if (!v.is_string()) return ApiResult::error(400, "INVALID_FIELD", k + " must be a string");
    const auto s = v.get<std::string>();
    if (s.size() > 256) return ApiResult::error(400, "INVALID_FIELD", k + " is longer than 256 characters");
    (k == "version" ? version : endpoint) = s;
  }
  if (version && version->empty()) return ApiResult::error(400, "INVALID_FIELD", "version must not be empty");
  if (!components_->update(kind, version, endpoint))
    return ApiResult::error(404, "UNKNOWN_COMPONENT", "no component " + kind + " is declared on this agent");
  return ApiResult::ok({{"kind", kind}, {"updated", true}});
}

ApiResult Agent::leave() {
  asio::post(io_, [this] { request_leave(); });
  return ApiResult::ok({{"leaving", true}}, 202);
}

void Agent::reload() {
  if (!reloader_) return;
  auto next = reloader_();
  if (auto* err = std::get_if<std::string>(&next)) {
    spdlog::error("reload failed, keeping the running configuration: {}", *err);
    return;
  }
  auto& s = std::get<config::AgentConfig>(next);
  spdlog::set_level(spdlog::level::from_str(s.agent.log_level));
  cfg_.agent.log_level = s.agent.log_level;
  cfg_.components = s.components;
  cfg_.product = s.product;
  cfg_.server = s.server;
  cfg_.gossip.seeds = s.gossip.seeds;
  components_->configure(cfg_.components);
  publish_fingerprints();
  publish_server_facts();
  // Keys configured in the file are added to the keyring (rotation happens through `rollcall keys`).
  bool added = false;
  for (const auto& key : s.gossip.keyring.keys()) {
    const auto k = gossip::crypto::Keyring::encode_key(key);
    if (std::find(gossip_keys_.begin(), gossip_keys_.end(), k) == gossip_keys_.end()) {
      gossip_keys_.push_back(k);
      added = true;
    }
  }
  if (added) apply_keyring();
  spdlog::info("configuration reloaded ({} components)", cfg_.components.size());
}

}  // namespace rollcall::daemon
