// A simulation scenario: cluster size, duration, engine config, network, how nodes start, what
// state they publish, the timed events (faults and changes) and the expectations. Loaded from a
// TOML file by ScenarioLoader (configs/sim/*.toml, format in docs/simulator.md); run by Runner.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gossip/Config.h"
#include "sim/Expectations.h"
#include "sim/NetworkConfig.h"
#include "sim/ScenarioEvent.h"

namespace rollcall::sim {

struct Scenario {
  std::string name = "unnamed";
  std::string description;
  // Default cluster size (rollcall-sim --nodes overrides). Default 50. Range 1 .. 100,000.
  std::size_t nodes = 50;
  // Default virtual duration (--duration overrides). Default 120 s. Range 1 s .. 30 days.
  membership::Duration duration = std::chrono::seconds(120);
  // Seal every packet with AES-256-GCM (real envelope). Default true; off for large runs.
  bool encrypt = true;
  std::string preset = "lan";  // engine preset the overrides apply to: lan, local, wan
  gossip::Config engine = gossip::Config::lan();
  NetworkConfig network;

  struct Start {
    // Nodes 0 .. seeds-1 are seeds; every node joins through them. Default 1. Range 1 .. nodes.
    std::size_t seeds = 1;
    // Node starts are spread uniformly over this window (0: all at once). Default 1 s.
    membership::Duration spread = std::chrono::seconds(1);
    // Warm start: every node starts already knowing every other node alive (a snapshot of a
    // converged cluster, as after a finished bootstrap) and joins nobody; for long steady-state
    // runs where the join storm is not what is measured. All nodes then start at t = 0 (`spread`
    // is ignored). Default false.
    bool warm = false;
  } start;

  struct Workload {
    bool publish_state = true;                           // "server" + one entry per component
    std::vector<std::string> components = {"web", "service"};
    // Heartbeat bump period of every component ("heartbeat/<kind>"). Default 0 (off).
    membership::Duration heartbeat_interval{};
  } workload;

  std::vector<ScenarioEvent> events;  // sorted by `at` (stable) after loading
  Expectations expect;
};

}  // namespace rollcall::sim
