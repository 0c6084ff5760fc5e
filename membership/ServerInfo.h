// What a node publishes about its server (state key "server"). Owned and written only by that
// node's agent; replicated to all. Pure value type.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rollcall::membership {

struct ServerInfo {
  std::string name;                         // display name (normally the host name); not identity
  std::string os_name;                      // e.g. "Debian GNU/Linux"
  std::string os_version;                   // e.g. "12"
  std::vector<std::string> addresses;       // IPv4 and IPv6 addresses configured on the server
  std::string agent_version;                // rollcall version, e.g. "0.1.0"
  std::uint32_t protocol_version = 0;       // wire protocol version the agent speaks
  std::string host_id;                      // physical host identity (/etc/machine-id), may be empty
  std::map<std::string, std::string> labels;

  friend bool operator==(const ServerInfo&, const ServerInfo&) = default;
};

}  // namespace rollcall::membership
