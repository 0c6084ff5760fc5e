// Runner: turning what the Recorder saw into Results, and checking the scenario's expectations.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "gossip/Formulas.h"
#include "membership/ClusterItems.h"
#include "membership/TableBuilder.h"
#include "sim/Runner.h"

namespace rollcall::sim {

namespace {
double secs(Duration d) { return membership::to_seconds(d); }
double at_s(Instant t) { return membership::to_seconds(t.time_since_epoch()); }
std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
}  // namespace

Results Runner::assemble() {
  Results r;
  World& w = *world_;
  const Recorder& rec = *recorder_;
  r.scenario = sc_.name;
  r.description = sc_.description;
  r.seed = opt_.seed;
  r.nodes = n_;
  r.duration_s = at_s(end_);
  r.encrypt = w.options().encrypt;
  r.engine = sc_.engine;
  r.network = sc_.network;
  if (!rec.series().t_s.empty()) r.sample_interval_s = rec.series().t_s.size() > 1 ? rec.series().t_s[1] - rec.series().t_s[0] : 0;
  if (all_see_all_) r.all_see_all_s = at_s(*all_see_all_);
  if (pairs_99_) r.pairs_99_s = at_s(*pairs_99_);
  if (pairs_999_) r.pairs_999_s = at_s(*pairs_999_);

  // Failure detection.
  const auto min = gossip::formulas::suspicion_min(sc_.engine.suspicion_mult, n_, sc_.engine.probe_interval);
  const auto max = gossip::formulas::suspicion_max(sc_.engine.suspicion_max_mult, min);
  r.detection_bound_s = secs(sc_.engine.probe_interval * static_cast<Duration::rep>(n_) + max + 20 * sc_.engine.gossip_interval);
  std::vector<double> first, everywhere, per_observer;
  for (const auto& c : rec.crashes()) {
    Results::Crash x;
    x.node = c.node;
    x.at_s = at_s(c.at);
    if (c.first_suspicion) {
      x.first_suspicion_s = secs(*c.first_suspicion - c.at);
      first.push_back(*x.first_suspicion_s);
    }
    if (c.dead_everywhere) {
      x.dead_everywhere_s = secs(*c.dead_everywhere - c.at);
      everywhere.push_back(*x.dead_everywhere_s);
    } else {
      ++r.undetected;
    }
    x.dead_after_s = c.dead_after_s;
    std::sort(x.dead_after_s.begin(), x.dead_after_s.end());
    per_observer.insert(per_observer.end(), x.dead_after_s.begin(), x.dead_after_s.end());
    x.observers = rec.views().live_observers();
    r.crashes.push_back(std::move(x));
  }
  r.first_suspicion = Summary::of(first);
  r.dead_everywhere = Summary::of(everywhere);
  r.dead_per_observer = Summary::of(per_observer);

  // False positives.
  for (std::size_t i = 0; i < n_; ++i)
    if (rec.healthy(i)) ++r.healthy_nodes;
  r.false_suspicions = rec.false_suspicions();
  r.false_dead = rec.false_dead();
  r.false_dead_subjects = rec.false_dead_subjects();
  r.suspicions_total = rec.suspicions();
  r.dead_total = rec.deads();
  r.refutations = rec.refutations();

  // Dissemination.
  r.epidemic_floor_rounds = gossip::formulas::epidemic_rounds(sc_.engine.gossip_fanout, n_);
  std::vector<double> spread;
  for (const auto& c : rec.changes()) {
    Results::Change x;
    x.kind = c.kind;
    x.key = c.key;
    x.origin = c.origin;
    x.at_s = at_s(c.at);
    x.targets = c.targets;
    x.reached = c.aware;
    if (c.reached_all) {
      x.reached_all_s = secs(*c.reached_all - c.at);
      x.rounds = *x.reached_all_s / secs(sc_.engine.gossip_interval);
      spread.push_back(*x.reached_all_s);
    }
    x.aware_after_s = c.aware_after_s;
    std::sort(x.aware_after_s.begin(), x.aware_after_s.end());
    r.changes.push_back(std::move(x));
  }
  r.dissemination_s = Summary::of(spread);

  // Convergence.
  if (disturbance_end_ && !open_ended_) {
    r.disturbance_end_s = at_s(*disturbance_end_);
    if (converged_) r.converged_after_s = secs(*converged_ - *disturbance_end_);
  }

  // Load over the steady window.
  const double window = secs(end_ - load_from_);
  r.load_window_s = window;
  std::vector<double> out_m, out_b, in_m;
  r.per_node_msgs_out_s.assign(n_, 0.0);
  for (std::size_t i = 0; i < n_; ++i) {
    const SimNode& node = w.node(i);
    const double m = window > 0 ? static_cast<double>(node.msgs_out - msgs_out0_[i]) / window : 0;
    r.per_node_msgs_out_s[i] = m;
    out_m.push_back(m);
    out_b.push_back(window > 0 ? static_cast<double>(node.bytes_out - bytes_out0_[i]) / window : 0);
    in_m.push_back(window > 0 ? static_cast<double>(node.msgs_in - msgs_in0_[i]) / window : 0);
    if (node.engine) {
      const auto& mt = node.engine->metrics();
      r.probes += mt.probes_sent;
      r.probes_failed += mt.probes_failed;
      r.indirect_probes += mt.indirect_probes;
      r.tcp_fallback_probes += mt.tcp_fallback_probes;
      r.push_pulls += mt.push_pulls;
      r.push_pull_failures += mt.push_pull_failures;
      r.broadcasts_dropped += mt.broadcasts_dropped;
    }
  }
  r.msgs_out_per_node_s = Summary::of(out_m);
  r.tail_window_s = secs(end_ - tail_from_);
  std::vector<double> tail;
  for (std::size_t i = 0; i < n_; ++i)
    tail.push_back(static_cast<double>(w.node(i).msgs_out - tail_msgs0_[i]) / r.tail_window_s);
  r.tail_msgs_out_per_node_s = Summary::of(tail);
  r.bytes_out_per_node_s = Summary::of(out_b);
  r.msgs_in_per_node_s = Summary::of(in_m);
  const auto& series = rec.series();
  r.queue_depth.n = series.queue_samples;
  r.queue_depth.mean = series.queue_samples ? series.queue_sum / static_cast<double>(series.queue_samples) : 0;
  r.queue_depth.max = series.queue_max;
  r.datagrams = w.datagrams_sent();
  r.datagrams_delivered = w.datagrams_delivered();
  r.datagram_bytes = w.datagram_bytes();
  r.streams = w.streams_delivered();
  r.stream_bytes = w.stream_bytes();
  r.max_datagram = w.max_datagram();
  r.events = w.events_processed();

  r.t_s = series.t_s;
  r.alive = series.alive;
  r.suspect = series.suspect;
  r.dead = series.dead;
  r.live_nodes = series.live;
  return r;
}

void Runner::evaluate(Results& r) {
  const Expectations& x = sc_.expect;
  auto check = [&](std::string name, bool ok, std::string detail) {
    r.checks.push_back({std::move(name), ok, std::move(detail)});
    if (!ok) r.passed = false;
  };
  if (x.no_false_dead) {
    check("no_false_dead", !*x.no_false_dead || r.false_dead == 0,
          std::to_string(r.false_dead) + " dead declarations of healthy nodes (" +
              std::to_string(r.false_dead_subjects) + " distinct of " + std::to_string(r.healthy_nodes) + " healthy)");
  }
  if (x.bootstrap_within) {
    const double lim = secs(*x.bootstrap_within);
    check("bootstrap_within", r.all_see_all_s && *r.all_see_all_s <= lim,
          r.all_see_all_s ? "all see all after " + fmt(*r.all_see_all_s) + " s (limit " + fmt(lim) + " s)"
                          : "never converged");
  }
  if (x.detect_within) {
    const double lim = secs(*x.detect_within);
    const bool ok = !r.crashes.empty() && r.undetected == 0 && r.dead_everywhere.max <= lim;
    check("detect_within", ok,
          std::to_string(r.crashes.size()) + " crashes, " + std::to_string(r.undetected) + " undetected, slowest " +
              fmt(r.dead_everywhere.max) + " s (limit " + fmt(lim) + " s)");
  }
  if (x.converge_within) {
    const double lim = secs(*x.converge_within);
    check("converge_within", r.converged_after_s && *r.converged_after_s <= lim,
          r.converged_after_s ? "converged " + fmt(*r.converged_after_s) + " s after the last disturbance (limit " +
                                    fmt(lim) + " s)"
                              : "did not converge");
  }
  if (x.disseminate_within) {
    const double lim = secs(*x.disseminate_within);
    bool ok = !r.changes.empty();
    for (const auto& c : r.changes) ok = ok && c.reached_all_s && *c.reached_all_s <= lim;
    check("disseminate_within", ok,
          std::to_string(r.changes.size()) + " changes, slowest " + fmt(r.dissemination_s.max) + " s (limit " +
              fmt(lim) + " s)");
  }
  World& w = *world_;
  if (x.config_lww && *x.config_lww) {
    bool ok = !config_writes_.empty();
    std::string detail = "no config write";
    if (ok) {
      const membership::ClusterItem* best = &config_writes_.front();
      for (const auto& c : config_writes_)
        if (c.newer_than(*best)) best = &c;
      std::size_t holding = 0, live = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        if (!w.live(i)) continue;
        ++live;
        const auto* held = w.engine(i).cluster().get(membership::ClusterItems::kConfigKey);
        if (held && *held == *best) ++holding;
      }
      ok = holding == live;
      detail = std::to_string(holding) + "/" + std::to_string(live) + " live nodes hold the winner (lamport " +
               std::to_string(best->lamport) + ") of " + std::to_string(config_writes_.size()) + " writes";
    }
    check("config_lww", ok, detail);
  }
  if (x.removals_hold && *x.removals_hold) {
    bool ok = !removals_.empty();
    std::size_t holding = 0, hidden = 0, checks = 0;
    for (const auto& item : removals_) {
      const auto& rm = std::get<membership::Removal>(item.value);
      for (std::size_t i = 0; i < n_; ++i) {
        if (!w.live(i)) continue;
        ++checks;
        const gossip::Engine& e = w.engine(i);
        const auto* held = e.cluster().get(item.key);
        if (held && (*held == item || held->newer_than(item))) ++holding;
        const auto members = e.members().snapshot();
        const auto table = membership::derive_table(
            membership::TableInput{e.identity().id, "sim", members, e.state(), e.cluster(), w.now()});
        bool visible = false;
        for (const auto& row : table.servers) {
          if (row.id != rm.server) continue;
          if (rm.component.empty()) {
            visible = true;
          } else {
            for (const auto& comp : row.components) visible = visible || comp.kind == rm.component;
          }
        }
        if (!visible) ++hidden;
      }
    }
    ok = ok && holding == checks && hidden == checks;
    check("removals_hold", ok,
          std::to_string(removals_.size()) + " removals; held at " + std::to_string(holding) + "/" +
              std::to_string(checks) + ", hiding at " + std::to_string(hidden) + "/" + std::to_string(checks));
  }
}

}  // namespace rollcall::sim
