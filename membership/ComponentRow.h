// One component of a server in the derived cluster table (kind, version, status, verification,
// heartbeat age, version sync). Built by derive_table; rendered by the API. Pure value.
// Ages are measured on the observing node's own monotonic clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "membership/Verification.h"

namespace rollcall::membership {

struct ComponentRow {
  enum class Status : std::uint8_t { ok = 0, warning = 1, error = 2, stale = 3, unknown = 4 };

  std::string kind;      // "web", "service", ...
  std::string version;   // software version reported by the owner
  std::string endpoint;  // for display
  Status status = Status::unknown;
  Verification::Result verification = Verification::Result::unknown;
  std::string verification_detail;
  std::optional<std::int64_t> verification_age_ms;  // owner's age at publication + time since received
  std::optional<std::int64_t> heartbeat_age_ms;     // since the counter last advanced here; none = never
  bool stale = false;
  bool version_in_sync = true;
  std::string prevailing_version;  // most common version of this kind among live servers

  static constexpr std::string_view to_string(Status s) {
    switch (s) {
      case Status::ok: return "ok";
      case Status::warning: return "warning";
      case Status::error: return "error";
      case Status::stale: return "stale";
      case Status::unknown: return "unknown";
    }
    return "unknown";
  }
  friend bool operator==(const ComponentRow&, const ComponentRow&) = default;
};

}  // namespace rollcall::membership
