// Reads a fuzz input from the front, a field at a time, never past its end: missing bytes read as
// zero and an exhausted reader stays exhausted. Used by the fuzz harnesses (fuzz/targets) that
// turn one input into a sequence of operations; pure, no allocation except bytes()/chunk().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rollcall::fuzz {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> in) : in_(in) {}

  bool empty() const { return pos_ >= in_.size(); }
  std::size_t remaining() const { return empty() ? 0 : in_.size() - pos_; }

  std::uint8_t u8() { return empty() ? 0 : in_[pos_++]; }
  std::uint16_t u16() { return static_cast<std::uint16_t>(u8() | (u8() << 8)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(u16()) | (static_cast<std::uint32_t>(u16()) << 16); }
  std::uint64_t u64() { return static_cast<std::uint64_t>(u32()) | (static_cast<std::uint64_t>(u32()) << 32); }
  bool flag() { return (u8() & 1) != 0; }
  // A value in [0, n) (0 when n == 0).
  std::size_t pick(std::size_t n) { return n == 0 ? 0 : u8() % n; }

  // Up to `n` bytes (fewer at the end of the input).
  std::span<const std::uint8_t> bytes(std::size_t n) {
    const std::size_t take = n < remaining() ? n : remaining();
    auto out = in_.subspan(pos_, take);
    pos_ += take;
    return out;
  }
  // A chunk prefixed by its 16-bit little-endian length (clamped to what is left).
  std::span<const std::uint8_t> chunk() { return bytes(u16()); }
  // Everything left.
  std::span<const std::uint8_t> rest() { return bytes(remaining()); }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
};

}  // namespace rollcall::fuzz
