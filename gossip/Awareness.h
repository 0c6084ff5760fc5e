// Lifeguard local health ("awareness"): a score 0..max that rises when this node's own probes
// look unhealthy (missed nacks, refutations) and falls with successful probes. Probe interval and
// timeout are scaled by (score + 1). Owned by the engine; pure.
#pragma once

#include <cstdint>

namespace rollcall::gossip {

class Awareness {
 public:
  explicit Awareness(std::uint32_t max) : max_(max) {}

  // Adds delta, clamped to [0, max]. Returns the new score.
  std::uint32_t apply(int delta) {
    long v = static_cast<long>(score_) + delta;
    if (v < 0) v = 0;
    if (v > static_cast<long>(max_)) v = static_cast<long>(max_);
    score_ = static_cast<std::uint32_t>(v);
    return score_;
  }
  std::uint32_t score() const { return score_; }
  std::uint32_t max() const { return max_; }

 private:
  std::uint32_t max_;
  std::uint32_t score_ = 0;
};

}  // namespace rollcall::gossip
