// FNV-1a 64-bit hash with framing helpers (fixed-width integers, length-prefixed strings), for
// stable, platform-independent content digests. Not cryptographic. Pure, usable anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rollcall::membership {

class Fnv1a {
 public:
  static constexpr std::uint64_t kOffset = 14695981039346656037ULL;
  static constexpr std::uint64_t kPrime = 1099511628211ULL;

  void byte(std::uint8_t b) { h_ = (h_ ^ b) * kPrime; }
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    for (std::size_t i = 0; i < n; ++i) byte(p[i]);
  }
  // Little-endian, 8 bytes, whatever the platform.
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) byte(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  // Length-prefixed, so ("ab","c") and ("a","bc") differ.
  void str(std::string_view s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  std::uint64_t value() const { return h_; }

  // 16 lowercase hex digits.
  static std::string hex16(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s(16, '0');
    for (int i = 15; i >= 0; --i) {
      s[static_cast<std::size_t>(i)] = kDigits[v & 15];
      v >>= 4;
    }
    return s;
  }

 private:
  std::uint64_t h_ = kOffset;
};

}  // namespace rollcall::membership
