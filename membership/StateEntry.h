// One versioned field of a node's replicated state. Each owner stamps its entries with its own
// monotonically increasing version counter (persisted, so it only grows across restarts); a
// peer holding version v of an owner needs exactly the entries with version > v (scuttlebutt).
// A deleted field is an entry whose value is std::monostate, so deletions replicate too.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "membership/ComponentInfo.h"
#include "membership/Heartbeat.h"
#include "membership/KeyFingerprint.h"
#include "membership/KeyringInfo.h"
#include "membership/ServerInfo.h"
#include "membership/Verification.h"

namespace rollcall::membership {

// Append only: the index is the wire tag of the value.
using StateValue = std::variant<std::monostate, ServerInfo, ComponentInfo, Heartbeat, Verification,
                                KeyFingerprint, KeyringInfo>;

struct StateEntry {
  std::string key;         // "server", "component/web", "heartbeat/web", "verify/web", "key/encryption", "keyring"
  std::uint64_t version = 0;
  StateValue value;

  bool deleted() const { return std::holds_alternative<std::monostate>(value); }
  friend bool operator==(const StateEntry&, const StateEntry&) = default;
};

}  // namespace rollcall::membership
