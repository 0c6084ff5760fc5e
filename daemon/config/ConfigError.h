// Why the agent configuration could not be loaded: every problem found (not just the first), each
// naming the key and where its value came from ("gossip.mtu: must be between 576 and 9000, got 100
// (agent.toml:12:7)"). Never contains a secret value. Returned by load_config().
#pragma once

#include <string>
#include <vector>

namespace rollcall::daemon::config {

struct ConfigError {
  std::vector<std::string> problems;

  // All problems, one per line.
  std::string message() const {
    std::string out;
    for (const auto& p : problems) {
      if (!out.empty()) out += '\n';
      out += p;
    }
    return out;
  }
};

}  // namespace rollcall::daemon::config
