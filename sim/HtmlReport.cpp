#include "sim/HtmlReport.h"

#include <algorithm>
#include <cstdio>

#include "sim/LatencyModel.h"
#include "sim/SvgChart.h"

namespace rollcall::sim {

namespace {
std::string f(double v, int digits = 3) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
std::string f(const std::optional<double>& v, int digits = 3) { return v ? f(*v, digits) : "&mdash;"; }
std::string e(const std::string& s) { return SvgChart::escape(s); }
std::string row(const std::string& k, const std::string& v) { return "<tr><th>" + k + "</th><td>" + v + "</td></tr>\n"; }
std::string summ(const Summary& s, const char* unit = " s") {
  if (s.n == 0) return "&mdash;";
  return "p50 " + f(s.p50) + unit + " &middot; p99 " + f(s.p99) + unit + " &middot; max " + f(s.max) + unit +
         " <span class=\"dim\">(n=" + std::to_string(s.n) + ")</span>";
}
// Cumulative fraction of `total` over sorted times.
void cdf(const std::vector<double>& sorted, std::size_t total, std::vector<double>& xs, std::vector<double>& ys) {
  xs.assign(1, 0.0);
  ys.assign(1, 0.0);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    xs.push_back(sorted[i]);
    ys.push_back(total ? static_cast<double>(i + 1) / static_cast<double>(total) : 0);
  }
}
}  // namespace

