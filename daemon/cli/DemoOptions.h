// Options of `rollcall demo` (Commands.h: demo()): how many agents, which ports, where their files
// go, and which binary to spawn. Filled by daemon/main.cpp from flags.
#pragma once

#include <string>

namespace rollcall::daemon::cli {

struct DemoOptions {
  int agents = 5;           // number of agent processes; default 5, range 1..64
  int base_port = 17950;    // agent i: gossip base_port+2i, HTTP base_port+2i+1; range 1024..65535-2N
  std::string workdir;      // "" = a fresh temporary directory, removed on exit; else kept
  std::string self_exe;     // the rollcall binary to spawn; "" = /proc/self/exe
};

}  // namespace rollcall::daemon::cli
