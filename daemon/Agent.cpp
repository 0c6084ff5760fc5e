#include "daemon/Agent.h"

#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "daemon/EngineConfig.h"
#include "daemon/EngineDriver.h"
#include "daemon/Endpoints.h"
#include "daemon/HostFacts.h"
#include "daemon/HttpApi.h"
#include "daemon/LocalComponents.h"
#include "daemon/api/TableJson.h"
#include "daemon/http/Server.h"
#include "daemon/persist/DataDir.h"
#include "gossip/crypto/Fingerprint.h"
#include "gossip/crypto/Keyring.h"
#include "membership/ClusterItems.h"
#include "membership/TableBuilder.h"

namespace rollcall::daemon {

using namespace std::chrono_literals;
using membership::MemberState;

namespace {
constexpr std::uint64_t kVersionReserve = 1000;  // local versions persisted ahead (hi-lo)
constexpr auto kTick = 1s;

std::uint64_t os_seed() {
  std::uint64_t s = 0;
  RAND_bytes(reinterpret_cast<unsigned char*>(&s), sizeof s);
  return s;
}

}  // namespace

Agent::Agent(config::AgentConfig cfg)
    : cfg_(std::move(cfg)), signals_(io_), periodic_(io_), broadcast_timer_(io_), leave_timer_(io_) {}

Agent::~Agent() {
  components_.reset();
  if (http_) http_->stop();
  if (driver_) driver_->close();
}

std::optional<std::string> Agent::open_data_dir() {
  ::umask(0077);  // the data directory holds the keyring: owner-only files
  auto dir = persist::DataDir::open(cfg_.agent.data_dir, cfg_.agent.allow_reset);
  if (!dir) return "data directory: " + dir.error();
  data_ = std::make_unique<persist::DataDir>(std::move(dir.value()));
  for (const auto& n : data_->notices()) spdlog::warn("data directory: {}", n);
  return std::nullopt;
}

std::optional<std::string> Agent::start_engine() {
  const HostFacts facts = HostFacts::read();
  if (cfg_.agent.name.empty()) cfg_.agent.name = facts.hostname.empty() ? data_->identity().id.short_hex() : facts.hostname;

  const std::string bind_text = cfg_.gossip.bind.to_string();
  std::error_code ec;
  const auto bind_ip = asio::ip::make_address(cfg_.gossip.bind.host, ec);
  if (ec) return "gossip.bind: not an IP address: " + bind_text;
  const auto bind = membership::Address::parse_ip(cfg_.gossip.bind.host, cfg_.gossip.bind.port);
  if (!bind) return "gossip.bind: invalid address " + bind_text;

  membership::Address advertise;
  if (cfg_.gossip.advertise) {
    auto a = membership::Address::parse_ip(cfg_.gossip.advertise->host, cfg_.gossip.advertise->port);
    if (!a) return "gossip.advertise must be IP:port, got " + cfg_.gossip.advertise->to_string();
    advertise = *a;
  } else if (bind_ip.is_unspecified()) {
    std::optional<membership::Address> first;
    for (const auto& ip : facts.addresses) {
      if ((first = membership::Address::parse_ip(ip, bind->port()))) break;
    }
    advertise = first ? *first : *membership::Address::parse_ip("127.0.0.1", bind->port());
  } else {
    advertise = *bind;
  }

  // Keys: the data directory's keyring (after a rotation) wins over the configured key.
  if (auto err = load_keyring()) return err;
  gossip::crypto::Envelope envelope = gossip::crypto::Envelope::plaintext(cfg_.agent.cluster);
  if (!gossip_keys_.empty()) {
    gossip::crypto::Keyring ring;
    for (const auto& k : gossip_keys_) ring.install(*gossip::crypto::Keyring::parse_key(k));
    envelope = gossip::crypto::Envelope(cfg_.agent.cluster, std::move(ring), gossip::crypto::Envelope::os_random());
  } else if (!cfg_.gossip.plaintext) {
    return "no gossip key: set ROLLCALL_GOSSIP_KEY or [gossip] key_file (`rollcall keygen` prints one), "
           "or set [gossip] plaintext = true explicitly";
  } else {
    spdlog::warn("gossip is NOT encrypted ([gossip] plaintext = true): anyone on the network can read and join");
  }

  const auto& id = data_->identity();
  const gossip::Config engine_cfg = engine_config(cfg_.gossip);
  if (auto err = engine_cfg.validate()) return "gossip: " + *err;
  auto engine = std::make_unique<gossip::Engine>(engine_cfg, gossip::Identity{id.id, cfg_.agent.name, advertise, id.generation},
                                                 std::move(envelope), os_seed());
  auto local = data_->load_local_state();
  if (!local) return "data directory: " + local.error();
  auto items = data_->load_cluster_items();
  if (!items) return "data directory: " + items.error();
  const auto now = clock_.now();
  engine->restore_local(local->counter, local->entries, now);
  engine->restore_cluster_items(items.value(), now);

  driver_ = std::make_unique<EngineDriver>(io_, clock_, std::move(engine), [this](const gossip::Event& e) { on_event(e); });
  if (auto oec = driver_->open(bind_ip, bind->port()))
    return "cannot bind gossip " + bind_text + " (UDP+TCP): " + oec.message();
  // Reserve the next block of versions before handing any out.
  reserved_version_ = driver_->engine().local_version() + kVersionReserve;
  persist_local();

  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.start(t); });
  spdlog::info("rollcall agent {} (id {}, generation {}) gossiping on {} advertised as {}, cluster \"{}\"", cfg_.agent.name,
               id.id.short_hex(), id.generation, bind_text, advertise.to_string(), cfg_.agent.cluster);
  return std::nullopt;
}

