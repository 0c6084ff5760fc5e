// A product component on a server (state key "component/<kind>"): kind is "web", "service" or
// another name and identifies the component within its server. Owned by that server's agent.
#pragma once

#include <string>

namespace rollcall::membership {

struct ComponentInfo {
  std::string kind;      // "web", "service", ...; unique per server
  std::string version;   // the product's software version, e.g. "2024.3"
  std::string endpoint;  // where the component listens, for display ("http://10.0.0.5:8624")

  friend bool operator==(const ComponentInfo&, const ComponentInfo&) = default;
};

}  // namespace rollcall::membership
