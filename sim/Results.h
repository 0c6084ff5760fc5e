// Everything one simulation run measured: bootstrap, failure detection, false positives,
// dissemination, convergence, load, time series and the scenario's checks. Filled by Runner;
// written by ResultsJson (results.json) and HtmlReport (report.html). Times are virtual seconds.
// Contains nothing that depends on the wall clock, so equal seeds give byte-identical output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gossip/Config.h"
#include "sim/NetworkConfig.h"
#include "sim/Summary.h"

namespace rollcall::sim {

struct Results {
  // --- the run ---
  std::string scenario, description;
  std::uint64_t seed = 0;
  std::size_t nodes = 0;
  double duration_s = 0;
  bool encrypt = true;
  gossip::Config engine;
  NetworkConfig network;
  double sample_interval_s = 0;

  // --- bootstrap: every live node sees every live node alive ---
  std::optional<double> all_see_all_s;
  std::optional<double> pairs_99_s, pairs_999_s;  // 99% / 99.9% of (observer, member) pairs known

  // --- failure detection, one entry per crashed node ---
  struct Crash {
    std::size_t node = 0;
    double at_s = 0;
    std::optional<double> first_suspicion_s;  // after the crash, by any node
    std::optional<double> dead_everywhere_s;  // after the crash: dead at every live node
    std::vector<double> dead_after_s;         // per observer, sorted (awareness plot)
    std::size_t observers = 0;                // live nodes when the run ended (or it was detected)
  };
  std::vector<Crash> crashes;
  Summary first_suspicion, dead_everywhere, dead_per_observer;
  std::size_t undetected = 0;
  double detection_bound_s = 0;  // n x probe_interval + suspicion max + 20 gossip rounds

  // --- false positives: about nodes never faulty, seen by nodes never cut off ---
  std::size_t healthy_nodes = 0;
  std::uint64_t false_suspicions = 0, false_dead = 0;
  std::size_t false_dead_subjects = 0;
  std::uint64_t suspicions_total = 0, dead_total = 0, refutations = 0;

  // --- dissemination of tracked changes ---
  struct Change {
    std::string kind;  // version_bump, config_change, removal
    std::string key;
    std::size_t origin = 0;
    double at_s = 0;
    std::size_t targets = 0, reached = 0;     // nodes live at the change / aware of it at the end
    std::optional<double> reached_all_s;      // after the change
    std::optional<double> rounds;             // reached_all_s / gossip_interval
    std::vector<double> aware_after_s;        // sorted (awareness plot)
  };
  std::vector<Change> changes;
  std::uint32_t epidemic_floor_rounds = 0;    // ceil(log_{fanout+1} N)
  Summary dissemination_s;

  // --- convergence after the last disturbance ---
  std::optional<double> disturbance_end_s;
  std::optional<double> converged_after_s;

  // --- load over the steady window (bootstrap done .. end) ---
  double load_window_s = 0;
  Summary msgs_out_per_node_s, bytes_out_per_node_s, msgs_in_per_node_s, queue_depth;
  double tail_window_s = 0;          // the last minute (or half the run, if shorter)
  Summary tail_msgs_out_per_node_s;  // messages sent per node per second in that window
  std::vector<double> per_node_msgs_out_s;  // by node index
  std::uint64_t datagrams = 0, datagrams_delivered = 0, datagram_bytes = 0, streams = 0, stream_bytes = 0;
  std::size_t max_datagram = 0;
  std::uint64_t events = 0;
  std::uint64_t probes = 0, probes_failed = 0, indirect_probes = 0, tcp_fallback_probes = 0;
  std::uint64_t push_pulls = 0, push_pull_failures = 0, broadcasts_dropped = 0;

  // --- time series (mean view of the live nodes) ---
  std::vector<double> t_s, alive, suspect, dead, live_nodes;

  // --- the scenario's expectations ---
  struct Check {
    std::string name;
    bool passed = false;
    std::string detail;
  };
  std::vector<Check> checks;
  bool passed = true;
};

}  // namespace rollcall::sim
