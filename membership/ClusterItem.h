// A cluster-wide last-writer-wins item: the cluster config ("config") or a removal tombstone
// ("removal/<server id>/<kind>" or "removal/<server id>"). Any node may write; concurrent writes
// resolve identically everywhere by (lamport, writer). Pure value type.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "membership/ClusterConfig.h"
#include "membership/NodeId.h"
#include "membership/Removal.h"

namespace rollcall::membership {

// Append only: the index is the wire tag of the value.
using ClusterValue = std::variant<ClusterConfig, Removal>;

struct ClusterItem {
  std::string key;
  std::uint64_t lamport = 0;
  NodeId writer;
  ClusterValue value;

  // True iff this write wins over `other` (same key assumed).
  bool newer_than(const ClusterItem& other) const {
    if (lamport != other.lamport) return lamport > other.lamport;
    return writer > other.writer;
  }
  friend bool operator==(const ClusterItem&, const ClusterItem&) = default;
};

}  // namespace rollcall::membership
