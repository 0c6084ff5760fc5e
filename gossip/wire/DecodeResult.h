// What decode_packet() (Codec.h) hands back: the decoded messages, or an error value. Never an
// exception. On error `messages` is empty; `detail` says where it went wrong (for debug logs only,
// it never contains packet bytes).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gossip/wire/DecodeError.h"
#include "gossip/wire/Messages.h"

namespace rollcall::gossip::wire {

struct DecodeResult {
  std::vector<Message> messages;
  DecodeError error = DecodeError::none;
  std::size_t unknown_skipped = 0;  // messages of a type this version does not know (skipped)
  std::string detail;               // empty on success

  bool ok() const { return error == DecodeError::none; }
};

}  // namespace rollcall::gossip::wire
