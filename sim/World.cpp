#include "sim/World.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "gossip/crypto/Keyring.h"
#include "sim/InlineTimer.h"

namespace rollcall::sim {

namespace {
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
constexpr std::uint32_t kIpBase = 10u << 24;
constexpr std::uint16_t kPort = 7950;
// Node i's address, computed: delivering a datagram need not read the sender's SimNode for it.
Address address_of(std::size_t i) { return Address::v4(kIpBase | static_cast<std::uint32_t>(i + 1), kPort); }
}  // namespace

World::World(Options opt) : opt_(std::move(opt)), rng_(opt_.seed) {
  for (int g = 0; g < kMaxGroups; ++g) links_[g][g] = true;
}
World::~World() = default;

std::size_t World::add_node(gossip::Config cfg, std::string name) {
  const std::size_t i = nodes_.size();
  auto n = std::make_unique<SimNode>();
  n->id = NodeId::from_words(mix(opt_.seed, 0x1d), i + 1);
  n->name = name.empty() ? "node-" + std::to_string(i) : std::move(name);
  n->address = address_of(i);
  n->config = std::move(cfg);
  nodes_.push_back(std::move(n));
  churned_out_.push_back(0);
  return i;
}

std::optional<std::size_t> World::index_of(const NodeId& id) const {
  // Ids are from_words(mix(seed, 0x1d), index + 1): the low word is the index + 1.
  const auto& b = id.bytes();
  std::uint64_t lo = 0;
  for (std::size_t k = 8; k < 16; ++k) lo = (lo << 8) | b[k];
  if (lo == 0 || lo > nodes_.size() || nodes_[lo - 1]->id != id) return std::nullopt;
  return lo - 1;
}

std::optional<std::size_t> World::lookup(const Address& a) const {
  if (a.family() != Address::Family::v4 || a.port() != kPort) return std::nullopt;
  const auto& ip = a.ip_bytes();
  const std::uint32_t v = (std::uint32_t{ip[0]} << 24) | (std::uint32_t{ip[1]} << 16) | (std::uint32_t{ip[2]} << 8) | ip[3];
  if ((v & 0xff000000u) != kIpBase) return std::nullopt;
  const std::uint32_t idx = (v & 0x00ffffffu);
  if (idx == 0 || idx > nodes_.size()) return std::nullopt;
  return idx - 1;
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

std::vector<gossip::wire::MemberUpdate> World::alive_claims() const {
  std::vector<gossip::wire::MemberUpdate> out;
  out.reserve(nodes_.size());
  for (const auto& n : nodes_)
    out.push_back(gossip::wire::MemberUpdate{n->id, n->name, n->address, membership::Incarnation{n->generation, 0},
                                             membership::MemberState::alive, n->id});
  return out;
}

void World::start(std::size_t i, const std::vector<std::size_t>& seeds,
                  std::span<const gossip::wire::MemberUpdate> known) {
  SimNode& n = *nodes_[i];
  if (n.up) return;
  ++n.epoch;
  make_engine(n);
  n.up = true;
  n.engine->restore_local(n.saved_version, n.saved_entries, now_);
  n.engine->restore_cluster_items(n.saved_items, now_);
  if (!known.empty()) n.engine->restore_members(known, now_);
  n.engine->start(now_);
  for (auto& h : lifecycle_hooks_) h(i, true, now_);
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

void World::set_local(std::size_t i, const std::string& key, membership::StateValue value) {
  if (!nodes_[i]->up) return;
  nodes_[i]->engine->set_local(key, std::move(value), now_);
  drain(i);
}

membership::ClusterItem World::write_cluster(std::size_t i, const std::string& key, membership::ClusterValue value) {
  auto item = nodes_[i]->engine->write_cluster(key, std::move(value), now_);
  drain(i);
  return item;
}

void World::crash(std::size_t i) {
  SimNode& n = *nodes_[i];
  if (!n.up) return;
  n.ever_faulty = true;
  n.saved_version = n.engine->local_version();
  n.saved_entries = n.engine->local_entries();
  n.saved_items = n.engine->cluster().all();
  n.up = false;
  n.paused = false;
  ++n.epoch;
  for (auto& h : lifecycle_hooks_) h(i, false, now_);
}

void World::restart(std::size_t i, const std::vector<std::size_t>& seeds) {
  crash(i);
  nodes_[i]->generation++;
  start(i, seeds);
}

void World::pause(std::size_t i, Duration d) {
  SimNode& n = *nodes_[i];
  n.ever_faulty = true;
  n.paused_until = n.paused ? std::max(n.paused_until, now_ + d) : now_ + d;
  n.paused = true;
}

void World::set_partition(std::size_t i, int group) {
  nodes_[i]->group = std::clamp(group, 0, kMaxGroups - 1);
  if (group != 0) nodes_[i]->ever_cut = true;
}

void World::set_link(int from_group, int to_group, bool open) {
  links_[static_cast<std::size_t>(std::clamp(from_group, 0, kMaxGroups - 1))]
        [static_cast<std::size_t>(std::clamp(to_group, 0, kMaxGroups - 1))] = open;
}

void World::heal() {
  for (auto& n : nodes_) n->group = 0;
  for (int a = 0; a < kMaxGroups; ++a)
    for (int b = 0; b < kMaxGroups; ++b) links_[a][b] = (a == b);
}

void World::at(Instant t, std::function<void()> fn) {
  SimEvent e;
  e.at = std::max(t, now_);
  e.kind = Kind::action;
  e.payload = actions_.put(std::move(fn));
  push(e);
}

void World::flip_flop(std::size_t i, Duration half_period, Instant until) {
  nodes_[i]->ever_faulty = true;
  flip_flop_step(i, half_period, until, nodes_[i]->faults.ingress_loss, true);
}

void World::flip_flop_step(std::size_t i, Duration half, Instant until, double restore, bool drop) {
  SimNode& n = *nodes_[i];
  if (now_ >= until || half <= Duration::zero()) {
    n.faults.ingress_loss = restore;
    return;
  }
  n.faults.ingress_loss = drop ? 1.0 : restore;
  at(std::min(until, now_ + half), [this, i, half, until, restore, drop] { flip_flop_step(i, half, until, restore, !drop); });
}

void World::churn(ChurnSpec spec) {
  if (spec.eligible.empty()) {
    for (std::size_t i = 0; i < nodes_.size(); ++i)
      if (std::find(spec.seeds.begin(), spec.seeds.end(), i) == spec.seeds.end()) spec.eligible.push_back(i);
  }
  if (!(spec.rate_per_s > 0)) return;
  auto shared = std::make_shared<const ChurnSpec>(std::move(spec));
  const Duration gap = membership::Duration{static_cast<Duration::rep>(-std::log(1.0 - rng_.unit()) / shared->rate_per_s * 1e6)};
  at(std::max(now_, shared->from) + gap, [this, shared] { churn_step(shared); });
}

void World::churn_step(std::shared_ptr<const ChurnSpec> spec) {
  if (now_ >= spec->until) return;
  std::vector<std::size_t> candidates;
  for (auto i : spec->eligible)
    if (i < nodes_.size() && live(i) && !nodes_[i]->paused && !churned_out_[i]) candidates.push_back(i);
  if (!candidates.empty()) {
    const std::size_t i = candidates[rng_.below(candidates.size())];
    nodes_[i]->ever_faulty = true;
    churned_out_[i] = 1;
    if (spec->graceful)
      leave(i);
    else
      crash(i);
    at(now_ + spec->downtime, [this, i, spec] {
      churned_out_[i] = 0;
      restart(i, spec->seeds);
    });
  }
  const Duration gap = membership::Duration{static_cast<Duration::rep>(-std::log(1.0 - rng_.unit()) / spec->rate_per_s * 1e6)};
  if (now_ + gap < spec->until) at(now_ + gap, [this, spec] { churn_step(spec); });
}

void World::push(SimEvent e) {
  e.seq = seq_++;
  heap_.push(e);
}

void World::drain(std::size_t i) {
  SimNode& n = *nodes_[i];
  if (!n.engine) return;
  gossip::Outbox& out = n.engine->outbox();
  for (auto& d : out.datagrams) {
    const std::size_t size = d.bytes.size();
    ++datagrams_;
    datagram_bytes_ += size;
    ++n.msgs_out;
    n.bytes_out += size;
    max_datagram_ = std::max(max_datagram_, size);
    auto target = lookup(d.to);
    if (!target || !link_open(i, *target)) continue;
    SimNode& t = *nodes_[*target];
    if (opt_.net.loss > 0 && rng_.unit() < opt_.net.loss) continue;
    if (n.faults.egress_loss > 0 && rng_.unit() < n.faults.egress_loss) continue;
    if (t.faults.ingress_loss > 0 && rng_.unit() < t.faults.ingress_loss) continue;
    const bool dup = opt_.net.duplicate > 0 && rng_.unit() < opt_.net.duplicate;
    SimEvent e;
    e.kind = Kind::datagram;
    e.node = static_cast<std::uint32_t>(*target);
    e.src = static_cast<std::uint32_t>(i);
    if (dup) {
      e.at = now_ + latency() + t.faults.slow;
      e.payload = bytes_.put(d.bytes);
      push(e);
    }
    e.at = now_ + latency() + t.faults.slow;
    e.payload = bytes_.put(std::move(d.bytes));
    push(e);
  }
  for (auto& s : out.streams) {
    stream_bytes_ += s.bytes.size();
    ++n.msgs_out;
    n.bytes_out += s.bytes.size();
    const auto target = lookup(s.to);
    const bool open = target && stream_open(i, *target);
    if (!open && !s.expect_reply) continue;
    const std::uint32_t slot = streams_.put(StreamSlot{s.id, std::move(s.bytes), static_cast<std::uint32_t>(i),
                                                       static_cast<std::uint32_t>(n.epoch), 0, s.expect_reply, false});
    if (s.expect_reply) {  // the opener gives up after the timeout whatever happens
      SimEvent f;
      f.at = now_ + s.timeout;
      f.kind = Kind::stream_failed;
      f.node = static_cast<std::uint32_t>(i);
      f.epoch = static_cast<std::uint32_t>(n.epoch);
      f.payload = slot;
      streams_[slot].refs++;
      push(f);
    }
    if (!open) continue;
    SimEvent e;
    e.at = now_ + latency() + opt_.net.stream_latency_extra + tcp_retransmit_delay(i, *target, true) +
           nodes_[*target]->faults.slow;
    e.kind = Kind::stream_request;
    e.node = static_cast<std::uint32_t>(*target);
    e.src = static_cast<std::uint32_t>(i);
    e.payload = slot;
    streams_[slot].refs++;
    push(e);
  }
  for (auto& t : out.timers) {
    SimEvent e;
    e.at = std::max(t.at, now_);
    e.kind = Kind::timer;
    e.node = static_cast<std::uint32_t>(i);
    e.epoch = static_cast<std::uint32_t>(n.epoch);
    if (const auto packed = pack(t.timer)) {
      store(e, *packed);
    } else {
      e.payload = timers_.put(std::move(t.timer));
    }
    push(e);
  }
  if (!hooks_.empty()) {
    for (const auto& ev : out.events)
      for (auto& h : hooks_) h(i, ev, now_);
  }
  out.clear();
  // A burst (a warm start's N member events, a join's N updates) must not stay allocated in every
  // engine's outbox for the rest of the run: at 10,000 nodes that is ~100 bytes per node pair.
  constexpr std::size_t kKeep = 256;
  if (out.events.capacity() > kKeep) decltype(out.events)().swap(out.events);
  if (out.datagrams.capacity() > kKeep) decltype(out.datagrams)().swap(out.datagrams);
  if (out.timers.capacity() > kKeep) decltype(out.timers)().swap(out.timers);
}

void World::release(const SimEvent& e) {
  switch (e.kind) {
    case Kind::timer:
      if (e.timer == SimEvent::kPooled) timers_.release(e.payload);
      break;
    case Kind::datagram: bytes_.release(e.payload); break;
    case Kind::action: actions_.release(e.payload); break;
    case Kind::stream_request:
    case Kind::stream_reply:
    case Kind::stream_failed: {
      StreamSlot& s = streams_[e.payload];
      if (--s.refs == 0) {
        s.bytes = Bytes{};
        streams_.release(e.payload);
      }
      break;
    }
  }
}

double World::path_loss(std::size_t a, std::size_t b) const {
  return 1.0 - (1.0 - opt_.net.loss) * (1.0 - nodes_[a]->faults.egress_loss) * (1.0 - nodes_[b]->faults.ingress_loss);
}

Duration World::tcp_retransmit_delay(std::size_t a, std::size_t b, bool handshake) {
  const double fwd = path_loss(a, b);
  const double back = handshake ? path_loss(b, a) : 0.0;
  if (fwd <= 0.0 && back <= 0.0) return Duration::zero();
  Duration total = Duration::zero();
  auto segment = [&](double p, Duration rto) {
    for (int k = 0; k < 6 && p > 0.0 && rng_.unit() < p; ++k) total += rto * (Duration::rep{1} << k);
  };
  if (handshake) {
    segment(fwd, std::chrono::seconds(1));   // SYN
    segment(back, std::chrono::seconds(1));  // SYN-ACK (the SYN is retransmitted)
  }
  segment(fwd, std::chrono::milliseconds(200));  // the data
  return total;
}

void World::deliver_stream(const SimEvent& e) {
  SimNode& n = *nodes_[e.node];
  StreamSlot& s = streams_[e.payload];
  SimEvent answer;
  answer.node = s.src;
  answer.epoch = s.src_epoch;
  answer.payload = e.payload;
  answer.at = now_ + latency();
  if (!n.up || n.engine->stopped()) {  // connection refused
    if (s.expect_reply) {
      answer.kind = Kind::stream_failed;
      s.refs++;
      push(answer);
    }
    return;
  }
  const std::uint64_t conn = next_conn_++;
  ++streams_delivered_;
  ++n.msgs_in;
  n.bytes_in += s.bytes.size();
  n.engine->on_stream(conn, address_of(s.src), s.bytes, now_);
  auto& replies = n.engine->outbox().replies;
  if (s.expect_reply) {
    auto it = std::find_if(replies.begin(), replies.end(), [&](const gossip::StreamReply& r) { return r.conn == conn; });
    if (it != replies.end() && stream_open(e.node, s.src)) {
      answer.at += tcp_retransmit_delay(e.node, s.src, false);
      answer.kind = Kind::stream_reply;
      stream_bytes_ += it->bytes.size();
      ++n.msgs_out;
      n.bytes_out += it->bytes.size();
      s.bytes = std::move(it->bytes);
    } else {
      answer.kind = Kind::stream_failed;
    }
    s.refs++;
    push(answer);
  }
  replies.clear();
  drain(e.node);
}

void World::handle(SimEvent& e) {
  ++processed_;
  if (e.kind == Kind::action) {
    auto fn = std::move(actions_[e.payload]);
    release(e);
    fn();
    return;
  }
  SimNode& n = *nodes_[e.node];
  if (n.up && n.paused) {
    if (now_ < n.paused_until) {  // handled when the pause ends, in the original order
      e.at = n.paused_until;
      push(e);
      return;
    }
    n.paused = false;
  }
  switch (e.kind) {
    case Kind::timer:
      if (n.up && e.epoch == static_cast<std::uint32_t>(n.epoch)) {
        if (e.timer == SimEvent::kPooled) {
          n.engine->on_timer(timers_[e.payload], now_);
        } else {
          n.engine->on_timer(unpack(packed_timer(e)), now_);
        }
        drain(e.node);
      }
      break;
    case Kind::datagram:
      if (n.up) {
        const Bytes& b = bytes_[e.payload];
        ++delivered_;
        ++n.msgs_in;
        n.bytes_in += b.size();
        n.engine->on_packet(address_of(e.src), b, now_);
        drain(e.node);
      }
      break;
    case Kind::stream_request:
      deliver_stream(e);
      break;
    case Kind::stream_reply:
    case Kind::stream_failed: {
      StreamSlot& s = streams_[e.payload];
      if (!s.finished && n.up && e.epoch == static_cast<std::uint32_t>(n.epoch)) {
        s.finished = true;
        if (e.kind == Kind::stream_reply) {
          ++streams_delivered_;
          ++n.msgs_in;
          n.bytes_in += s.bytes.size();
          n.engine->on_stream_reply(s.stream_id, s.bytes, now_);
        } else {
          n.engine->on_stream_failed(s.stream_id, now_);
        }
        drain(e.node);
      }
      break;
    }
    case Kind::action:
      break;
  }
  release(e);
}

void World::run_until(Instant t) {
  SimEvent e;
  while (heap_.pop_due(t, e)) {
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
