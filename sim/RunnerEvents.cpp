// Runner: executing a scenario's timed events (faults and tracked changes).
#include <algorithm>
#include <cmath>

#include "membership/ClusterItems.h"
#include "membership/StateKeys.h"
#include "sim/Runner.h"

namespace rollcall::sim {

using K = ScenarioEvent::Kind;

std::vector<std::size_t> Runner::resolve(const NodeSelection& sel, bool default_all, bool down) {
  std::vector<std::size_t> out;
  if (!sel.nodes.empty()) {
    for (auto i : sel.nodes)
      if (i < n_) out.push_back(i);
    return out;
  }
  std::vector<std::size_t> cand;
  for (int pass = down ? 0 : 1; pass < 2 && cand.empty(); ++pass) {
    for (std::size_t i = 0; i < n_; ++i) {
      if (pass == 0 ? (world_->live(i) || !started_[i]) : !world_->live(i)) continue;
      if (!sel.include_seeds && std::find(seeds_.begin(), seeds_.end(), i) != seeds_.end()) continue;
      if (sel.group >= 0 && world_->node(i).group != sel.group) continue;
      cand.push_back(i);
    }
  }
  std::size_t k = 1;
  if (sel.all || (default_all && sel.count == 0 && sel.fraction == 0)) {
    k = cand.size();
  } else if (sel.count > 0) {
    k = sel.count;
  } else if (sel.fraction > 0) {
    k = static_cast<std::size_t>(std::ceil(sel.fraction * static_cast<double>(n_) - 1e-9));
  }
  k = std::min(k, cand.size());
  switch (sel.from) {
    case NodeSelection::From::first: out.assign(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(k)); break;
    case NodeSelection::From::last: out.assign(cand.end() - static_cast<std::ptrdiff_t>(k), cand.end()); break;
    case NodeSelection::From::random:
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t r = j + rng_.below(cand.size() - j);
        std::swap(cand[j], cand[r]);
      }
      out.assign(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(k));
      std::sort(out.begin(), out.end());
      break;
  }
  return out;
}

void Runner::schedule_event(const ScenarioEvent& e) {
  const Instant at = Instant{} + e.at;
  // When does this disturbance end (for the convergence measurement)?
  std::optional<Instant> until = at;
  switch (e.kind) {
    case K::pause:
    case K::flip_flop:
    case K::partition:
    case K::one_way:
      until = at + e.duration;  // partition with 0 duration: until a heal event
      break;
    case K::slow:
    case K::loss:
    case K::ingress_loss:
    case K::egress_loss:
      if (e.duration > Duration::zero()) {
        until = at + e.duration;
      } else {
        until.reset();
      }
      break;
    case K::churn: until = at + (e.duration > Duration::zero() ? e.duration : end_ - at) + e.downtime; break;
    case K::restart_wave: {
      const std::size_t count = e.select.nodes.empty() ? n_ : e.select.nodes.size();
      until = at + e.interval * static_cast<Duration::rep>(count) + e.downtime;
      break;
    }
    default: break;
  }
  if (until && *until >= end_) until.reset();
  note_disturbance(until);
  world_->at(at, [this, e] { apply(e); });
}

