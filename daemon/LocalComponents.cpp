#include "daemon/LocalComponents.h"

#include <charconv>

#include "daemon/EngineDriver.h"
#include "daemon/http/Probe.h"
#include "membership/ComponentInfo.h"
#include "membership/Heartbeat.h"

namespace rollcall::daemon {

namespace {
constexpr std::uint32_t kRepublishEvery = 10;  // refresh the verification age every N checks
}

LocalComponents::LocalComponents(asio::io_context& io, EngineDriver& driver) : io_(io), driver_(driver) {}

LocalComponents::~LocalComponents() {
  *alive_ = false;
  for (auto& [kind, s] : state_)
    if (s.timer) s.timer->cancel();
}

std::vector<std::string> LocalComponents::kinds() const {
  std::vector<std::string> out;
  for (const auto& [k, s] : state_) out.push_back(k);
  return out;
}

void LocalComponents::configure(const std::vector<config::ComponentConfig>& components,
                                const std::function<bool(const std::string&)>& keep_removed) {
  std::map<std::string, State> next;
  for (const auto& c : components) {
    State s;
    s.settings = c;
    // Keep heartbeat counters across reloads; after a restart, continue from what we published.
    if (auto it = state_.find(c.kind); it != state_.end()) {
      s.heartbeat = it->second.heartbeat;
      s.last_result = it->second.last_result;
      if (it->second.timer) it->second.timer->cancel();
    } else if (const auto* e = driver_.engine().state().find(driver_.engine().identity().id, "heartbeat/" + c.kind)) {
      if (const auto* hb = std::get_if<membership::Heartbeat>(&e->entry.value)) s.heartbeat = hb->counter;
    }
    next.emplace(c.kind, std::move(s));
  }
  for (auto& [kind, s] : state_) {
    if (next.count(kind)) continue;
    if (s.timer) s.timer->cancel();
    driver_.call([&kind = kind](gossip::Engine& e, membership::Instant now) {
      e.erase_local("component/" + kind, now);
      e.erase_local("heartbeat/" + kind, now);
      e.erase_local("verify/" + kind, now);
    });
  }
  state_ = std::move(next);
  for (auto& [kind, s] : state_) {
    if (keep_removed && keep_removed(kind)) {
      s.removed = true;
      continue;
    }
    publish_component(s);
    if (!s.settings.check.empty()) schedule_check(kind, std::chrono::milliseconds(200));
  }
}

void LocalComponents::publish_component(const State& s) {
  driver_.call([&](gossip::Engine& e, membership::Instant now) {
    e.set_local("component/" + s.settings.kind, membership::ComponentInfo{s.settings.kind, s.settings.version, s.settings.endpoint},
                now);
  });
}

void LocalComponents::removed(const std::string& kind) {
  auto it = state_.find(kind);
  if (it == state_.end() || it->second.removed) return;
  it->second.removed = true;
  driver_.call([&](gossip::Engine& e, membership::Instant now) {
    e.erase_local("component/" + kind, now);
    e.erase_local("heartbeat/" + kind, now);
    e.erase_local("verify/" + kind, now);
  });
}

bool LocalComponents::is_removed(const std::string& kind) const {
  auto it = state_.find(kind);
  return it != state_.end() && it->second.removed;
}

std::optional<std::uint64_t> LocalComponents::heartbeat(const std::string& kind) {
  auto it = state_.find(kind);
  if (it == state_.end() || it->second.removed) return std::nullopt;
  const std::uint64_t counter = ++it->second.heartbeat;
  driver_.call([&](gossip::Engine& e, membership::Instant now) {
    e.set_local("heartbeat/" + kind, membership::Heartbeat{counter}, now);
  });
  return counter;
}

bool LocalComponents::update(const std::string& kind, const std::optional<std::string>& version,
                             const std::optional<std::string>& endpoint) {
  auto it = state_.find(kind);
  if (it == state_.end()) return false;
  it->second.removed = false;  // reported anew
  if (version) it->second.settings.version = *version;
  if (endpoint) it->second.settings.endpoint = *endpoint;
  publish_component(it->second);
  return true;
}

void LocalComponents::schedule_check(const std::string& kind, std::chrono::milliseconds delay) {
  auto it = state_.find(kind);
  if (it == state_.end()) return;
  auto timer = std::make_shared<asio::steady_timer>(io_);
  it->second.timer = timer;
  timer->expires_after(delay);
  timer->async_wait([this, kind, timer, alive = alive_](std::error_code ec) {
    if (ec || !*alive) return;
    auto cur = state_.find(kind);
    if (cur == state_.end() || cur->second.timer != timer) return;  // reconfigured meanwhile
    if (cur->second.removed) {
      schedule_check(kind, cur->second.settings.check_interval);
      return;
    }
    run_check(kind);
  });
}

void LocalComponents::run_check(const std::string& kind) {
  const auto& st = state_.at(kind).settings;
  auto done = [this, kind, alive = alive_](http::ProbeResult r) {
    if (!*alive) return;
    auto it = state_.find(kind);
    if (it == state_.end()) return;
    State& s = it->second;
    using R = membership::Verification::Result;
    const R result = r.ok ? R::ok : R::failed;
    // Publish on a change of result, and every few checks to refresh "last verified".
    if (result != s.last_result || ++s.checks_since_publish >= kRepublishEvery) {
      s.last_result = result;
      s.checks_since_publish = 0;
      driver_.call([&](gossip::Engine& e, membership::Instant now) {
        e.set_local("verify/" + kind, membership::Verification{result, r.detail, 0}, now);
      });
    }
    schedule_check(kind, s.settings.check_interval);
  };
  if (st.check.rfind("http://", 0) == 0) {
    http::probe_http(io_, st.check, st.check_timeout, done);
    return;
  }
  if (st.check.rfind("tcp://", 0) == 0) {
    const std::string hp = st.check.substr(6);
    const auto colon = hp.rfind(':');
    unsigned port = 0;
    if (colon != std::string::npos) std::from_chars(hp.data() + colon + 1, hp.data() + hp.size(), port);
    std::string host = hp.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    http::probe_tcp(io_, host, static_cast<std::uint16_t>(port), st.check_timeout, done);
    return;
  }
}

}  // namespace rollcall::daemon
