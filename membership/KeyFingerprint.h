// Fingerprint of a named secret key of the product (state key "key/<name>", e.g. "key/encryption").
// The fingerprint is HMAC-SHA256(cluster salt, key) truncated (computed by the daemon); the key
// itself never leaves its host. An empty fingerprint means "not set" on that server.
#pragma once

#include <string>

namespace rollcall::membership {

struct KeyFingerprint {
  std::string fingerprint;  // lowercase hex, empty = not set

  bool is_set() const { return !fingerprint.empty(); }
  friend bool operator==(const KeyFingerprint&, const KeyFingerprint&) = default;
};

}  // namespace rollcall::membership
