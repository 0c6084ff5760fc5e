// One server in the derived cluster table: its published attributes, its SWIM liveness as this
// node sees it, its components and keys, and its warnings. Built by derive_table; rendered by the
// API. Pure value; ages are on the observing node's own monotonic clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "membership/Address.h"
#include "membership/ComponentRow.h"
#include "membership/Health.h"
#include "membership/Incarnation.h"
#include "membership/KeyRow.h"
#include "membership/MemberState.h"
#include "membership/NodeId.h"
#include "membership/TableWarning.h"

namespace rollcall::membership {

struct ServerRow {
  NodeId id;
  std::string name;  // from the published "server" entry, else the member's gossip name
  bool has_info = false;  // a "server" entry was received from this server
  std::string os_name;
  std::string os_version;
  std::vector<std::string> addresses;
  Address gossip_address;
  std::string agent_version;
  std::string host_id;
  std::map<std::string, std::string> labels;

  MemberState state = MemberState::alive;
  std::optional<std::int64_t> last_heard_ms;  // age of Member::last_heard; 0 for self
  Incarnation incarnation;
  bool degraded = false;
  std::optional<double> rtt_ms;  // last probe round trip; none if unknown
  bool is_self = false;

  Health status = Health::ok;  // worst of its own and its components' warnings
  bool version_in_sync = true;
  bool key_in_sync = true;
  std::vector<ComponentRow> components;  // sorted by kind
  std::vector<KeyRow> keys;              // sorted by name
  std::vector<TableWarning> warnings;

  friend bool operator==(const ServerRow&, const ServerRow&) = default;
};

}  // namespace rollcall::membership