std::optional<std::string> Agent::start() {
  try {
    if (auto err = open_data_dir()) return err;
    if (auto err = start_engine()) return err;

    api_ = std::make_unique<HttpApi>(*this);
    http::Limits limits;
    limits.max_connections = cfg_.http.max_connections;
    limits.max_header_bytes = cfg_.http.max_header_bytes;
    limits.max_body_bytes = cfg_.http.max_body_bytes;
    limits.header_timeout = cfg_.http.header_timeout;
    limits.idle_timeout = cfg_.http.idle_timeout;
    http_ = std::make_unique<http::Server>(io_, limits, [this](const http::Request& r, http::Responder res) {
      api_->handle(r, std::move(res));
    });
    if (!cfg_.http.tls_cert.empty()) {
      if (auto ec = http_->enable_tls(cfg_.http.tls_cert, cfg_.http.tls_key)) return "http.tls_cert/tls_key: " + ec.message();
    }
    const std::string http_text = cfg_.http.bind.to_string();
    std::error_code ec;
    const auto ip = asio::ip::make_address(cfg_.http.bind.host, ec);
    if (ec) return "http.bind: not an IP address: " + http_text;
    if (auto lec = http_->listen(asio::ip::tcp::endpoint(ip, cfg_.http.bind.port)))
      return "cannot bind HTTP " + http_text + ": " + lec.message();
    spdlog::info("HTTP API and page on {}://{}", cfg_.http.tls_cert.empty() ? "http" : "https", http_text);

    publish_server_facts();
    publish_fingerprints();
    publish_keyring();
    components_ = std::make_unique<LocalComponents>(io_, *driver_);
    const auto self_id = driver_->engine().identity().id;
    components_->configure(cfg_.components, [this, self_id](const std::string& kind) {
      const auto* r = driver_->engine().cluster().component_removal(self_id, kind);
      if (!r) return false;
      const auto* mine = driver_->engine().state().find(self_id, "component/" + kind);
      return !mine || mine->entry.deleted() || mine->entry.version <= r->owner_version;
    });

    // Rejoin: last known peers from the data directory, plus the configured seeds.
    if (auto peers = data_->load_peers(); peers && !peers->empty()) {
      spdlog::info("rejoining {} last known peer(s)", peers->size());
      driver_->call([&](gossip::Engine& e, membership::Instant t) { e.join(peers.value(), t); });
    }
    resolve_seeds();

    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.add(SIGHUP);
    signals_.async_wait([this](std::error_code sec, int sig) { handle_signal(sec, sig); });
    arm_periodic();
    return std::nullopt;
  } catch (const std::exception& e) {
    return std::string("start-up failed: ") + e.what();
  }
}

void Agent::handle_signal(std::error_code ec, int sig) {
  if (ec) return;
  if (sig == SIGHUP) {
    reload();
  } else if (leaving_) {
    spdlog::warn("second stop signal: exiting without waiting for the leave to spread");
    finish();
    return;
  } else {
    spdlog::info("signal {}: leaving the cluster gracefully", sig);
    request_leave();
  }
  signals_.async_wait([this](std::error_code sec, int s) { handle_signal(sec, s); });
}

int Agent::run() {
  io_.run();
  return exit_code_;
}

