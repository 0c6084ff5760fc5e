// The version of one cluster item as exchanged in anti-entropy: (key, lamport, writer). The gossip
// engine converts it to and from wire::ClusterDigestEntry; ClusterItems produces and consumes it.
#pragma once

#include <cstdint>
#include <string>

#include "membership/NodeId.h"

namespace rollcall::membership {

struct ClusterDigestEntry {
  std::string key;
  std::uint64_t lamport = 0;
  NodeId writer;

  friend bool operator==(const ClusterDigestEntry&, const ClusterDigestEntry&) = default;
};

}  // namespace rollcall::membership
