// A distribution in a few numbers (count, mean, p50, p99, max; nearest-rank percentiles) for
// results.json and the report. Built by Runner from samples. Pure value type.
#pragma once

#include <cstddef>
#include <vector>

namespace rollcall::sim {

struct Summary {
  std::size_t n = 0;
  double mean = 0, p50 = 0, p99 = 0, max = 0;

  static Summary of(std::vector<double> samples);
  // The q-quantile (0 .. 1, nearest rank) of sorted samples; 0 if empty.
  static double quantile(const std::vector<double>& sorted, double q);
};

}  // namespace rollcall::sim