void Agent::arm_periodic() {
  periodic_.expires_after(kTick);
  periodic_.async_wait([this](std::error_code ec) {
    if (ec || stopping_) return;
    ++periodic_round_;
    if (periodic_round_ % 2 == 0) broadcast_table();  // ages move even when nothing changes
    if (periodic_round_ % 60 == 0) persist_peers();
    const auto resolve_every = std::max<std::int64_t>(1, cfg_.gossip.seed_resolve_interval.count() / 1000);
    if (periodic_round_ % static_cast<std::uint64_t>(resolve_every) == 0) resolve_seeds();
    arm_periodic();
  });
}

void Agent::publish_server_facts() {
  const HostFacts facts = HostFacts::read("/etc/os-release", cfg_.server.host_id_file);
  membership::ServerInfo info;
  info.name = cfg_.agent.name;
  info.os_name = cfg_.server.os_name.empty() ? facts.os_name : cfg_.server.os_name;
  info.os_version = cfg_.server.os_version.empty() ? facts.os_version : cfg_.server.os_version;
  info.addresses = cfg_.server.addresses.empty() ? facts.addresses : cfg_.server.addresses;
  info.agent_version = ROLLCALL_VERSION;
  info.protocol_version = gossip::wire::kProtocolVersion;
  info.host_id = facts.host_id;
  info.labels = cfg_.server.labels;
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.set_local("server", info, t); });
}

void Agent::publish_fingerprints() {
  const std::string salt = cfg_.product.fingerprint_salt.empty() ? cfg_.agent.cluster : cfg_.product.fingerprint_salt;
  for (const auto& k : cfg_.product.keys) {
    membership::KeyFingerprint fp;
    if (!k.value.empty()) fp.fingerprint = gossip::crypto::fingerprint(salt, k.value.reveal());
    if (!fp.is_set())
      spdlog::warn("product key \"{}\" is not set ({}): this server will show KEY_NOT_SET", k.name,
                   k.env.empty() ? "file " + k.file : "environment variable " + k.env);
    driver_->call([&](gossip::Engine& e, membership::Instant t) { e.set_local("key/" + k.name, fp, t); });
  }
}

void Agent::publish_keyring() {
  const auto& ring = driver_->engine_mut().envelope().keyring();
  membership::KeyringInfo info{ring.ids(), ring.primary_id()};
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.set_local("keyring", info, t); });
}

void Agent::on_event(const gossip::Event& e) {
  cluster_dirty_ = true;
  using K = gossip::Event::Kind;
  const auto who = [&] { return e.name.empty() ? e.subject.short_hex() : e.name + " (" + e.subject.short_hex() + ")"; };
  switch (e.kind) {
    case K::member_joined: spdlog::info("member joined: {}", who()); break;
    case K::member_updated: spdlog::info("member updated: {}", who()); break;
    case K::member_suspect: spdlog::info("member suspect: {} (incarnation {})", who(), e.incarnation.to_string()); break;
    case K::member_alive: spdlog::info("member alive again: {}", who()); break;
    case K::member_dead: spdlog::warn("member dead: {}", who()); break;
    case K::member_left: spdlog::info("member left: {}", who()); break;
    case K::member_forgotten: spdlog::info("member forgotten: {}", who()); break;
    case K::name_conflict: spdlog::warn("name conflict: {}: {}", who(), e.detail); break;
    case K::refuted: spdlog::info("refuted a {} claim about this node (incarnation now {})", e.detail, e.incarnation.to_string()); break;
    case K::join_completed: spdlog::info("joined the cluster through {}", e.detail); break;
    case K::join_failed: spdlog::warn("could not reach seed {} (will retry)", e.detail); break;
    case K::decrypt_failed:
      // Rate-limited: a misconfigured peer sends many packets.
      if (++decrypt_logged_ == 1 || decrypt_logged_ % 100 == 0)
        spdlog::warn("dropped a packet from {} that failed authentication: wrong gossip key or other cluster name ({} so far)",
                     e.detail, decrypt_logged_);
      break;
    case K::malformed_packet: spdlog::debug("malformed packet: {}", e.detail); break;
    case K::leave_completed:
      spdlog::info("left the cluster");
      finish();
      return;
    case K::state_changed:
      if (e.subject == driver_->engine().identity().id) {
        const bool lazy = e.detail.rfind("heartbeat/", 0) == 0;
        if (!lazy || driver_->engine().local_version() + 10 >= reserved_version_) persist_local();
      }
      break;
    case K::cluster_changed: {
      spdlog::info("cluster item changed: {}", e.detail);
      persist_cluster();
      // One of our own components removed by an operator: withdraw it.
      const std::string mine = membership::ClusterItems::removal_key(driver_->engine().identity().id, "");
      if (components_ && e.detail.rfind(mine + "/", 0) == 0) components_->removed(e.detail.substr(mine.size() + 1));
      break;
    }
  }
  schedule_broadcast();
}

