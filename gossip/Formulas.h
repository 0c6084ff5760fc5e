// The protocol's arithmetic as pure functions, tested by tables (tests/gossip/FormulasTest.cpp).
// Called by the engine parts; nothing here has state.
#pragma once

#include <cstddef>
#include <cstdint>

#include "membership/Time.h"

namespace rollcall::gossip::formulas {

using membership::Duration;

// lambda x ceil(log10(n + 1)), at least 1.
std::uint32_t retransmit_limit(std::uint32_t lambda, std::size_t n);

// Lifeguard: min = alpha x log10(n + 1) x interval, never below one interval.
Duration suspicion_min(double alpha, std::size_t n, Duration probe_interval);
// max = beta x min.
Duration suspicion_max(double beta, Duration min);
// Expected independent confirmations K = max(0, min(alpha - 2, n - 2)).
std::uint32_t suspicion_confirmations(double alpha, std::size_t n);
// Timeout after c confirmations: max - (max - min) x log(c + 1) / log(k + 1), floored at min.
// With k == 0 the timeout is min.
Duration suspicion_timeout(Duration min, Duration max, std::uint32_t k, std::uint32_t c);

// Lifeguard local health: interval scaled by (health + 1).
Duration scale_by_health(Duration base, std::uint32_t health);

// Push-pull interval for large clusters (memberlist's pushPullScale): x (ceil(log2 n - log2 32) + 1)
// above 32 members.
Duration push_pull_scaled(Duration base, std::size_t n);

// Epidemic floor for dissemination: ceil(log_{fanout+1}(n)) rounds.
std::uint32_t epidemic_rounds(std::uint32_t fanout, std::size_t n);

}  // namespace rollcall::gossip::formulas
