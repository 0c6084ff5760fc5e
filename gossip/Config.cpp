#include "gossip/Config.h"

namespace rollcall::gossip {

using namespace std::chrono_literals;

Config Config::lan() { return Config{}; }

Config Config::local() {
  Config c;
  c.probe_interval = 500ms;
  c.probe_timeout = 200ms;
  c.gossip_interval = 100ms;
  c.push_pull_interval = 10s;
  c.suspicion_mult = 3.0;
  c.reconnect_interval = 2s;
  c.leave_timeout = 500ms;
  c.stream_timeout = 2s;
  return c;
}

Config Config::wan() {
  Config c;
  c.probe_interval = 5s;
  c.probe_timeout = 3s;
  c.gossip_interval = 500ms;
  c.gossip_fanout = 4;
  c.push_pull_interval = 60s;
  c.suspicion_mult = 6.0;
  c.reconnect_interval = 30s;
  c.leave_timeout = 3s;
  c.stream_timeout = 10s;
  return c;
}

std::optional<std::string> Config::validate() const {
  auto in = [](Duration d, Duration lo, Duration hi) { return d >= lo && d <= hi; };
  if (!in(probe_interval, 50ms, 60s)) return "probe_interval must be between 50ms and 60s";
  if (!in(probe_timeout, 10ms, probe_interval)) return "probe_timeout must be between 10ms and probe_interval";
  if (indirect_checks > 16) return "indirect_checks must be between 0 and 16";
  if (!in(gossip_interval, 10ms, 60s)) return "gossip_interval must be between 10ms and 60s";
  if (gossip_fanout < 1 || gossip_fanout > 16) return "gossip_fanout must be between 1 and 16";
  if (push_pull_interval != Duration::zero() && !in(push_pull_interval, 1s, 3600s))
    return "push_pull_interval must be 0 (off) or between 1s and 1h";
  if (!(suspicion_mult >= 1.0 && suspicion_mult <= 20.0)) return "suspicion_mult must be between 1 and 20";
  if (!(suspicion_max_mult >= 1.0 && suspicion_max_mult <= 20.0))
    return "suspicion_max_mult must be between 1 and 20";
  if (retransmit_mult < 1 || retransmit_mult > 16) return "retransmit_mult must be between 1 and 16";
  if (awareness_max > 16) return "awareness_max must be between 0 and 16";
  if (mtu < 576 || mtu > 9000) return "mtu must be between 576 and 9000 bytes";
  if (!in(dead_retention, 60s, std::chrono::hours(24 * 30))) return "dead_retention must be between 1m and 30 days";
  if (!in(tombstone_grace, 60s, std::chrono::hours(24 * 365)))
    return "tombstone_grace must be between 1m and 365 days";
  if (reconnect_interval != Duration::zero() && !in(reconnect_interval, 1s, 3600s))
    return "reconnect_interval must be 0 (off) or between 1s and 1h";
  if (!in(leave_timeout, 0s, 60s)) return "leave_timeout must be between 0 and 60s";
  if (!in(stream_timeout, 100ms, 300s)) return "stream_timeout must be between 100ms and 5m";
  if (broadcast_queue_limit < 64 || broadcast_queue_limit > 1'000'000)
    return "broadcast_queue_limit must be between 64 and 1000000";
  if (max_stream_bytes < (64u << 10) || max_stream_bytes > (1u << 30))
    return "max_stream_bytes must be between 64 KiB and 1 GiB";
  return std::nullopt;
}

}  // namespace rollcall::gossip
