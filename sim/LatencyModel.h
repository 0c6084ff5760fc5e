// One-way datagram latency as a random distribution (uniform, truncated normal, Pareto long tail),
// drawn per datagram so that packets of one link overtake each other (reordering). Owned by
// NetworkConfig; sampled by sim::World with the world's seeded Rng. Pure value type.
#pragma once

#include <optional>
#include <string_view>

#include "membership/Rng.h"
#include "membership/Time.h"

namespace rollcall::sim {

using membership::Duration;

struct LatencyModel {
  enum class Shape : std::uint8_t { uniform, normal, pareto };

  // uniform: every value in [min, max] equally likely.
  // normal: mean + stddev x N(0,1), clamped to [min, max].
  // pareto: min / U^(1/pareto_alpha) (long tail, min is the scale), clamped to max.
  Shape shape = Shape::uniform;
  // Smallest latency. Unit time. Default 200 us. Range 0 .. max.
  Duration min = std::chrono::microseconds(200);
  // Largest latency (cap of every shape). Unit time. Default 2 ms. Range min .. 60 s.
  Duration max = std::chrono::microseconds(2000);
  // normal only: centre. Unit time. Default 1 ms. Range min .. max.
  Duration mean = std::chrono::microseconds(1000);
  // normal only: spread. Unit time. Default 300 us. Range 0 .. 10 s.
  Duration stddev = std::chrono::microseconds(300);
  // pareto only: tail index alpha (smaller = longer tail). Default 1.5. Range 0.1 .. 10.
  double pareto_alpha = 1.5;

  Duration sample(membership::Rng& rng) const;

  // nullopt if valid, else what is wrong.
  std::optional<std::string_view> validate() const;
  static std::optional<Shape> parse_shape(std::string_view s);
  static std::string_view name(Shape s);
};

}  // namespace rollcall::sim
