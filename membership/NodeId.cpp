#include "membership/NodeId.h"

namespace rollcall::membership {

NodeId NodeId::from_words(std::uint64_t hi, std::uint64_t lo) {
  Bytes b{};
  for (int i = 0; i < 8; ++i) {
    b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    b[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  return NodeId{b};
}

std::optional<NodeId> NodeId::parse(std::string_view hex) {
  if (hex.size() != 2 * kSize) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes b{};
  for (std::size_t i = 0; i < kSize; ++i) {
    int h = nibble(hex[2 * i]), l = nibble(hex[2 * i + 1]);
    if (h < 0 || l < 0) return std::nullopt;
    b[i] = static_cast<std::uint8_t>(h * 16 + l);
  }
  return NodeId{b};
}

bool NodeId::is_nil() const {
  for (auto v : bytes_)
    if (v != 0) return false;
  return true;
}

std::string NodeId::hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s(2 * kSize, '0');
  for (std::size_t i = 0; i < kSize; ++i) {
    s[2 * i] = kDigits[bytes_[i] >> 4];
    s[2 * i + 1] = kDigits[bytes_[i] & 15];
  }
  return s;
}

std::string NodeId::short_hex() const { return hex().substr(0, 8); }

}  // namespace rollcall::membership
