// Why a packet failed to decode. Returned by the codec (Codec.h) inside DecodeResult; the engine
// counts these per kind. Values are stable: metrics and logs name them with to_string().
#pragma once

#include <cstdint>
#include <string_view>

namespace rollcall::gossip::wire {

enum class DecodeError : std::uint8_t {
  none = 0,     // decoded (possibly with unknown message types skipped)
  empty,        // zero bytes
  too_large,    // more bytes than the caller's limit
  bad_version,  // first byte is not kProtocolVersion
  malformed,    // not valid msgpack, limits exceeded, wrong field type, missing field, trailing bytes
};

constexpr std::string_view to_string(DecodeError e) {
  switch (e) {
    case DecodeError::none: return "none";
    case DecodeError::empty: return "empty";
    case DecodeError::too_large: return "too_large";
    case DecodeError::bad_version: return "bad_version";
    case DecodeError::malformed: return "malformed";
  }
  return "unknown";
}

}  // namespace rollcall::gossip::wire