void Agent::schedule_broadcast() {
  if (broadcast_pending_ || streams_.empty()) return;
  broadcast_pending_ = true;
  broadcast_timer_.expires_after(100ms);
  broadcast_timer_.async_wait([this](std::error_code ec) {
    broadcast_pending_ = false;
    if (!ec) broadcast_table();
  });
}

void Agent::broadcast_table() {
  if (streams_.empty()) return;
  const std::string& body = cluster_text();
  std::erase_if(streams_, [&](const std::shared_ptr<http::EventStream>& s) { return !s->send("cluster", body); });
  counters_.sse_clients = streams_.size();
}

void Agent::subscribe(std::shared_ptr<http::EventStream> stream) {
  if (stream->closed()) return;
  stream->send("cluster", cluster_text());
  streams_.push_back(std::move(stream));
  counters_.sse_clients = streams_.size();
}

void Agent::persist_local() {
  const auto& e = driver_->engine();
  if (e.local_version() + 10 >= reserved_version_) reserved_version_ = e.local_version() + kVersionReserve;
  const auto entries = e.local_entries();
  if (auto st = data_->save_local_state(reserved_version_, entries); !st) {
    counters_.persist_failures++;
    spdlog::error("could not save local state: {}", st.message());
  }
}

void Agent::persist_cluster() {
  const auto items = driver_->engine().cluster().all();
  if (auto st = data_->save_cluster_items(items); !st) {
    counters_.persist_failures++;
    spdlog::error("could not save cluster items: {}", st.message());
  }
}

void Agent::persist_peers() {
  std::vector<membership::Address> peers;
  const auto self = driver_->engine().identity().id;
  driver_->engine().members().for_each([&](const membership::Member& m) {
    if (m.id != self && membership::is_live(m.state)) peers.push_back(m.address);
  });
  if (peers.empty()) return;  // never overwrite the last known peers with nothing
  if (auto st = data_->save_peers(peers); !st) {
    counters_.persist_failures++;
    spdlog::error("could not save peers: {}", st.message());
  }
}

void Agent::resolve_seeds() {
  for (const auto& hp : cfg_.gossip.seeds) {
    const std::string seed = hp.to_string();
    if (auto a = membership::Address::parse_ip(hp.host, hp.port)) {
      const auto& known = driver_->engine().seeds();
      if (std::find(known.begin(), known.end(), *a) == known.end())
        driver_->call([&](gossip::Engine& e, membership::Instant t) { e.join(std::vector{*a}, t); });
      continue;
    }
    auto resolver = std::make_shared<asio::ip::udp::resolver>(io_);
    resolver->async_resolve(hp.host, std::to_string(hp.port), [this, resolver, seed](std::error_code ec, asio::ip::udp::resolver::results_type rs) {
      if (stopping_) return;
      if (ec) {
        spdlog::warn("cannot resolve seed {}: {}", seed, ec.message());
        return;
      }
      std::vector<membership::Address> fresh;
      const auto& known = driver_->engine().seeds();
      for (const auto& r : rs) {
        auto a = from_endpoint(r.endpoint());
        if (std::find(known.begin(), known.end(), a) == known.end() && a != driver_->engine().identity().address)
          fresh.push_back(a);
      }
      if (fresh.empty()) return;
      spdlog::info("seed {} resolved to {} new address(es)", seed, fresh.size());
      driver_->call([&](gossip::Engine& e, membership::Instant t) { e.join(fresh, t); });
    });
  }
}

void Agent::request_leave() {
  if (leaving_ || stopping_) return;
  leaving_ = true;
  persist_peers();
  driver_->call([&](gossip::Engine& e, membership::Instant t) { e.leave(t); });
  // Bounded wait: the engine reports leave_completed after leave_timeout; never hang.
  leave_timer_.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(driver_->engine().config().leave_timeout) + 3s);
  leave_timer_.async_wait([this](std::error_code ec) {
    if (!ec) finish();
  });
}

void Agent::finish() {
  if (stopping_) return;
  stopping_ = true;
  persist_local();
  persist_cluster();
  for (auto& s : streams_) s->close();
  streams_.clear();
  components_.reset();
  if (http_) http_->stop();
  if (driver_) driver_->close();
  periodic_.cancel();
  broadcast_timer_.cancel();
  leave_timer_.cancel();
  signals_.cancel();
  io_.stop();
}

}  // namespace rollcall::daemon
