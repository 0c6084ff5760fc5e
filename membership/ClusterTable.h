// The derived cluster table: what the Cluster Management page shows. A pure function of this
// node's view (members, replicated state, cluster items) and "now" (see TableBuilder.h); served
// by the API as JSON. Two agents with the same view get the same digest and the same content
// apart from ages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "membership/ClusterConfig.h"
#include "membership/Health.h"
#include "membership/NodeId.h"
#include "membership/ServerRow.h"
#include "membership/TableWarning.h"

namespace rollcall::membership {

struct ClusterTable {
  std::string name;                  // cluster name
  std::size_t server_count = 0;      // rows shown (removed servers hidden)
  std::size_t servers_alive = 0;     // rows whose SWIM state is alive or suspect
  Health status = Health::ok;        // worst of everything below
  std::string digest;                // 16 hex digits: hash of the replicated content (ContentDigest)
  ClusterConfig config;
  std::uint64_t config_lamport = 0;  // 0 = defaults, never written
  std::optional<NodeId> config_writer;
  std::vector<TableWarning> warnings;  // cluster-level (NAME_CONFLICT, SHARED_HOST)

  NodeId served_by;
  std::string served_by_name;

  std::vector<ServerRow> servers;  // sorted by name, then id

  friend bool operator==(const ClusterTable&, const ClusterTable&) = default;
};

}  // namespace rollcall::membership
