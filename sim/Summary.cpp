#include "sim/Summary.h"

#include <algorithm>
#include <cmath>

namespace rollcall::sim {

double Summary::quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

Summary Summary::of(std::vector<double> samples) {
  Summary s;
  s.n = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  double sum = 0;
  for (double v : samples) sum += v;
  s.mean = sum / static_cast<double>(samples.size());
  s.p50 = quantile(samples, 0.5);
  s.p99 = quantile(samples, 0.99);
  s.max = samples.back();
  return s;
}

}  // namespace rollcall::sim
