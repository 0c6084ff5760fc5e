// Durations as a person types and reads them on the command line: "500ms", "30s", "5m", "24h",
// "1d" (or a bare number of milliseconds) in, compact "1.2s" / "5m" / "3h" / "2d" out.
// Used by ConfigSetting (config set) and the formatters; pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::daemon::cli {

// Milliseconds, or nullopt for anything else (negative, empty, unknown unit, overflow, fractions
// finer than 1 ms). Accepts a decimal number with an optional unit: ms, s, m, h, d.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);

// Largest unit that keeps at most one decimal: 0 -> "0s", 350 -> "350ms", 1200 -> "1.2s",
// 90000 -> "1.5m", 300000 -> "5m", 86400000 -> "24h", 259200000 -> "3d". Negative -> "-" prefix.
std::string format_duration_ms(std::int64_t ms);

}  // namespace rollcall::daemon::cli
