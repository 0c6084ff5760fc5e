// A node's stable identity: 128 random bits created once and kept in the data directory.
// Name and address are attributes of a node, never its identity. Value type, usable anywhere.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::membership {

class NodeId {
 public:
  static constexpr std::size_t kSize = 16;
  using Bytes = std::array<std::uint8_t, kSize>;

  constexpr NodeId() = default;
  constexpr explicit NodeId(const Bytes& b) : bytes_(b) {}

  // Builds an id from two 64-bit words (tests, simulator); the daemon uses random bytes.
  static NodeId from_words(std::uint64_t hi, std::uint64_t lo);
  // Parses 32 hex digits; nullopt on anything else.
  static std::optional<NodeId> parse(std::string_view hex);

  const Bytes& bytes() const { return bytes_; }
  bool is_nil() const;
  std::string hex() const;        // 32 lowercase hex digits
  std::string short_hex() const;  // first 8 hex digits, for display

  // Ids are random: fold the two big-endian halves. Inline: every table lookup hashes an id.
  std::uint64_t hash() const {
    std::uint64_t a = 0, b = 0;
    for (std::size_t i = 0; i < 8; ++i) {
      a = (a << 8) | bytes_[i];
      b = (b << 8) | bytes_[8 + i];
    }
    return a ^ (b * 0x9e3779b97f4a7c15ULL);
  }

  friend constexpr auto operator<=>(const NodeId&, const NodeId&) = default;
  // Two word compares instead of a memcmp call (same meaning as the defaulted comparison).
  friend bool operator==(const NodeId& x, const NodeId& y) {
    std::uint64_t a[2], b[2];
    std::memcpy(a, x.bytes_.data(), kSize);
    std::memcpy(b, y.bytes_.data(), kSize);
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) == 0;
  }

 private:
  Bytes bytes_{};
};

}  // namespace rollcall::membership

template <>
struct std::hash<rollcall::membership::NodeId> {
  std::size_t operator()(const rollcall::membership::NodeId& id) const noexcept {
    return static_cast<std::size_t>(id.hash());
  }
};
