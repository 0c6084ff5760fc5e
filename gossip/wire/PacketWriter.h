// Packs already-encoded messages (encode_message in Codec.h) into one plaintext packet that never
// exceeds a byte limit, accounting exactly for the version byte and the growing msgpack array
// header. Used by the engine to fill each datagram up to the MTU minus the envelope overhead.
// Not thread-safe; cheap to create (one buffer), and reusable: the engine keeps one and packs every
// datagram in the same buffer (view() + clear(), no allocation per packet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rollcall::gossip::wire {

class PacketWriter {
 public:
  // `limit`: maximum size of finish()'s result in bytes. An empty packet takes 2 bytes, so a
  // limit below 2 admits no message and finish() still returns those 2 bytes.
  explicit PacketWriter(std::size_t limit);

  // Appends one encoded message if the finished packet would still fit; false (and nothing
  // changed) otherwise. The bytes are copied.
  bool add(std::span<const std::uint8_t> encoded_message);

  std::size_t size() const;       // bytes finish() would return now
  std::size_t remaining() const;  // limit - size(), or 0
  std::size_t count() const { return count_; }
  std::size_t limit() const { return limit_; }
  bool empty() const { return count_ == 0; }

  // The packet: version byte + array header + messages. Leaves the writer empty and reusable.
  std::vector<std::uint8_t> finish();
  // The same bytes in place, valid until the next add(), clear(), reset() or finish(); the
  // writer keeps its messages until clear().
  std::span<const std::uint8_t> view();
  // Empties the writer, keeping its buffer.
  void clear();
  // Empties it and sets a new limit.
  void reset(std::size_t limit);

  // Bytes of the msgpack array header for n elements (1, 3 or 5).
  static constexpr std::size_t header_size(std::size_t n) { return n < 16 ? 1 : n <= 0xffff ? 3 : 5; }

 private:
  static constexpr std::size_t kGap = 1 + 5;  // version byte + largest array header
  std::size_t limit_ = 0;
  std::size_t count_ = 0;
  std::vector<std::uint8_t> buf_;  // kGap reserved bytes, then the messages
};

}  // namespace rollcall::gossip::wire
