// Churn as World::churn runs it: nodes leave (gracefully or by crashing) at a Poisson rate and each
// comes back `downtime` later as a restart (new generation, same id). Built by tests and by the
// scenario runner. Plain data.
#pragma once

#include <cstddef>
#include <vector>

#include "membership/Time.h"

namespace rollcall::sim {

struct ChurnSpec {
  // Departures per second over the whole cluster. Default 1. Range > 0 .. 1000.
  double rate_per_s = 1.0;
  membership::Instant from{};   // first departure not before this virtual time
  membership::Instant until{};  // no departure at or after this time (rejoins still happen)
  // How long a departed node stays away before rejoining. Default 30 s. Range 0 .. 1 h.
  membership::Duration downtime = std::chrono::seconds(30);
  bool graceful = true;               // leave() first (else crash)
  std::vector<std::size_t> seeds;     // rejoin through these nodes
  std::vector<std::size_t> eligible;  // nodes that may churn (empty = every node not a seed)
};

}  // namespace rollcall::sim
