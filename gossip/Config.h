// Engine configuration: every timing and size of the protocol, with its unit, default (the LAN
// preset), valid range and, where it scales with the cluster, the formula. Built by the daemon
// from the agent config, by the simulator from a scenario, by tests directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "membership/Time.h"

namespace rollcall::gossip {

using membership::Duration;

struct Config {
  // (Field order: what every probe and send reads, the probe timing and the MTU, leads.)
  // Probe period: one member is probed per period. Scaled by the local health multiplier
  // (Lifeguard): effective = probe_interval x (health + 1). Unit: time. Default 1 s. Range 50 ms .. 60 s.
  Duration probe_interval = std::chrono::milliseconds(1000);
  // Wait for a direct ack before asking relays. Scaled like probe_interval. Default 500 ms.
  // Range 10 ms .. probe_interval.
  Duration probe_timeout = std::chrono::milliseconds(500);
  // Largest datagram ever sent, envelope included. Unit bytes. Default 1200. Range 576 .. 9000.
  std::size_t mtu = 1200;
  // Relays asked to probe indirectly (ping-req) after a missed direct ack. Default 3. Range 0 .. 16.
  std::uint32_t indirect_checks = 3;
  // Piggyback-only gossip round: sent only when updates are queued. Default 200 ms. Range 10 ms .. 60 s.
  Duration gossip_interval = std::chrono::milliseconds(200);
  // Members sent to per gossip round. Default 3. Range 1 .. 16.
  std::uint32_t gossip_fanout = 3;
  // Anti-entropy push-pull with one random member. Scaled for large clusters:
  // effective = push_pull_interval x max(1, ceil(log2(N) - log2(32)) + 1) for N > 32.
  // Default 30 s. Range 1 s .. 1 h, or 0 to disable (not recommended).
  Duration push_pull_interval = std::chrono::seconds(30);
  // alpha in the Lifeguard suspicion timeout: min = alpha x log10(N + 1) x probe_interval,
  // floored at probe_interval. Default 4. Range 1 .. 20.
  double suspicion_mult = 4.0;
  // max = suspicion_max_mult x min; a fresh suspicion starts at max and shrinks towards min with
  // independent confirmations (K = max(0, min(suspicion_mult - 2, N - 2)) expected). Default 6.
  // Range 1 .. 20.
  double suspicion_max_mult = 6.0;
  // lambda: each update is retransmitted lambda x max(2, ceil(log10(N + 1))) times. Default 4. Range 1 .. 16.
  std::uint32_t retransmit_mult = 4;
  // Upper bound of the local health multiplier (Lifeguard awareness). Default 8. Range 0 .. 16.
  std::uint32_t awareness_max = 8;
  // How long dead and left members are kept (as tombstones, still shown) before being forgotten.
  // Default 72 h. Range 1 min .. 30 days.
  Duration dead_retention = std::chrono::hours(72);
  // Removal tombstones (cluster items) are collected after this grace. Default 72 h.
  // Range 1 min .. 365 days; should exceed the longest partition you expect to heal.
  Duration tombstone_grace = std::chrono::hours(72);
  // Retry one seed or recently dead member per interval, so a healed partition merges again.
  // Default 10 s. Range 1 s .. 1 h, or 0 to disable.
  Duration reconnect_interval = std::chrono::seconds(10);
  // Dead members stay candidates for reconnect for this long. Default 6 h.
  Duration reconnect_window = std::chrono::hours(6);
  // Graceful leave: keep gossiping "left" this long before stopping. Default 1 s. Range 0 .. 60 s.
  Duration leave_timeout = std::chrono::milliseconds(1000);
  // Timeout for one stream exchange (push-pull, TCP fallback ping). Default 5 s. Range 100 ms .. 5 min.
  Duration stream_timeout = std::chrono::seconds(5);
  // Ask the driver for a TCP ping in parallel with ping-req. Default on.
  bool tcp_fallback_ping = true;
  // Bound of the broadcast queue; when full the most-sent items are dropped first (anti-entropy
  // repairs anything dropped). Default 4096 items. Range 64 .. 1,000,000.
  std::size_t broadcast_queue_limit = 4096;
  // Largest stream frame accepted. Unit bytes. Default 32 MiB. Range 64 KiB .. 1 GiB.
  std::size_t max_stream_bytes = 32u << 20;

  // Presets. lan(): the defaults above. local(): loopback / tests (faster timings).
  // wan(): higher latency links.
  static Config lan();
  static Config local();
  static Config wan();

  // nullopt if valid; else a message naming the field and its valid range.
  std::optional<std::string> validate() const;
};

}  // namespace rollcall::gossip
