#include "daemon/config/Duration.h"

#include <cstdint>

namespace rollcall::daemon::config {
namespace {

constexpr std::int64_t kMaxMs = 100LL * 366 * 24 * 3600 * 1000;  // 100 years

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  if (s == "0") return std::chrono::milliseconds(0);
  if (s.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    // number: digits [ '.' digits ]
    std::int64_t whole = 0;
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) {
      whole = whole * 10 + (s[i] - '0');
      if (whole > kMaxMs) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;  // a number starts with a digit (".5s" is not one)
    std::int64_t frac = 0, frac_scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      std::size_t fstart = i;
      while (i < s.size() && is_digit(s[i])) {
        if (frac_scale >= 1000000000) return std::nullopt;  // more precision than anyone needs
        frac = frac * 10 + (s[i] - '0');
        frac_scale *= 10;
        ++i;
      }
      if (i == fstart) return std::nullopt;
    }
    // unit
    std::size_t ustart = i;
    while (i < s.size() && !is_digit(s[i]) && s[i] != '.') ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    std::int64_t unit_ms = 0;
    if (unit == "ms") unit_ms = 1;
    else if (unit == "s") unit_ms = 1000;
    else if (unit == "m") unit_ms = 60'000;
    else if (unit == "h") unit_ms = 3'600'000;
    else if (unit == "d") unit_ms = 86'400'000;
    else return std::nullopt;
    if (whole > kMaxMs / unit_ms) return std::nullopt;
    std::int64_t part = whole * unit_ms;
    if (frac != 0) {
      if ((frac * unit_ms) % frac_scale != 0) return std::nullopt;  // not a whole number of ms
      part += frac * unit_ms / frac_scale;
    }
    total += part;
    if (total > kMaxMs) return std::nullopt;
  }
  return std::chrono::milliseconds(total);
}

std::string format_duration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  const std::int64_t h = ms / 3'600'000;
  ms %= 3'600'000;
  const std::int64_t m = ms / 60'000;
  ms %= 60'000;
  const std::int64_t s = ms / 1000;
  ms %= 1000;
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (s) out += std::to_string(s) + "s";
  if (ms) out += std::to_string(ms) + "ms";
  return out;
}

std::optional<std::uint64_t> parse_byte_size(std::string_view s) {
  std::size_t i = 0;
  std::uint64_t n = 0;
  while (i < s.size() && is_digit(s[i])) {
    if (n > (UINT64_MAX - 9) / 10) return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(s[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = s.substr(i);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "B") mult = 1;
  else if (unit == "KiB") mult = 1ULL << 10;
  else if (unit == "MiB") mult = 1ULL << 20;
  else if (unit == "GiB") mult = 1ULL << 30;
  else if (unit == "KB" || unit == "kB") mult = 1000;
  else if (unit == "MB") mult = 1000 * 1000;
  else if (unit == "GB") mult = 1000 * 1000 * 1000;
  else return std::nullopt;
  if (n > UINT64_MAX / mult) return std::nullopt;
  return n * mult;
}

}  // namespace rollcall::daemon::config