std::string HtmlReport::render(const Results& r) {
  std::string h;
  h += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>rollcall-sim: " + e(r.scenario) +
       "</title>\n<style>body{font-family:sans-serif;max-width:980px;margin:24px auto;color:#222}"
       "table{border-collapse:collapse;margin:8px 0 20px}th,td{padding:3px 10px;border-bottom:1px solid #ddd;"
       "text-align:left;vertical-align:top}th{font-weight:600;width:260px}.pass{color:#1a7f37}.fail{color:#cf222e}"
       ".dim{color:#888}svg{display:block;margin:8px 0 24px;border:1px solid #eee}</style></head><body>\n";
  h += "<h1>rollcall-sim: " + e(r.scenario) + "</h1>\n<p>" + e(r.description) + "</p>\n";
  h += "<table>" + row("Nodes", std::to_string(r.nodes)) + row("Seed", std::to_string(r.seed)) +
       row("Virtual duration", f(r.duration_s, 1) + " s") + row("Encryption", r.encrypt ? "AES-256-GCM" : "off") +
       row("Engine", "probe " + f(membership::to_seconds(r.engine.probe_interval)) + " s, gossip " +
                         f(membership::to_seconds(r.engine.gossip_interval)) + " s x fanout " +
                         std::to_string(r.engine.gossip_fanout) + ", suspicion_mult " + f(r.engine.suspicion_mult, 1)) +
       row("Network", std::string(LatencyModel::name(r.network.latency.shape)) + " latency " +
                          f(membership::to_seconds(r.network.latency.min) * 1e3, 2) + ".." +
                          f(membership::to_seconds(r.network.latency.max) * 1e3, 2) + " ms, loss " +
                          f(r.network.loss * 100, 1) + "%") +
       "</table>\n";

  h += "<h2>Checks: <span class=\"" + std::string(r.passed ? "pass\">passed" : "fail\">FAILED") + "</span></h2>\n<table>";
  if (r.checks.empty()) h += row("(none)", "the scenario states no expectations");
  for (const auto& c : r.checks)
    h += row(e(c.name), std::string("<span class=\"") + (c.passed ? "pass\">pass" : "fail\">FAIL") + "</span> " + e(c.detail));
  h += "</table>\n";

  h += "<h2>Results</h2>\n<table>";
  h += row("Bootstrap: all see all", f(r.all_see_all_s) + " s <span class=\"dim\">(99% of pairs " + f(r.pairs_99_s) +
                                         " s, 99.9% " + f(r.pairs_999_s) + " s)</span>");
  h += row("Crashes", std::to_string(r.crashes.size()) + " (" + std::to_string(r.undetected) + " undetected)");
  h += row("Crash &rarr; first suspicion", summ(r.first_suspicion));
  h += row("Crash &rarr; dead at every live node", summ(r.dead_everywhere) + " <span class=\"dim\">bound " +
                                                      f(r.detection_bound_s, 1) + " s</span>");
  h += row("False positives (healthy nodes)",
           std::to_string(r.false_suspicions) + " suspicions, " + std::to_string(r.false_dead) + " dead declarations (" +
               std::to_string(r.false_dead_subjects) + " of " + std::to_string(r.healthy_nodes) + " healthy nodes)");
  h += row("All suspicions / dead / refutations", std::to_string(r.suspicions_total) + " / " +
                                                     std::to_string(r.dead_total) + " / " + std::to_string(r.refutations));
  h += row("Dissemination (reach all)", summ(r.dissemination_s) + " <span class=\"dim\">epidemic floor " +
                                            std::to_string(r.epidemic_floor_rounds) + " rounds</span>");
  for (const auto& c : r.changes)
    h += row("&nbsp;&nbsp;" + e(c.kind) + " at " + f(c.at_s, 1) + " s",
             f(c.reached_all_s) + " s = " + f(c.rounds, 1) + " gossip rounds; " + std::to_string(c.reached) + "/" +
                 std::to_string(c.targets) + " nodes");
  h += row("Convergence after last disturbance", f(r.converged_after_s) + " s <span class=\"dim\">(disturbance ends at " +
                                                     f(r.disturbance_end_s, 1) + " s)</span>");
  h += row("Messages sent per node per s", "mean " + f(r.msgs_out_per_node_s.mean, 2) + ", max " +
                                               f(r.msgs_out_per_node_s.max, 2) + " <span class=\"dim\">over " +
                                               f(r.load_window_s, 1) + " s</span>");
  h += row("Messages sent per node per s, last " + f(r.tail_window_s, 0) + " s",
           "mean " + f(r.tail_msgs_out_per_node_s.mean, 2) + ", max " + f(r.tail_msgs_out_per_node_s.max, 2));
  h += row("Bytes sent per node per s", "mean " + f(r.bytes_out_per_node_s.mean, 0) + ", max " +
                                            f(r.bytes_out_per_node_s.max, 0));
  h += row("Broadcast queue depth", "mean " + f(r.queue_depth.mean, 1) + ", max " + f(r.queue_depth.max, 0));
  h += row("Largest datagram", std::to_string(r.max_datagram) + " bytes (MTU " + std::to_string(r.engine.mtu) + ")");
  h += "</table>\n";

  {
    SvgChart c("Fraction of nodes aware of an event", "seconds after the event", "fraction of nodes");
    c.y_range(0, 1);
    std::vector<double> xs, ys;
    std::size_t shown = 0;
    for (const auto& ch : r.changes) {
      if (shown++ >= 6) break;
      cdf(ch.aware_after_s, ch.targets, xs, ys);
      c.line(ch.kind + " @" + f(ch.at_s, 0) + "s", xs, ys, true);
    }
    for (const auto& cr : r.crashes) {
      if (shown++ >= 8) break;
      cdf(cr.dead_after_s, cr.observers, xs, ys);
      c.line("crash of " + std::to_string(cr.node) + " (dead)", xs, ys, true);
    }
    if (shown > 0) h += "<h2>Awareness</h2>\n" + c.svg();
  }
  {
    SvgChart c("Members seen as alive / suspect / dead (mean over live nodes)", "virtual time (s)", "members");
    c.line("alive", r.t_s, r.alive);
    c.line("suspect", r.t_s, r.suspect);
    c.line("dead", r.t_s, r.dead);
    c.line("live nodes", r.t_s, r.live_nodes);
    h += "<h2>Membership over time</h2>\n" + c.svg();
  }
  {
    SvgChart c("Suspect members (mean over live nodes)", "virtual time (s)", "members");
    c.line("suspect", r.t_s, r.suspect);
    h += c.svg(760, 200);
  }
  {
    std::vector<double> sorted = r.per_node_msgs_out_s, rank;
    std::sort(sorted.rbegin(), sorted.rend());
    for (std::size_t i = 0; i < sorted.size(); ++i) rank.push_back(static_cast<double>(i));
    SvgChart c("Per-node load: messages sent per second, nodes ranked", "node rank", "messages / s");
    c.line("msgs/s", rank, sorted);
    h += "<h2>Load</h2>\n" + c.svg();
  }
  h += "<p class=\"dim\">Generated by rollcall-sim. Times are virtual. Same seed and inputs give the same page.</p>\n";
  h += "</body></html>\n";
  return h;
}

}  // namespace rollcall::sim
