#pragma once
// Test keys: a gossip key whose 32 bytes are all `b`.
#include <cstdint>

#include "gossip/crypto/Keyring.h"

namespace rollcall::gossip::crypto::test {

inline Key key_of(std::uint8_t b) {
  Key k;
  k.fill(b);
  return k;
}

}  // namespace rollcall::gossip::crypto::test
