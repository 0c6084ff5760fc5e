#include "sim/Runner.h"

#include <algorithm>

#include "membership/ContentDigest.h"
#include "membership/StateKeys.h"

namespace rollcall::sim {

namespace {
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
constexpr Duration kCheckStep = std::chrono::milliseconds(100);
}  // namespace

Runner::Runner(Scenario scenario, Options opt)
    : sc_(std::move(scenario)),
      opt_(std::move(opt)),
      n_(opt_.nodes ? opt_.nodes : sc_.nodes),
      rng_(mix(opt_.seed, 0x5c3e4a)) {
  end_ = Instant{} + opt_.duration.value_or(sc_.duration);
  World::Options wo;
  wo.seed = opt_.seed;
  wo.net = sc_.network;
  wo.encrypt = opt_.encrypt.value_or(sc_.encrypt);
  wo.cluster = "sim";
  world_ = std::make_unique<World>(wo);
  for (std::size_t i = 0; i < n_; ++i) world_->add_node(sc_.engine);
  recorder_ = std::make_unique<Recorder>(*world_);
  for (std::size_t i = 0; i < std::min(sc_.start.seeds, n_); ++i) seeds_.push_back(i);
  started_.assign(n_, 0);
  msgs_out0_.assign(n_, 0);
  bytes_out0_.assign(n_, 0);
  msgs_in0_.assign(n_, 0);
}

Runner::~Runner() = default;

std::vector<std::size_t> Runner::rejoin_peers(std::size_t i) {
  // Like the data directory's last known peers: the seeds plus a few live members.
  std::vector<std::size_t> peers;
  for (auto s : seeds_)
    if (s != i && world_->live(s)) peers.push_back(s);
  for (int k = 0; k < 8 && peers.size() < seeds_.size() + 3; ++k) {
    const std::size_t p = rng_.below(n_);
    if (p != i && world_->live(p) && std::find(peers.begin(), peers.end(), p) == peers.end()) peers.push_back(p);
  }
  if (peers.empty())
    for (auto s : seeds_)
      if (s != i) peers.push_back(s);
  return peers;
}

void Runner::schedule_starts() {
  std::shared_ptr<const std::vector<gossip::wire::MemberUpdate>> known;
  if (sc_.start.warm) known = std::make_shared<const std::vector<gossip::wire::MemberUpdate>>(world_->alive_claims());
  for (std::size_t i = 0; i < n_; ++i) {
    SimNode& node = world_->node(i);
    if (sc_.workload.publish_state) {
      // What the agent publishes at start-up, persisted like a data directory.
      const std::string ip = node.address.ip_string();
      membership::ServerInfo info;
      info.name = node.name;
      info.os_name = "Debian GNU/Linux";
      info.os_version = "12";
      info.addresses = {ip};
      info.agent_version = "0.1.0";
      info.protocol_version = 1;
      info.host_id = "host-" + std::to_string(i);
      std::uint64_t v = 0;
      node.saved_entries.push_back({std::string(membership::StateKeys::kServer), ++v, info});
      for (const auto& kind : sc_.workload.components)
        node.saved_entries.push_back(
            {membership::StateKeys::component(kind), ++v, membership::ComponentInfo{kind, "1.0.0", "http://" + ip + ":8624"}});
      node.saved_version = v;
    }
    const bool seed = std::find(seeds_.begin(), seeds_.end(), i) == seeds_.end() ? false : true;
    Duration offset{};
    // Warm: everyone starts at t = 0, since a node must not probe a restored peer that has not
    // started yet (it would be suspected, and at 10,000 nodes that suspicion wave is a storm).
    if (!seed && !sc_.start.warm && sc_.start.spread > Duration::zero())
      offset = Duration{static_cast<Duration::rep>(rng_.below(static_cast<std::uint64_t>(sc_.start.spread.count())))};
    world_->at(Instant{} + offset, [this, i, known] {
      std::vector<std::size_t> via;
      if (!known)
        for (auto s : seeds_)
          if (s != i) via.push_back(s);
      world_->start(i, via, known ? std::span<const gossip::wire::MemberUpdate>(*known)
                                  : std::span<const gossip::wire::MemberUpdate>{});
      if (!started_[i]) {
        started_[i] = 1;
        ++started_count_;
      }
    });
    if (sc_.workload.heartbeat_interval > Duration::zero()) {
      const Duration hb = sc_.workload.heartbeat_interval;
      const Duration phase{static_cast<Duration::rep>(rng_.below(static_cast<std::uint64_t>(hb.count())))};
      auto counter = std::make_shared<std::uint64_t>(0);
      auto beat = std::make_shared<std::function<void()>>();
      *beat = [this, i, hb, counter, beat] {
        if (world_->live(i))
          for (const auto& kind : sc_.workload.components)
            world_->set_local(i, membership::StateKeys::heartbeat(kind), membership::Heartbeat{++*counter});
        if (world_->now() + hb < end_) world_->at(world_->now() + hb, [beat] { (*beat)(); });
      };
      world_->at(Instant{} + offset + phase, [beat] { (*beat)(); });
    }
  }
}

void Runner::note_disturbance(std::optional<Instant> end) {
  if (!end) {
    open_ended_ = true;
    return;
  }
  if (!disturbance_end_ || *end > *disturbance_end_) disturbance_end_ = *end;
  converged_.reset();
}

void Runner::check_bootstrap() {
  if (all_see_all_ || started_count_ < n_) return;
  const ViewTracker& v = recorder_->views();
  const std::size_t live = v.live_observers();
  const double known = static_cast<double>(v.totals()[ViewTracker::alive] + v.totals()[ViewTracker::suspect]);
  const double pairs = static_cast<double>(live) * static_cast<double>(live);
  if (!pairs_99_ && known >= 0.99 * pairs) pairs_99_ = world_->now();
  if (!pairs_999_ && known >= 0.999 * pairs) pairs_999_ = world_->now();
  for (std::size_t i = 0; i < n_; ++i) {
    if (!v.counting(i)) continue;
    const auto& s = v.seen(i);
    if (s[ViewTracker::alive] + s[ViewTracker::suspect] != live) return;
  }
  all_see_all_ = world_->now();
  if (!pairs_99_) pairs_99_ = all_see_all_;
  if (!pairs_999_) pairs_999_ = all_see_all_;
  load_from_ = world_->now();
  for (std::size_t i = 0; i < n_; ++i) {
    msgs_out0_[i] = world_->node(i).msgs_out;
    bytes_out0_[i] = world_->node(i).bytes_out;
    msgs_in0_[i] = world_->node(i).msgs_in;
  }
}

bool Runner::views_correct() const {
  const ViewTracker& v = recorder_->views();
  const std::size_t live = v.live_observers();
  for (std::size_t i = 0; i < n_; ++i) {
    const auto& s = v.seen(i);
    const std::size_t seen_live = s[ViewTracker::alive] + s[ViewTracker::suspect];
    if (v.counting(i) ? seen_live != live : seen_live != 0) return false;
  }
  return true;
}

bool Runner::digests_equal() const {
  std::optional<std::uint64_t> first;
  for (std::size_t i = 0; i < n_; ++i) {
    if (!recorder_->views().counting(i)) continue;
    const gossip::Engine& e = world_->engine(i);
    const auto members = e.members().snapshot();
    const std::uint64_t d = membership::ContentDigest::compute(members, e.state(), e.cluster());
    if (!first) {
      first = d;
    } else if (*first != d) {
      return false;
    }
  }
  return true;
}

void Runner::check_convergence() {
  if (!disturbance_end_ || open_ended_ || converged_ || world_->now() < *disturbance_end_) return;
  if (views_correct() && digests_equal()) converged_ = world_->now();
}

Results Runner::run() {
  schedule_starts();
  // Counters one minute before the end: the load of the last minute is the steady state.
  tail_from_ = end_ - std::min<Duration>(std::chrono::seconds(60), (end_ - Instant{}) / 2);
  tail_msgs0_.assign(n_, 0);
  world_->at(tail_from_, [this] {
    for (std::size_t i = 0; i < n_; ++i) tail_msgs0_[i] = world_->node(i).msgs_out;
  });
  for (const auto& e : sc_.events) schedule_event(e);
  const Duration total = end_ - Instant{};
  Duration sample = std::max<Duration>(std::chrono::milliseconds(100), total / 600);
  sample = std::chrono::duration_cast<std::chrono::milliseconds>(sample);
  Instant next_sample{};
  Instant next_progress = Instant{} + opt_.progress_every;
  while (true) {
    const Instant now = world_->now();
    if (now >= next_sample) {
      recorder_->sample();
      next_sample += sample;
    }
    if (now >= end_) break;
    const bool waiting = !all_see_all_ || (disturbance_end_ && !open_ended_ && !converged_ && now >= *disturbance_end_);
    Instant t = std::min(end_, next_sample);
    if (waiting) t = std::min(t, now + kCheckStep);
    world_->run_until(t);
    check_bootstrap();
    check_convergence();
    if (opt_.progress && world_->now() >= next_progress) {
      opt_.progress(world_->now(), end_);
      next_progress = world_->now() + opt_.progress_every;
    }
  }
  Results r = assemble();
  evaluate(r);
  return r;
}

}  // namespace rollcall::sim
