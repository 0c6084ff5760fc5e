// derive_table: the pure function from this node's view (TableInput) to the cluster table the
// Cluster Management page shows, with every status, sync flag and warning. Called by the agent
// (HTTP API, metrics) and the simulator. Reads no clock: all ages are `now` minus instants taken
// on this node's own monotonic clock, so wall-clock skew between machines cannot matter.
#pragma once

#include "membership/ClusterTable.h"
#include "membership/TableInput.h"

namespace rollcall::membership {

// Rules (see docs/api.md for the full list):
//  - a server is hidden while a whole-server removal exists with generation >= its generation;
//    a component is hidden while a removal of it exists with owner_version >= its entry version;
//  - a component is stale when its "heartbeat/<kind>" entry is at least the window old (kind "web":
//    web_stale_window_ms, any other kind: stale_timeout_ms); never received = unknown, not stale;
//  - prevailing version per kind and prevailing fingerprint per key are voted among live (alive or
//    suspect) servers; version ties go to the newest version, fingerprint ties to the smallest;
//  - server status is the worst of its own and its components' warnings; info does not count.
ClusterTable derive_table(const TableInput& in);

}  // namespace rollcall::membership
