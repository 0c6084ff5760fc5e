#include "daemon/cli/Durations.h"

#include <cstdio>

namespace rollcall::daemon::cli {

std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t whole = 0;
  bool digits = false;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (whole > 1'000'000'000'000ull) return std::nullopt;
    whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
    digits = true;
    ++i;
  }
  std::uint64_t frac = 0, frac_scale = 1;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (frac_scale >= 1'000'000'000ull) return std::nullopt;
      frac = frac * 10 + static_cast<std::uint64_t>(text[i] - '0');
      frac_scale *= 10;
      digits = true;
      ++i;
    }
  }
  if (!digits) return std::nullopt;
  std::string_view unit = text.substr(i);
  std::uint64_t mult = 0;
  if (unit.empty() || unit == "ms") mult = 1;
  else if (unit == "s") mult = 1000;
  else if (unit == "m") mult = 60'000;
  else if (unit == "h") mult = 3'600'000;
  else if (unit == "d") mult = 86'400'000;
  else return std::nullopt;
  if (whole > static_cast<std::uint64_t>(INT64_MAX) / mult / 2) return std::nullopt;
  std::uint64_t frac_ms = frac * mult;
  if (frac_ms % frac_scale != 0) return std::nullopt;  // finer than 1 ms
  return static_cast<std::int64_t>(whole * mult + frac_ms / frac_scale);
}

std::string format_duration_ms(std::int64_t ms) {
  if (ms == INT64_MIN) return "-";
  if (ms < 0) return "-" + format_duration_ms(-ms);
  if (ms == 0) return "0s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  struct Unit { std::int64_t ms; const char* name; };
  static constexpr Unit units[] = {{86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}};
  for (const auto& u : units) {
    if (u.ms == 86'400'000 && ms < 2 * u.ms) continue;  // "24h" and "36h" read better than days
    if (ms >= u.ms) {
      std::int64_t tenths = ms / u.ms * 10 + (ms % u.ms) * 10 / u.ms;  // truncated to one decimal
      char buf[32];
      if (tenths % 10 == 0) std::snprintf(buf, sizeof buf, "%lld%s", static_cast<long long>(tenths / 10), u.name);
      else std::snprintf(buf, sizeof buf, "%lld.%lld%s", static_cast<long long>(tenths / 10),
                         static_cast<long long>(tenths % 10), u.name);
      return buf;
    }
  }
  return std::to_string(ms) + "ms";
}

}  // namespace rollcall::daemon::cli
