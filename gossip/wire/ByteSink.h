// Internal to the codec's .cpp files: a msgpack output stream appending to a byte vector, and the
// packer built on it, so encoding writes straight into the caller's buffer (no sbuffer copy).
// Includes msgpack: never include it from a header that other layers see.
#pragma once

#include <msgpack.hpp>

#include <cstdint>
#include <vector>

namespace rollcall::gossip::wire::detail {

struct ByteSink {
  std::vector<std::uint8_t>* out;
  void write(const char* data, std::size_t n) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(data);
    out->insert(out->end(), p, p + n);
  }
};

using Packer = msgpack::packer<ByteSink>;

}  // namespace rollcall::gossip::wire::detail
