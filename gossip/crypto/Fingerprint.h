// Fingerprint of a product secret (e.g. the encryption key), safe to replicate: HMAC-SHA256 keyed
// by a per-cluster salt, as 16 lowercase hex digits. Lets the cluster table tell whether all
// servers hold the same key without the key ever leaving its host. Called by the daemon.
#pragma once

#include <string>
#include <string_view>

namespace rollcall::gossip::crypto {

// HMAC-SHA256(key = cluster_salt, data = secret), lowercase hex, first 16 digits (64 bits).
// Returns "" only if OpenSSL fails (never in practice); "" means "not set" in KeyFingerprint.
std::string fingerprint(std::string_view cluster_salt, std::string_view secret);

}  // namespace rollcall::gossip::crypto
