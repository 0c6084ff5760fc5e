// The simulator's speed benchmark: N nodes of the real engine (encryption off, real codec) join,
// settle, and then a window of steady state is timed: simulated messages (datagrams and stream
// frames delivered) and events per wall-clock and per CPU second. Driven by
// `rollcall-sim --bench-throughput` (bench/sim/run.sh). Reads the wall clock and CPU time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "membership/Time.h"

namespace rollcall::sim {

class ThroughputBench {
 public:
  struct Result {
    std::size_t nodes = 0;
    double warmup_virtual_s = 0, window_virtual_s = 0;
    double warmup_wall_s = 0, wall_s = 0, cpu_s = 0;
    std::uint64_t messages = 0, events = 0;
    // Periodic anti-entropy in the window: exchanges opened, and those that found the two nodes
    // already equal by summary (ADR 0005: hashes only). In a steady state nearly all should be.
    std::uint64_t push_pulls = 0, push_pulls_in_sync = 0;
    double msgs_per_wall_s = 0, msgs_per_cpu_s = 0, events_per_wall_s = 0, events_per_cpu_s = 0;
  };
  static Result run(std::size_t nodes, membership::Duration warmup, membership::Duration window, std::uint64_t seed);
};

}  // namespace rollcall::sim
