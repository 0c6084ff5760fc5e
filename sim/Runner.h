// Runs one Scenario on a World: creates and starts the nodes, publishes their state, executes the
// timed events, samples the Recorder, watches bootstrap and convergence, and finally assembles
// Results (and checks the scenario's expectations). Used by rollcall-sim, the tests and the
// benchmark. Deterministic: the same scenario, node count and seed give identical Results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sim/Recorder.h"
#include "sim/Results.h"
#include "sim/Scenario.h"
#include "sim/World.h"

namespace rollcall::sim {

class Runner {
 public:
  struct Options {
    std::size_t nodes = 0;                         // 0: the scenario's
    std::uint64_t seed = 1;
    std::optional<membership::Duration> duration;  // default: the scenario's
    std::optional<bool> encrypt;                   // default: the scenario's
    // Called about once per `progress_every` of virtual time with (virtual now, end), for a
    // progress line. Must not change anything.
    std::function<void(Instant now, Instant end)> progress;
    membership::Duration progress_every = std::chrono::seconds(1);
  };

  Runner(Scenario scenario, Options opt);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs to the end and returns the measurements. Call once.
  Results run();

  World& world() { return *world_; }
  const Recorder& recorder() const { return *recorder_; }
  const Scenario& scenario() const { return sc_; }
  std::size_t nodes() const { return n_; }
  std::optional<Instant> all_see_all() const { return all_see_all_; }
  std::optional<Instant> converged() const { return converged_; }

 private:
  void schedule_starts();
  void schedule_event(const ScenarioEvent& e);
  void apply(const ScenarioEvent& e);
  // Candidates are live nodes; with `down`, crashed (or left) nodes instead, if there are any.
  std::vector<std::size_t> resolve(const NodeSelection& sel, bool default_all = false, bool down = false);
  std::vector<std::size_t> rejoin_peers(std::size_t i);
  void note_disturbance(std::optional<Instant> end);
  void check_bootstrap();
  void check_convergence();
  bool views_correct() const;
  bool digests_equal() const;
  Results assemble();
  void evaluate(Results& r);

  Scenario sc_;
  Options opt_;
  std::size_t n_;
  Instant end_{};
  std::unique_ptr<World> world_;
  std::unique_ptr<Recorder> recorder_;
  membership::Rng rng_;
  std::vector<std::size_t> seeds_;
  std::vector<std::uint8_t> started_;
  std::size_t started_count_ = 0;
  std::optional<Instant> all_see_all_, pairs_99_, pairs_999_;
  std::optional<Instant> disturbance_end_;
  bool open_ended_ = false;   // a fault that lasts to the end: no convergence measured
  std::optional<Instant> converged_;
  Instant load_from_{};
  std::vector<std::uint64_t> msgs_out0_, bytes_out0_, msgs_in0_;
  Instant tail_from_{};                 // the last minute, for the steady-state load
  std::vector<std::uint64_t> tail_msgs0_;
  std::vector<membership::ClusterItem> config_writes_;
  std::vector<membership::ClusterItem> removals_;
};

}  // namespace rollcall::sim
