// One agent of `rollcall demo` as planned by DemoPlan: its name, ports, files and what makes the
// table interesting (an older version on agent index 1, no product key on agent index 2).
// Pure value, read by Demo.cpp and the tests.
#pragma once

#include <cstdint>
#include <string>

namespace rollcall::daemon::cli {

struct DemoAgent {
  int index = 0;                  // 0-based
  std::string name;               // "demo-1" for index 0
  std::uint16_t gossip_port = 0;  // base_port + 2*index
  std::uint16_t http_port = 0;    // base_port + 2*index + 1
  std::string data_dir;           // <workdir>/agent-<n>/data
  std::string config_file;        // <workdir>/agent-<n>.toml
  std::string log_file;           // <workdir>/agent-<n>.log
  std::string version;            // component version: "2024.3", "2024.2" on index 1
  bool product_key = true;        // PROGET_ENCRYPTION_KEY given; false on index 2
};

}  // namespace rollcall::daemon::cli
