// The [server] section: how this host describes itself in the cluster table. Plain data filled by
// load_config(); os_name/os_version default to /etc/os-release, addresses to discovery by the agent.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace rollcall::daemon::config {

struct ServerSettings {
  std::string os_name;                          // default: NAME from /etc/os-release
  std::string os_version;                       // default: VERSION_ID from /etc/os-release
  std::string host_id_file = "/etc/machine-id";  // read (and hashed) by the agent; "" = none
  std::vector<std::string> addresses;           // IP literals; empty = discovered by the agent
  std::map<std::string, std::string> labels;    // key [a-z0-9_.-]{1,63}, value <= 256 chars
};

}  // namespace rollcall::daemon::config
