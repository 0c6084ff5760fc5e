// This server's product components as the agent publishes them: one "component/<kind>" entry
// each (kind, version, endpoint), a "heartbeat/<kind>" counter the product bumps through the
// local API, and a "verify/<kind>" result from the periodic verification probe (HTTP GET or TCP
// connect). Owned by Agent; runs on its io_context; writes go through the EngineDriver.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <asio.hpp>

#include "daemon/config/ComponentConfig.h"
#include "membership/Verification.h"

namespace rollcall::daemon {

class EngineDriver;

class LocalComponents {
 public:
  LocalComponents(asio::io_context& io, EngineDriver& driver);
  ~LocalComponents();

  // Publishes the declared components (adding, updating, and deleting ones no longer declared)
  // and (re)starts their verification probes. Called at start and on reload.
  // `keep_removed(kind)`: at start-up, a component an operator removed (its tombstone survives in
  // the data directory) stays withdrawn instead of coming back with the restart.
  void configure(const std::vector<config::ComponentConfig>& components,
                 const std::function<bool(const std::string&)>& keep_removed = {});
  // The product reports in: bumps the heartbeat counter. nullopt if the kind is not declared or
  // was removed from the cluster (re-register with update() or a reload).
  std::optional<std::uint64_t> heartbeat(const std::string& kind);
  // An operator removed this component from the cluster: withdraw its entries (so the removal
  // holds even after its tombstone is collected) until it is reported anew.
  void removed(const std::string& kind);
  bool is_removed(const std::string& kind) const;
  // Version/endpoint change on upgrade. false if the kind is not declared.
  bool update(const std::string& kind, const std::optional<std::string>& version, const std::optional<std::string>& endpoint);
  bool has(const std::string& kind) const { return state_.count(kind) != 0; }
  std::vector<std::string> kinds() const;

 private:
  struct State {
    config::ComponentConfig settings;
    std::uint64_t heartbeat = 0;
    membership::Verification::Result last_result = membership::Verification::Result::unknown;
    std::uint32_t checks_since_publish = 0;
    bool removed = false;
    std::shared_ptr<asio::steady_timer> timer;
  };
  void publish_component(const State& s);
  void schedule_check(const std::string& kind, std::chrono::milliseconds delay);
  void run_check(const std::string& kind);

  asio::io_context& io_;
  EngineDriver& driver_;
  std::map<std::string, State> state_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rollcall::daemon
