// Internal to the codec's .cpp files: a msgpack output stream appending to a byte vector, and the
// packer built on it, so encoding writes straight into the caller's buffer (no sbuffer copy).
// Includes msgpack: never include it from a header that other layers see.
#pragma once

#include <msgpack.hpp>

#include <cstdint>
#include <cstring>
#include <vector>

namespace rollcall::gossip::wire::detail {

// The packer writes 1 to 9 bytes at a time; vector::insert per write was the encoder's largest
// cost, so writes gather in a small buffer and reach the vector in a few large appends.
// flush() must be called before `out` is read (the encoders do it before they return).
struct ByteSink {
  explicit ByteSink(std::vector<std::uint8_t>* o) : out(o) {}
  ByteSink(const ByteSink&) = delete;
  ByteSink& operator=(const ByteSink&) = delete;

  void write(const char* data, std::size_t n) {
    if (n > kBuffer - used) {
      flush();
      if (n > kBuffer) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(data);
        out->insert(out->end(), p, p + n);
        return;
      }
    }
    std::memcpy(buf + used, data, n);
    used += n;
  }
  void flush() {
    out->insert(out->end(), buf, buf + used);
    used = 0;
  }

 private:
  static constexpr std::size_t kBuffer = 256;
  std::vector<std::uint8_t>* out;
  std::uint8_t buf[kBuffer];
  std::size_t used = 0;
};

using Packer = msgpack::packer<ByteSink>;

}  // namespace rollcall::gossip::wire::detail
