// The overall status of a server or of the cluster in the derived table: ok, warning or error
// (the worst severity among its warnings; info does not count). Pure value, usable anywhere.
#pragma once

#include <cstdint>
#include <string_view>

namespace rollcall::membership {

enum class Health : std::uint8_t { ok = 0, warning = 1, error = 2 };

constexpr std::string_view to_string(Health h) {
  switch (h) {
    case Health::ok: return "ok";
    case Health::warning: return "warning";
    case Health::error: return "error";
  }
  return "ok";
}

}  // namespace rollcall::membership
