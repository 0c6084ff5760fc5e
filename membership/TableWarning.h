// A warning or error in the derived cluster table: a stable UPPER_SNAKE code, a severity, a
// message saying what is wrong and a remedy saying what a person should do. Built by
// WarningCatalog, carried by ClusterTable/ServerRow, rendered by the API. Pure value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "membership/NodeId.h"

namespace rollcall::membership {

struct TableWarning {
  enum class Severity : std::uint8_t { info = 0, warning = 1, error = 2 };

  std::string code;      // e.g. "VERSION_OUT_OF_SYNC"; stable, documented in docs/api.md
  Severity severity = Severity::warning;
  std::string message;   // what is wrong, for a person
  std::string remedy;    // what to do about it
  std::optional<NodeId> server;  // the server concerned, if any
  std::string component;         // the component kind concerned, empty if none

  static constexpr std::string_view to_string(Severity s) {
    switch (s) {
      case Severity::info: return "info";
      case Severity::warning: return "warning";
      case Severity::error: return "error";
    }
    return "info";
  }
  friend bool operator==(const TableWarning&, const TableWarning&) = default;
};

}  // namespace rollcall::membership
