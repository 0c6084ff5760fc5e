#include "gossip/Formulas.h"

#include <algorithm>
#include <cmath>

namespace rollcall::gossip::formulas {

std::uint32_t retransmit_limit(std::uint32_t lambda, std::size_t n) {
  // Floor of 2 (not 1): below ten members ceil(log10(N + 1)) is 1, and lambda = 4 sends left a
  // suspicion or a refutation unheard by some member about once in twenty rumors at 30% loss.
  const double scale = std::ceil(std::log10(static_cast<double>(n) + 1.0));
  return std::max<std::uint32_t>(1, static_cast<std::uint32_t>(lambda * std::max(2.0, scale)));
}

Duration suspicion_min(double alpha, std::size_t n, Duration probe_interval) {
  const double f = alpha * std::log10(static_cast<double>(n) + 1.0);
  const auto d = Duration{static_cast<Duration::rep>(f * static_cast<double>(probe_interval.count()))};
  return std::max(d, probe_interval);
}

Duration suspicion_max(double beta, Duration min) {
  return Duration{static_cast<Duration::rep>(beta * static_cast<double>(min.count()))};
}

std::uint32_t suspicion_confirmations(double alpha, std::size_t n) {
  const double k = std::min(alpha - 2.0, static_cast<double>(n) - 2.0);
  return k <= 0 ? 0u : static_cast<std::uint32_t>(k);
}

Duration suspicion_timeout(Duration min, Duration max, std::uint32_t k, std::uint32_t c) {
  if (k == 0) return min;
  const double frac = std::log(static_cast<double>(c) + 1.0) / std::log(static_cast<double>(k) + 1.0);
  const double raw = static_cast<double>(max.count()) - frac * static_cast<double>((max - min).count());
  const auto d = Duration{static_cast<Duration::rep>(std::floor(raw))};
  return std::max(d, min);
}

Duration scale_by_health(Duration base, std::uint32_t health) { return base * (static_cast<Duration::rep>(health) + 1); }

Duration push_pull_scaled(Duration base, std::size_t n) {
  constexpr std::size_t kThreshold = 32;
  if (n <= kThreshold) return base;
  const double m = std::ceil(std::log2(static_cast<double>(n)) - std::log2(static_cast<double>(kThreshold))) + 1.0;
  return base * static_cast<Duration::rep>(m);
}

std::uint32_t epidemic_rounds(std::uint32_t fanout, std::size_t n) {
  if (n <= 1) return 0;
  return static_cast<std::uint32_t>(
      std::ceil(std::log(static_cast<double>(n)) / std::log(static_cast<double>(fanout) + 1.0) - 1e-9));
}

}  // namespace rollcall::gossip::formulas
