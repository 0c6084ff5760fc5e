// A 256-bit gossip encryption key (AES-256-GCM). Secret: never log, print or send it. Deliberately
// a plain array with no operator<<; show key ids (Keyring::key_id) instead.
#pragma once

#include <array>
#include <cstdint>

namespace rollcall::gossip::crypto {

using Key = std::array<std::uint8_t, 32>;

}  // namespace rollcall::gossip::crypto
