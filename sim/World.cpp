#include "sim/World.h"

#include <algorithm>
#include <cstring>

#include "gossip/crypto/Keyring.h"

namespace rollcall::sim {

namespace {
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

World::World(Options opt) : opt_(std::move(opt)), rng_(opt_.seed) {}
World::~World() = default;

std::size_t World::add_node(gossip::Config cfg, std::string name) {
  const std::size_t i = nodes_.size();
  auto n = std::make_unique<SimNode>();
  n->id = NodeId::from_words(mix(opt_.seed, 0x1d), i + 1);
  n->name = name.empty() ? "node-" + std::to_string(i) : std::move(name);
  const std::uint32_t ip = (10u << 24) | static_cast<std::uint32_t>(i + 1);
  n->address = Address::v4(ip, 7950);
  n->config = std::move(cfg);
  by_addr_[n->address] = i;
  nodes_.push_back(std::move(n));
  return i;
}

gossip::Engine* World::make_engine(SimNode& n) {
  const std::uint64_t seed = mix(mix(opt_.seed, n.id.hash()), n.generation);
  gossip::crypto::Envelope env = gossip::crypto::Envelope::plaintext(opt_.cluster);
  if (opt_.encrypt) {
    gossip::crypto::Key key{};
    membership::Rng krng(mix(opt_.seed, 0x6b6579));
    for (auto& b : key) b = static_cast<std::uint8_t>(krng());
    auto nonce_rng = std::make_shared<membership::Rng>(mix(seed, 0x6e6f6e6365));
    env = gossip::crypto::Envelope(opt_.cluster, gossip::crypto::Keyring(key),
                                   [nonce_rng](std::uint8_t* out, std::size_t len) {
                                     for (std::size_t i = 0; i < len; i += 8) {
                                       const std::uint64_t v = (*nonce_rng)();
                                       std::memcpy(out + i, &v, std::min<std::size_t>(8, len - i));
                                     }
                                   });
  }
  n.engine = std::make_unique<gossip::Engine>(n.config, gossip::Identity{n.id, n.name, n.address, n.generation},
                                              std::move(env), seed);
  return n.engine.get();
}

void World::start(std::size_t i, const std::vector<std::size_t>& seeds) {
  SimNode& n = *nodes_[i];
  if (n.up) return;
  ++n.epoch;
  make_engine(n);
  n.up = true;
  n.engine->restore_local(n.saved_version, n.saved_entries, now_);
  n.engine->restore_cluster_items(n.saved_items, now_);
  n.engine->start(now_);
  std::vector<Address> addrs;
  for (auto s : seeds)
    if (s != i) addrs.push_back(nodes_[s]->address);
  if (!addrs.empty()) n.engine->join(addrs, now_);
  drain(i);
}

void World::leave(std::size_t i) {
  if (!nodes_[i]->up) return;
  nodes_[i]->engine->leave(now_);
  drain(i);
}

void World::crash(std::size_t i) {
  SimNode& n = *nodes_[i];
  if (!n.up) return;
  n.saved_version = n.engine->local_version();
  n.saved_entries = n.engine->local_entries();
  n.saved_items = n.engine->cluster().all();
  n.up = false;
  n.paused = false;
  ++n.epoch;
}

void World::restart(std::size_t i, const std::vector<std::size_t>& seeds) {
  crash(i);
  nodes_[i]->generation++;
  start(i, seeds);
}

void World::pause(std::size_t i, Duration d) {
  SimNode& n = *nodes_[i];
  n.paused = true;
  n.paused_until = now_ + d;
}

Duration World::latency() {
  const auto lo = opt_.net.latency_min.count(), hi = opt_.net.latency_max.count();
  if (hi <= lo) return opt_.net.latency_min;
  return Duration{lo + static_cast<Duration::rep>(rng_.below(static_cast<std::uint64_t>(hi - lo + 1)))};
}

bool World::reachable(std::size_t a, std::size_t b) const {
  return nodes_[a]->group == nodes_[b]->group;
}

std::optional<std::size_t> World::lookup(const Address& a) const {
  auto it = by_addr_.find(a);
  if (it == by_addr_.end()) return std::nullopt;
  return it->second;
}

void World::push(Ev e) {
  e.seq = seq_++;
  heap_.push(std::move(e));
}

void World::drain(std::size_t i) {
  SimNode& n = *nodes_[i];
  if (!n.engine) return;
  gossip::Outbox& out = n.engine->outbox();
  for (auto& d : out.datagrams) {
    ++datagrams_;
    datagram_bytes_ += d.bytes.size();
    max_datagram_ = std::max(max_datagram_, d.bytes.size());
    auto target = lookup(d.to);
    if (!target || !reachable(i, *target)) continue;
    SimNode& t = *nodes_[*target];
    if (opt_.net.loss > 0 && rng_.unit() < opt_.net.loss) continue;
    if (n.faults.egress_loss > 0 && rng_.unit() < n.faults.egress_loss) continue;
    if (t.faults.ingress_loss > 0 && rng_.unit() < t.faults.ingress_loss) continue;
    auto bytes = std::make_shared<const Bytes>(std::move(d.bytes));
    const int copies = (opt_.net.duplicate > 0 && rng_.unit() < opt_.net.duplicate) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      Ev e{};
      e.at = now_ + latency() + t.faults.slow;
      e.kind = Kind::datagram;
      e.node = static_cast<std::uint32_t>(*target);
      e.from = n.address;
      e.bytes = bytes;
      push(std::move(e));
    }
  }
  for (auto& s : out.streams) {
    stream_bytes_ += s.bytes.size();
    auto target = lookup(s.to);
    Ev e{};
    e.node = static_cast<std::uint32_t>(i);
    e.epoch = n.epoch;
    e.stream_id = s.id;
    if (!target || !reachable(i, *target)) {
      if (s.expect_reply) {
        e.kind = Kind::stream_failed;
        e.at = now_ + s.timeout;
        push(std::move(e));
      }
      continue;
    }
    e.kind = Kind::stream_request;
    e.at = now_ + latency() + opt_.net.stream_latency_extra + nodes_[*target]->faults.slow;
    e.node = static_cast<std::uint32_t>(*target);
    e.from = n.address;
    e.src_node = static_cast<std::uint32_t>(i);
    e.src_epoch = n.epoch;
    e.expect_reply = s.expect_reply;
    e.timeout = s.timeout;
    e.bytes = std::make_shared<const Bytes>(std::move(s.bytes));
    push(std::move(e));
  }
  for (auto& t : out.timers) {
    Ev e{};
    e.at = std::max(t.at, now_);
    e.kind = Kind::timer;
    e.node = static_cast<std::uint32_t>(i);
    e.epoch = n.epoch;
    e.timer = std::make_shared<const gossip::Timer>(std::move(t.timer));
    push(std::move(e));
  }
  if (!hooks_.empty()) {
    for (const auto& ev : out.events)
      for (auto& h : hooks_) h(i, ev, now_);
  }
  out.clear();
}

void World::handle(const Ev& e) {
  ++processed_;
  SimNode& n = *nodes_[e.node];
  if (n.up && n.paused) {
    if (now_ < n.paused_until) {
      Ev later = e;
      later.at = n.paused_until;
      push(std::move(later));
      return;
    }
    n.paused = false;
  }
  switch (e.kind) {
    case Kind::timer:
      if (!n.up || e.epoch != n.epoch) return;
      n.engine->on_timer(*e.timer, now_);
      break;
    case Kind::datagram:
      if (!n.up) return;
      ++delivered_;
      n.engine->on_packet(e.from, *e.bytes, now_);
      break;
    case Kind::stream_request: {
      const bool src_ok = nodes_[e.src_node]->up && nodes_[e.src_node]->epoch == e.src_epoch;
      if (!n.up) {
        if (e.expect_reply && src_ok) {
          Ev f{};
          f.at = now_ + latency();  // connection refused
          f.kind = Kind::stream_failed;
          f.node = e.src_node;
          f.epoch = e.src_epoch;
          f.stream_id = e.stream_id;
          push(std::move(f));
        }
        return;
      }
      const std::uint64_t conn = next_conn_++;
      n.engine->on_stream(conn, e.from, *e.bytes, now_);
      if (e.expect_reply) {
        auto& replies = n.engine->outbox().replies;
        auto it = std::find_if(replies.begin(), replies.end(), [&](const gossip::StreamReply& r) { return r.conn == conn; });
        Ev r{};
        r.at = now_ + latency();
        r.node = e.src_node;
        r.epoch = e.src_epoch;
        r.stream_id = e.stream_id;
        if (it != replies.end() && reachable(e.node, e.src_node)) {
          r.kind = Kind::stream_reply;
          stream_bytes_ += it->bytes.size();
          r.bytes = std::make_shared<const Bytes>(std::move(it->bytes));
        } else {
          r.kind = Kind::stream_failed;
        }
        push(std::move(r));
      }
      n.engine->outbox().replies.clear();
      break;
    }
    case Kind::stream_reply:
      if (!n.up || e.epoch != n.epoch) return;
      n.engine->on_stream_reply(e.stream_id, *e.bytes, now_);
      break;
    case Kind::stream_failed:
      if (!n.up || e.epoch != n.epoch) return;
      n.engine->on_stream_failed(e.stream_id, now_);
      break;
    case Kind::resume:
      break;
  }
  drain(e.node);
}

void World::run_until(Instant t) {
  while (!heap_.empty() && heap_.top().at <= t) {
    Ev e = heap_.top();
    heap_.pop();
    now_ = e.at;
    handle(e);
  }
  if (now_ < t) now_ = t;
}

std::optional<Instant> World::run_until(const std::function<bool()>& pred, Duration limit, Duration step) {
  const Instant end = now_ + limit;
  while (true) {
    if (pred()) return now_;
    if (now_ >= end) return std::nullopt;
    run_until(std::min(end, now_ + step));
  }
}

std::optional<membership::MemberState> World::view(std::size_t observer, std::size_t subject) const {
  const SimNode& o = *nodes_[observer];
  if (!o.engine) return std::nullopt;
  const auto* m = o.engine->members().find(nodes_[subject]->id);
  if (!m) return std::nullopt;
  return m->state;
}

}  // namespace rollcall::sim
