// One raw configuration value before it is typed, whatever its source: a TOML value (string,
// boolean, integer, array of strings, table of strings) or the text of an environment variable or
// override (from_text). Internal to daemon/config; `where` names the source for error messages.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace rollcall::daemon::config {

struct ConfigValue {
  using Map = std::map<std::string, std::string>;
  std::variant<std::string, bool, std::int64_t, std::vector<std::string>, Map> value;
  bool from_text = false;  // an environment variable or override: a string to interpret
  std::string where;       // "agent.toml:12:7", "environment variable ROLLCALL_GOSSIP_MTU", "override gossip.mtu"
};

}  // namespace rollcall::daemon::config
