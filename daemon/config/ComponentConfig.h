// One [[component]] entry: a local product component this agent reports and verifies.
#pragma once

#include <chrono>
#include <string>

namespace rollcall::daemon::config {

struct ComponentConfig {
  std::string kind;      // required, [a-z0-9_-]{1,32}, unique ("web", "service")
  std::string version;   // required, 1..64 printable chars
  std::string endpoint;  // shown in the table; "" = none
  // "" (no probe) | "http://host[:port]/path" (GET; 2xx/3xx = ok) | "tcp://host:port" (connect)
  std::string check;
  std::chrono::milliseconds check_interval{30000};  // 1s..24h
  std::chrono::milliseconds check_timeout{5000};    // 100ms..5m, < check_interval
};

}  // namespace rollcall::daemon::config
