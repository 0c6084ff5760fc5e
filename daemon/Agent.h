// `rollcall agent`: one server's member of the cluster. Owns the data directory, the gossip engine
// (through EngineDriver), the HTTP server, this server's published state (host facts, components,
// key fingerprints, heartbeats, verification probes), seed resolution and signals. Everything runs
// on one io_context thread. Constructed by main(); HttpApi calls the query/command methods below.
#pragma once

#include <functional>
#include <memory>
#include <variant>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>
#include <nlohmann/json.hpp>

#include "daemon/ApiResult.h"
#include "daemon/Clock.h"
#include "daemon/MetricsText.h"
#include "daemon/config/AgentConfig.h"
#include "daemon/http/EventStream.h"
#include "membership/ClusterTable.h"

namespace rollcall::daemon {

class EngineDriver;
class HttpApi;
class LocalComponents;
namespace http {
class Server;
}
namespace persist {
class DataDir;
}

class Agent {
 public:
  explicit Agent(config::AgentConfig cfg);
  ~Agent();

  // Opens the data directory, loads keys, binds sockets, starts HTTP, joins. On failure returns a
  // message for a person (nothing left running); exceptions do not escape.
  std::optional<std::string> start();
  // Runs until a graceful leave or stop completes. Returns the process exit code.
  int run();

  // --- queries (HttpApi) ---
  membership::ClusterTable table() const;
  nlohmann::json cluster_json() const;
  // The rendered /v1/cluster body, cached until the view changes or kTableCacheAge passes.
  const std::string& cluster_text() const;
  nlohmann::json members_json() const;
  nlohmann::json config_json() const;
  ApiResult keys_json() const;
  ApiResult ready() const;
  std::string metrics_text() const;
  const config::Secret& admin_token() const { return cfg_.http.admin_token; }

  // --- commands (HttpApi) ---
  ApiResult put_config(const nlohmann::json& body);
  ApiResult remove_server(const std::string& name_or_id);
  ApiResult remove_component(const std::string& name_or_id, const std::string& kind);
  ApiResult keys_op(const std::string& op, const nlohmann::json& body);
  ApiResult heartbeat(const std::string& kind);
  ApiResult update_component(const std::string& kind, const nlohmann::json& body);
  ApiResult leave();
  void subscribe(std::shared_ptr<http::EventStream> stream);
  void count_request() { counters_.http_requests++; }

  // Signals.
  void request_leave();
  void reload();
  // How SIGHUP re-reads the configuration: returns new settings or an error message.
  using Reloader = std::function<std::variant<config::AgentConfig, std::string>()>;
  void set_reloader(Reloader r) { reloader_ = std::move(r); }

 private:
  std::optional<std::string> open_data_dir();
  std::optional<std::string> load_keyring();
  std::optional<std::string> save_keyring();
  void apply_keyring();
  std::optional<std::string> start_engine();
  void publish_server_facts();
  void publish_fingerprints();
  void publish_keyring();
  void on_event(const gossip::Event& e);
  void schedule_broadcast();
  void broadcast_table();
  void persist_local();
  void persist_cluster();
  void persist_peers();
  void resolve_seeds();
  void arm_periodic();
  void finish();
  void handle_signal(std::error_code ec, int sig);
  const membership::Member* find_server(const std::string& name_or_id) const;

  config::AgentConfig cfg_;
  asio::io_context io_;
  asio::signal_set signals_;
  asio::steady_timer periodic_;
  asio::steady_timer broadcast_timer_;
  asio::steady_timer leave_timer_;
  Clock clock_;
  std::unique_ptr<persist::DataDir> data_;
  std::unique_ptr<EngineDriver> driver_;
  std::unique_ptr<HttpApi> api_;
  std::unique_ptr<http::Server> http_;
  std::unique_ptr<LocalComponents> components_;
  std::vector<std::string> gossip_keys_;  // base64, primary first (never logged)
  std::vector<std::shared_ptr<http::EventStream>> streams_;
  bool broadcast_pending_ = false;
  bool leaving_ = false;
  bool stopping_ = false;
  int exit_code_ = 0;
  std::uint64_t reserved_version_ = 0;  // local versions persisted ahead (hi-lo), see persist_local
  std::uint64_t periodic_round_ = 0;
  AgentCounters counters_;
  std::uint64_t decrypt_logged_ = 0;
  mutable std::string cluster_text_;
  mutable membership::Instant cluster_text_at_{};
  mutable bool cluster_dirty_ = true;
  Reloader reloader_;
};

}  // namespace rollcall::daemon
