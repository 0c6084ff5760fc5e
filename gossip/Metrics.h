// Counters kept by the engine (monotonic unless noted). Read by the daemon for /metrics and by
// the simulator for its report. Plain data.
#pragma once

#include <cstdint>

namespace rollcall::gossip {

// The counters every probe bumps lead, so they share a cache line (see Context's field order).
struct Metrics {
  std::uint64_t packets_in = 0, packets_out = 0;
  std::uint64_t bytes_in = 0, bytes_out = 0;
  std::uint64_t probes_sent = 0, acks_received = 0;
  std::uint64_t streams_in = 0, streams_out = 0, stream_bytes_in = 0, stream_bytes_out = 0;
  std::uint64_t decrypt_failures = 0;
  std::uint64_t malformed_packets = 0;
  std::uint64_t unknown_messages = 0;
  std::uint64_t probes_failed = 0, indirect_probes = 0, tcp_fallback_probes = 0;
  std::uint64_t nacks_received = 0, nacks_sent = 0, relayed_pings = 0;
  std::uint64_t suspicions_raised = 0;   // suspicions this node started (it was the first to suspect)
  std::uint64_t suspicions_heard = 0;    // suspicions this node learned (any source)
  std::uint64_t refutations = 0;         // times this node refuted a suspicion about itself
  std::uint64_t dead_declared = 0;       // members this node declared dead (suspicion expired here)
  std::uint64_t push_pulls = 0, push_pull_failures = 0;
  std::uint64_t broadcasts_dropped = 0;  // (gauge-like) items dropped because the queue was full
  std::uint64_t state_entries_applied = 0;
  std::uint64_t eager_rounds = 0;        // gossip rounds sent at once for fresh news (not on the tick)
  std::uint64_t push_pulls_in_sync = 0;  // hash-first exchanges that found the peer identical (ADR 0005)
  std::uint64_t repair_pulls = 0;        // push-pulls opened because a peer spoke of a member we lacked
  std::uint64_t catch_up_pulls = 0;      // push-pulls opened because the broadcast queue held news on most members
  std::uint64_t watermark_resets = 0;    // watermarks forgotten after stalled hash-first exchanges (ADR 0005)
  std::uint64_t suspicion_checks = 0;      // last direct pings to a suspect before declaring it dead
  std::uint64_t suspicion_reprieves = 0;   // ... that it answered: no death verdict, wait again
  std::uint64_t early_suspicions = 0;    // probes failed before the period's end (all relays nacked, TCP failed)
};

}  // namespace rollcall::gossip
