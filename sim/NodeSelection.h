// Which nodes a scenario event applies to: explicit indices, or a count / fraction drawn from the
// candidates (optionally only those in one partition group, seeds excluded unless asked), at
// random (scenario RNG), first or last by index. Parsed by ScenarioLoader, resolved by Runner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rollcall::sim {

struct NodeSelection {
  enum class From : std::uint8_t { random, first, last };
  std::vector<std::size_t> nodes;  // explicit indices; when set, the fields below are ignored
  std::size_t count = 0;           // this many nodes (0 and fraction 0: one node)
  double fraction = 0.0;           // or this fraction of the candidates, rounded up. Range 0 .. 1
  From from = From::random;
  int group = -1;                  // only nodes currently in this partition group (-1: any)
  bool include_seeds = false;      // seeds are never picked unless this is set
  bool all = false;                // every candidate
};

}  // namespace rollcall::sim
