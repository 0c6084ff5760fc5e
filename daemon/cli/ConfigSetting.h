// One `rollcall config set KEY VALUE` as the agent's PUT /v1/config wants it: the canonical field
// name and a typed value. Parsed from what a person types (aliases, on/off, "30s"); range checks
// stay with the agent (it answers 400 naming the field). Pure; used by Commands.cpp and tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "daemon/http/Result.h"

namespace rollcall::daemon::cli {

struct ConfigSetting {
  std::string field;                          // e.g. "heartbeat_interval_ms"
  std::variant<bool, std::int64_t> value;     // bool fields / millisecond fields

  // KEY: a field of GET /v1/config, case-insensitive, '-' same as '_', the "_ms" suffix optional.
  // VALUE: on|off|true|false|yes|no|1|0 for booleans; ms or "500ms"/"30s"/"5m"/"24h"/"1d" for
  // durations. Error: a message naming the key and what is accepted.
  static http::Result<ConfigSetting, std::string> parse(std::string_view key, std::string_view value);

  // The canonical field for KEY, or nullopt if unknown. `writable` excludes read-only fields
  // (lamport, writer).
  static std::optional<std::string> canonical_key(std::string_view key, bool writable);

  // "on"/"off" for booleans, "30s (30000 ms)" for durations: for messages.
  std::string describe() const;
};

}  // namespace rollcall::daemon::cli