void Runner::apply(const ScenarioEvent& e) {
  const Instant now = world_->now();
  World& w = *world_;
  switch (e.kind) {
    case K::crash:
      for (auto i : resolve(e.select)) {
        w.crash(i);
        recorder_->track_crash(i);
      }
      break;
    case K::restart:
      for (auto i : resolve(e.select, false, /*down=*/true)) w.restart(i, rejoin_peers(i));
      break;
    case K::restart_wave: {
      NodeSelection sel = e.select;
      if (sel.nodes.empty() && sel.count == 0 && sel.fraction == 0) sel.include_seeds = true;
      const auto nodes = resolve(sel, /*default_all=*/true);
      for (std::size_t k = 0; k < nodes.size(); ++k) {
        const std::size_t i = nodes[k];
        const Instant down = now + e.interval * static_cast<Duration::rep>(k);
        w.at(down, [this, i, d = e.downtime] {
          if (d <= Duration::zero()) {
            world_->restart(i, rejoin_peers(i));
            return;
          }
          world_->crash(i);
          world_->at(world_->now() + d, [this, i] { world_->restart(i, rejoin_peers(i)); });
        });
      }
      break;
    }
    case K::leave:
      for (auto i : resolve(e.select)) w.leave(i);
      break;
    case K::pause:
      for (auto i : resolve(e.select)) w.pause(i, e.duration);
      break;
    case K::slow:
      for (auto i : resolve(e.select)) {
        w.node(i).faults.slow = e.delay;
        w.node(i).ever_faulty = true;
        if (e.duration > Duration::zero()) w.at(now + e.duration, [this, i] { world_->node(i).faults.slow = {}; });
      }
      break;
    case K::flip_flop:
      for (auto i : resolve(e.select)) w.flip_flop(i, e.period, e.duration > Duration::zero() ? now + e.duration : end_);
      break;
    case K::churn: {
      ChurnSpec spec;
      spec.rate_per_s = e.rate;
      spec.from = now;
      spec.until = e.duration > Duration::zero() ? now + e.duration : end_;
      spec.downtime = e.downtime;
      spec.graceful = e.graceful;
      spec.seeds = seeds_;
      w.churn(std::move(spec));
      break;
    }
    case K::partition:
    case K::one_way: {
      for (auto i : resolve(e.select)) w.set_partition(i, e.group);
      if (e.kind == K::one_way) {
        // Cut only one direction between the group and everyone else.
        for (int g = 0; g < World::kMaxGroups; ++g) {
          if (g == e.group) continue;
          if (e.direction == "in") {
            w.set_link(e.group, g, true);  // the group still sends, receives nothing
          } else {
            w.set_link(g, e.group, true);  // the group still receives, sends nothing
          }
        }
      }
      if (e.duration > Duration::zero()) w.at(now + e.duration, [this] { world_->heal(); });
      break;
    }
    case K::heal: w.heal(); break;
    case K::loss: {
      const double before = w.net().loss;
      w.net().loss = e.value;
      if (e.duration > Duration::zero()) w.at(now + e.duration, [this, before] { world_->net().loss = before; });
      break;
    }
    case K::ingress_loss:
    case K::egress_loss:
      for (auto i : resolve(e.select)) {
        double& knob = e.kind == K::ingress_loss ? w.node(i).faults.ingress_loss : w.node(i).faults.egress_loss;
        knob = e.value;
        w.node(i).ever_faulty = true;
        if (e.duration > Duration::zero())
          w.at(now + e.duration, [this, i, in = e.kind == K::ingress_loss] {
            (in ? world_->node(i).faults.ingress_loss : world_->node(i).faults.egress_loss) = 0;
          });
      }
      break;
    case K::version_bump:
      for (auto i : resolve(e.select)) {
        const std::string key = membership::StateKeys::component(e.component);
        w.set_local(i, key,
                    membership::ComponentInfo{e.component, e.version, "http://" + w.address(i).ip_string() + ":8624"});
        recorder_->track_state(i, w.engine(i).local_version(), key, "version_bump");
      }
      break;
    case K::config_change:
      for (auto i : resolve(e.select)) {
        const auto cfg = e.config.apply(w.engine(i).cluster().config());
        const auto item = w.write_cluster(i, std::string(membership::ClusterItems::kConfigKey), cfg);
        config_writes_.push_back(item);
        recorder_->track_item(i, item, "config_change");
      }
      break;
    case K::removal: {
      const auto writers = resolve(e.select);
      NodeSelection tsel = e.target;
      tsel.include_seeds = tsel.include_seeds || !tsel.nodes.empty();
      const auto targets = resolve(tsel);
      if (writers.empty() || targets.empty()) break;
      const std::size_t wi = writers.front();
      for (auto t : targets) {
        membership::Removal r;
        r.server = w.node(t).id;
        r.component = e.component;
        if (e.component.empty()) {
          r.generation = w.node(t).generation;
        } else if (const auto* held = w.engine(wi).state().find(r.server, membership::StateKeys::component(e.component))) {
          r.owner_version = held->entry.version;
        }
        const auto item = w.write_cluster(wi, membership::ClusterItems::removal_key(r.server, e.component), r);
        removals_.push_back(item);
        recorder_->track_item(wi, item, "removal");
      }
      break;
    }
  }
}

}  // namespace rollcall::sim
