#include "daemon/EngineConfig.h"

namespace rollcall::daemon {

gossip::Config engine_config(const config::GossipSettings& g) {
  gossip::Config c = g.profile == "local" ? gossip::Config::local() : g.profile == "wan" ? gossip::Config::wan() : gossip::Config::lan();
  c.mtu = g.mtu;
  if (g.probe_interval) c.probe_interval = *g.probe_interval;
  if (g.probe_timeout) c.probe_timeout = *g.probe_timeout;
  if (g.indirect_checks) c.indirect_checks = static_cast<std::uint32_t>(*g.indirect_checks);
  if (g.gossip_interval) c.gossip_interval = *g.gossip_interval;
  if (g.gossip_fanout) c.gossip_fanout = static_cast<std::uint32_t>(*g.gossip_fanout);
  if (g.push_pull_interval) c.push_pull_interval = *g.push_pull_interval;
  if (g.suspicion_mult) c.suspicion_mult = *g.suspicion_mult;
  if (g.suspicion_max_mult) c.suspicion_max_mult = *g.suspicion_max_mult;
  if (g.retransmit_mult) c.retransmit_mult = static_cast<std::uint32_t>(*g.retransmit_mult);
  if (g.awareness_max) c.awareness_max = static_cast<std::uint32_t>(*g.awareness_max);
  if (g.dead_retention) c.dead_retention = *g.dead_retention;
  if (g.reconnect_interval) c.reconnect_interval = *g.reconnect_interval;
  if (g.leave_timeout) c.leave_timeout = *g.leave_timeout;
  return c;
}

}  // namespace rollcall::daemon
