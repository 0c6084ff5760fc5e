// Renders the agent's Prometheus metrics (text format 0.0.4, HELP and TYPE for every family,
// counters suffixed _total) from the engine's counters, the member table, and the HTTP server's
// statistics. Pure formatting; called by the agent for GET /metrics.
#pragma once

#include <cstdint>
#include <string>

#include "daemon/http/Server.h"
#include "gossip/Engine.h"

namespace rollcall::daemon {

struct AgentCounters {
  std::uint64_t http_requests = 0;
  std::uint64_t udp_send_errors = 0;
  std::uint64_t streams_rejected = 0;
  std::uint64_t events_published = 0;
  std::uint64_t persist_failures = 0;
  std::size_t sse_clients = 0;
};

std::string render_metrics(const gossip::Engine& engine, const http::Server::Stats& http, const AgentCounters& agent);

}  // namespace rollcall::daemon
