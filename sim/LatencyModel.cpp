#include "sim/LatencyModel.h"

#include <algorithm>
#include <cmath>

namespace rollcall::sim {

Duration LatencyModel::sample(membership::Rng& rng) const {
  const auto lo = min.count(), hi = max.count();
  if (hi <= lo) return min;
  switch (shape) {
    case Shape::uniform:
      return Duration{lo + static_cast<Duration::rep>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)))};
    case Shape::normal: {
      // Box-Muller; u1 in (0, 1] so the log is finite.
      const double u1 = 1.0 - rng.unit(), u2 = rng.unit();
      const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      const double v = static_cast<double>(mean.count()) + z * static_cast<double>(stddev.count());
      return Duration{std::clamp(static_cast<Duration::rep>(std::llround(v)), lo, hi)};
    }
    case Shape::pareto: {
      const double u = 1.0 - rng.unit();  // (0, 1]
      const double scale = static_cast<double>(std::max<Duration::rep>(lo, 1));
      const double v = scale / std::pow(u, 1.0 / pareto_alpha);
      if (!(v < static_cast<double>(hi))) return max;
      return Duration{std::clamp(static_cast<Duration::rep>(v), lo, hi)};
    }
  }
  return min;
}

std::optional<std::string_view> LatencyModel::validate() const {
  if (min.count() < 0) return "latency min must be >= 0";
  if (max < min) return "latency max must be >= min";
  if (max > std::chrono::seconds(60)) return "latency max must be <= 60 s";
  if (shape == Shape::normal && (mean < min || mean > max)) return "latency mean must be within [min, max]";
  if (stddev.count() < 0 || stddev > std::chrono::seconds(10)) return "latency stddev must be within 0 .. 10 s";
  if (!(pareto_alpha >= 0.1 && pareto_alpha <= 10.0)) return "pareto_alpha must be within 0.1 .. 10";
  return std::nullopt;
}

std::optional<LatencyModel::Shape> LatencyModel::parse_shape(std::string_view s) {
  if (s == "uniform") return Shape::uniform;
  if (s == "normal") return Shape::normal;
  if (s == "pareto") return Shape::pareto;
  return std::nullopt;
}

std::string_view LatencyModel::name(Shape s) {
  switch (s) {
    case Shape::uniform: return "uniform";
    case Shape::normal: return "normal";
    case Shape::pareto: return "pareto";
  }
  return "?";
}

}  // namespace rollcall::sim
