// The well-known keys of a node's replicated state ("server", "component/<kind>", ...), so that
// the agent writing them and the table derivation reading them agree. Pure helpers, usable anywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rollcall::membership {

class StateKeys {
 public:
  static constexpr std::string_view kServer = "server";
  static constexpr std::string_view kKeyring = "keyring";
  static constexpr std::string_view kComponentPrefix = "component/";
  static constexpr std::string_view kHeartbeatPrefix = "heartbeat/";
  static constexpr std::string_view kVerifyPrefix = "verify/";
  static constexpr std::string_view kKeyPrefix = "key/";

  static std::string component(std::string_view kind) { return std::string(kComponentPrefix) + std::string(kind); }
  static std::string heartbeat(std::string_view kind) { return std::string(kHeartbeatPrefix) + std::string(kind); }
  static std::string verify(std::string_view kind) { return std::string(kVerifyPrefix) + std::string(kind); }
  static std::string key(std::string_view name) { return std::string(kKeyPrefix) + std::string(name); }

  // The suffix after `prefix`, or nullopt if `key` does not start with it (or the suffix is empty).
  static std::optional<std::string_view> suffix(std::string_view key, std::string_view prefix) {
    if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) return std::nullopt;
    return key.substr(prefix.size());
  }
  // Volatile keys change constantly (heartbeats, verification results) and are left out of the
  // convergence digest.
  static bool is_volatile(std::string_view key) {
    return suffix(key, kHeartbeatPrefix).has_value() || suffix(key, kVerifyPrefix).has_value();
  }
};

}  // namespace rollcall::membership
