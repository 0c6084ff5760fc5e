#include "sim/ResultsJson.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "sim/LatencyModel.h"

namespace rollcall::sim {

namespace {
using J = nlohmann::ordered_json;

double r6(double v) { return std::round(v * 1e6) / 1e6; }
double ms(Duration d) { return r6(static_cast<double>(d.count()) / 1e3); }
J opt(const std::optional<double>& v) { return v ? J(r6(*v)) : J(nullptr); }
J vec(const std::vector<double>& v) {
  J a = J::array();
  for (double x : v) a.push_back(r6(x));
  return a;
}
J summary(const Summary& s) {
  J j;
  j["n"] = s.n;
  j["mean"] = r6(s.mean);
  j["p50"] = r6(s.p50);
  j["p99"] = r6(s.p99);
  j["max"] = r6(s.max);
  return j;
}
J engine(const gossip::Config& c) {
  J j;
  j["probe_interval_ms"] = ms(c.probe_interval);
  j["probe_timeout_ms"] = ms(c.probe_timeout);
  j["indirect_checks"] = c.indirect_checks;
  j["gossip_interval_ms"] = ms(c.gossip_interval);
  j["gossip_fanout"] = c.gossip_fanout;
  j["push_pull_interval_ms"] = ms(c.push_pull_interval);
  j["suspicion_mult"] = c.suspicion_mult;
  j["suspicion_max_mult"] = c.suspicion_max_mult;
  j["retransmit_mult"] = c.retransmit_mult;
  j["awareness_max"] = c.awareness_max;
  j["mtu"] = c.mtu;
  j["reconnect_interval_ms"] = ms(c.reconnect_interval);
  j["tcp_fallback_ping"] = c.tcp_fallback_ping;
  return j;
}
J network(const NetworkConfig& n) {
  J j;
  J l;
  l["shape"] = std::string(LatencyModel::name(n.latency.shape));
  l["min_ms"] = ms(n.latency.min);
  l["max_ms"] = ms(n.latency.max);
  if (n.latency.shape == LatencyModel::Shape::normal) {
    l["mean_ms"] = ms(n.latency.mean);
    l["stddev_ms"] = ms(n.latency.stddev);
  }
  if (n.latency.shape == LatencyModel::Shape::pareto) l["alpha"] = n.latency.pareto_alpha;
  j["latency"] = l;
  j["loss"] = n.loss;
  j["duplicate"] = n.duplicate;
  return j;
}
}  // namespace

std::string ResultsJson::write(const Results& r) {
  J j;
  j["scenario"] = r.scenario;
  j["description"] = r.description;
  j["seed"] = r.seed;
  j["nodes"] = r.nodes;
  j["duration_s"] = r6(r.duration_s);
  j["encrypt"] = r.encrypt;
  j["engine"] = engine(r.engine);
  j["network"] = network(r.network);

  j["passed"] = r.passed;
  J checks = J::array();
  for (const auto& c : r.checks) checks.push_back(J{{"name", c.name}, {"passed", c.passed}, {"detail", c.detail}});
  j["checks"] = checks;

  j["bootstrap"] = J{{"all_see_all_s", opt(r.all_see_all_s)},
                     {"pairs_99_percent_s", opt(r.pairs_99_s)},
                     {"pairs_99_9_percent_s", opt(r.pairs_999_s)}};

  J fd;
  fd["crashes"] = r.crashes.size();
  fd["undetected"] = r.undetected;
  fd["bound_s"] = r6(r.detection_bound_s);
  fd["first_suspicion_s"] = summary(r.first_suspicion);
  fd["dead_everywhere_s"] = summary(r.dead_everywhere);
  fd["dead_per_observer_s"] = summary(r.dead_per_observer);
  J list = J::array();
  for (const auto& c : r.crashes) {
    J x;
    x["node"] = c.node;
    x["at_s"] = r6(c.at_s);
    x["first_suspicion_s"] = opt(c.first_suspicion_s);
    x["dead_everywhere_s"] = opt(c.dead_everywhere_s);
    x["observers_dead"] = c.dead_after_s.size();
    list.push_back(x);
  }
  fd["list"] = list;
  j["failure_detection"] = fd;

  J fp;
  fp["healthy_nodes"] = r.healthy_nodes;
  fp["false_suspicions"] = r.false_suspicions;
  fp["false_dead"] = r.false_dead;
  fp["false_dead_subjects"] = r.false_dead_subjects;
  fp["suspicions_total"] = r.suspicions_total;
  fp["dead_total"] = r.dead_total;
  fp["refutations"] = r.refutations;
  j["false_positives"] = fp;

  J ds;
  ds["epidemic_floor_rounds"] = r.epidemic_floor_rounds;
  ds["gossip_interval_s"] = ms(r.engine.gossip_interval) / 1e3;
  ds["reached_all_s"] = summary(r.dissemination_s);
  J changes = J::array();
  for (const auto& c : r.changes) {
    J x;
    x["kind"] = c.kind;
    x["key"] = c.key;
    x["origin"] = c.origin;
    x["at_s"] = r6(c.at_s);
    x["targets"] = c.targets;
    x["reached"] = c.reached;
    x["reached_all_s"] = opt(c.reached_all_s);
    x["rounds"] = opt(c.rounds);
    x["aware_after_s"] = vec(c.aware_after_s);
    changes.push_back(x);
  }
  ds["changes"] = changes;
  j["dissemination"] = ds;

  j["convergence"] = J{{"disturbance_end_s", opt(r.disturbance_end_s)}, {"converged_after_s", opt(r.converged_after_s)}};

  J load;
  load["window_s"] = r6(r.load_window_s);
  load["msgs_out_per_node_s"] = summary(r.msgs_out_per_node_s);
  load["bytes_out_per_node_s"] = summary(r.bytes_out_per_node_s);
  load["msgs_in_per_node_s"] = summary(r.msgs_in_per_node_s);
  load["tail_window_s"] = r6(r.tail_window_s);
  load["tail_msgs_out_per_node_s"] = summary(r.tail_msgs_out_per_node_s);
  load["queue_depth"] = J{{"samples", r.queue_depth.n}, {"mean", r6(r.queue_depth.mean)}, {"max", r.queue_depth.max}};
  load["datagrams_sent"] = r.datagrams;
  load["datagrams_delivered"] = r.datagrams_delivered;
  load["datagram_bytes"] = r.datagram_bytes;
  load["max_datagram_bytes"] = r.max_datagram;
  load["streams"] = r.streams;
  load["stream_bytes"] = r.stream_bytes;
  load["events"] = r.events;
  load["probes"] = r.probes;
  load["probes_failed"] = r.probes_failed;
  load["indirect_probes"] = r.indirect_probes;
  load["tcp_fallback_probes"] = r.tcp_fallback_probes;
  load["push_pulls"] = r.push_pulls;
  load["push_pull_failures"] = r.push_pull_failures;
  load["broadcasts_dropped"] = r.broadcasts_dropped;
  load["per_node_msgs_out_s"] = vec(r.per_node_msgs_out_s);
  j["load"] = load;

  J series;
  series["t_s"] = vec(r.t_s);
  series["live_nodes"] = vec(r.live_nodes);
  series["alive"] = vec(r.alive);
  series["suspect"] = vec(r.suspect);
  series["dead"] = vec(r.dead);
  j["series"] = series;

  J crash_aware = J::array();
  for (const auto& c : r.crashes) crash_aware.push_back(vec(c.dead_after_s));
  j["failure_detection"]["dead_after_s"] = crash_aware;

  return j.dump(1) + "\n";
}

}  // namespace rollcall::sim
