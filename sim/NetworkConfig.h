// The simulated network every datagram and stream crosses: latency distribution, uniform loss,
// duplication, stream setup cost. Owned by sim::World (World::net() changes it at run time);
// built by tests directly and by the scenario loader from a TOML file.
#pragma once

#include "sim/LatencyModel.h"

namespace rollcall::sim {

struct NetworkConfig {
  // One-way latency of every datagram (and of each leg of a stream). Default uniform 200 us .. 2 ms.
  LatencyModel latency;
  // Uniform loss of every datagram. Unit probability. Default 0. Range 0 .. 1.
  double loss = 0.0;
  // Probability that a delivered datagram is delivered twice. Default 0. Range 0 .. 1.
  double duplicate = 0.0;
  // Extra cost of opening a stream (TCP handshake). Unit time. Default 300 us. Range 0 .. 10 s.
  Duration stream_latency_extra = std::chrono::microseconds(300);
};

}  // namespace rollcall::sim
