// Per-node fault knobs of the simulated network, changed at any time by tests, scenarios and
// World's fault schedules (flip-flop). Read by sim::World on every datagram. Plain data.
#pragma once

#include "membership/Time.h"

namespace rollcall::sim {

struct NodeFaults {
  // Extra loss of datagrams arriving at this node. Unit probability. Default 0. Range 0 .. 1.
  // At 1 (total) streams (TCP) to and from the node fail too; partial loss leaves them alone.
  double ingress_loss = 0.0;
  // Extra loss of datagrams leaving this node. Unit probability. Default 0. Range 0 .. 1.
  // At 1 streams fail too.
  double egress_loss = 0.0;
  // Every datagram and stream to this node is handled this much later (slow node). Default 0.
  membership::Duration slow{};
};

}  // namespace rollcall::sim
