// Hex helpers for the wire tests (golden bytes, failure messages).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rollcall::gossip::wire::testing {

inline std::string to_hex(const std::vector<std::uint8_t>& b) {
  static constexpr char k[] = "0123456789abcdef";
  std::string s;
  for (auto v : b) {
    s += k[v >> 4];
    s += k[v & 15];
  }
  return s;
}

// Ignores spaces, so golden strings can be grouped by field.
inline std::vector<std::uint8_t> from_hex(std::string_view h) {
  std::vector<std::uint8_t> out;
  int hi = -1;
  for (char c : h) {
    if (c == ' ') continue;
    const int v = c <= '9' ? c - '0' : c - 'a' + 10;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

}  // namespace rollcall::gossip::wire::testing
