// Seals and opens every gossip packet (UDP and stream frames) with AES-256-GCM under the keyring's
// primary key, accepting any installed key; or, in plaintext mode, only marks them. The gossip
// engine owns one per node and calls it on the per-packet path; not thread-safe (it reuses OpenSSL
// contexts). It never reads a global RNG: nonces come from the NonceSource its owner passes in.
//
//   sealed = [u8 1][12-byte nonce][ciphertext][16-byte GCM tag]   AAD = 0x01 || cluster name
//   plain  = [u8 0][payload]                                       (plaintext mode only)
//
// Random 96-bit nonces: keep it under 2^32 packets per key (decades at gossip rates); rotate keys.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gossip/crypto/Keyring.h"

namespace rollcall::gossip::crypto {

using Bytes = std::vector<std::uint8_t>;
using NonceSource = std::function<void(std::uint8_t* out, std::size_t n)>;

enum class OpenError : std::uint8_t {
  ok = 0,
  too_short,          // shorter than the envelope overhead
  bad_version,        // first byte neither 0 (plain) nor 1 (sealed)
  plaintext_refused,  // encrypted mode got a plaintext packet
  encrypted_refused,  // plaintext mode got a sealed packet
  auth_failed,        // no installed key opens it (wrong key, other cluster, tampered)
};

std::string_view to_string(OpenError e);

class Envelope {
 public:
  static constexpr std::uint8_t kSealedVersion = 1;
  static constexpr std::uint8_t kPlainMarker = 0;
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kTagSize = 16;
  static constexpr std::size_t kOverhead = 1 + kNonceSize + kTagSize;  // 29
  static constexpr std::size_t kPlaintextOverhead = 1;

  // Encrypted mode. `keyring` must not be empty and `nonces` must be set (std::invalid_argument
  // otherwise: a start-up error). `cluster_name` goes into the associated data.
  Envelope(std::string cluster_name, Keyring keyring, NonceSource nonces);
  // Plaintext mode: seal() only prepends 0x00; open() refuses sealed packets.
  static Envelope plaintext(std::string cluster_name);
  // The daemon's nonce source: RAND_bytes (aborts the process if the CSPRNG fails).
  static NonceSource os_random();

  Envelope(Envelope&&) noexcept;
  Envelope& operator=(Envelope&&) noexcept;
  ~Envelope();

  bool encrypted() const { return encrypted_; }
  std::size_t overhead() const { return encrypted_ ? kOverhead : kPlaintextOverhead; }
  const std::string& cluster_name() const { return cluster_name_; }
  const Keyring& keyring() const { return keyring_; }
  // Replaces the keys at runtime (rotation). false (and unchanged) if `keyring` is empty or the
  // envelope is in plaintext mode.
  bool set_keyring(Keyring keyring);

  Bytes seal(std::span<const std::uint8_t> plaintext);
  // On ok, `out` holds the payload; on error `out` is empty.
  OpenError open(std::span<const std::uint8_t> in, Bytes& out);

 private:
  struct Contexts;
  Envelope(std::string cluster_name, bool encrypted);
  void rebuild();

  std::string cluster_name_;
  Bytes aad_;  // kSealedVersion || cluster name
  bool encrypted_ = false;
  Keyring keyring_;
  NonceSource nonces_;
  std::unique_ptr<Contexts> ctx_;
};

}  // namespace rollcall::gossip::crypto
