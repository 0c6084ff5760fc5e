// Facts about this server that the agent publishes in its "server" state entry: host name, OS
// name and version (/etc/os-release), interface addresses (getifaddrs), and a physical host
// identity (a short hash of /etc/machine-id). Read once at start and on SIGHUP.
#pragma once

#include <string>
#include <vector>

namespace rollcall::daemon {

struct HostFacts {
  std::string hostname;
  std::string os_name;
  std::string os_version;
  std::vector<std::string> addresses;  // non-loopback first; loopback only if nothing else
  std::string host_id;                 // 16 hex digits of SHA-256(machine-id), "" if unreadable

  static HostFacts read(const std::string& os_release_path = "/etc/os-release",
                        const std::string& machine_id_path = "/etc/machine-id");
};

}  // namespace rollcall::daemon
