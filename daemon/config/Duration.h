// Durations as the configuration writes them: "500ms", "1s", "2m", "24h", "7d", combinations like
// "1h30m", decimals like "1.5s", and "0". Pure functions, used by the loader and describe().
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::daemon::config {

// nullopt for anything else: empty, no unit ("5"), unknown unit, negative, sub-millisecond
// remainder ("0.5ms"), overflow (more than 100 years).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// An exact form parse_duration() reads back: 1500 -> "1s500ms", 60000 -> "1m", 5400000 -> "1h30m",
// 86400000 -> "24h", 0 -> "0s".
std::string format_duration(std::chrono::milliseconds d);

// Byte sizes: a plain integer or "16KiB", "1MiB", "1GiB", "512B" (also KB/MB = 1000-based).
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace rollcall::daemon::config
