// The set of gossip keys a node accepts, one of them primary (the one it seals with). Keys rotate
// with no downtime: install the new key everywhere, `use` it everywhere, then `remove` the old one.
// A value type owned by the daemon (loaded from its key file) and handed to Envelope. Holds key
// material: no operator<<; expose only key ids, which are safe to show.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gossip/crypto/Key.h"
#include "membership/KeyringInfo.h"

namespace rollcall::gossip::crypto {

class Keyring {
 public:
  enum class Error : std::uint8_t { ok, unknown_key, is_primary };

  Keyring() = default;  // empty: no primary; an Envelope refuses it in encrypted mode
  explicit Keyring(const Key& primary) { install(primary); }
  Keyring(const Keyring&) = default;
  Keyring(Keyring&&) noexcept = default;
  Keyring& operator=(const Keyring&) = default;
  Keyring& operator=(Keyring&&) noexcept = default;
  ~Keyring();  // wipes the key bytes

  // Adds `key` (no-op if present). The first key installed becomes primary.
  void install(const Key& key);
  // Makes the installed key with this id primary.
  Error use(std::string_view key_id);
  // Removes an installed key; the primary cannot be removed (use another key first).
  Error remove(std::string_view key_id);

  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }
  const Key* primary() const { return keys_.empty() ? nullptr : &keys_.front(); }
  std::string primary_id() const;                      // "" if empty
  const std::vector<Key>& keys() const { return keys_; }  // primary first, then install order
  std::vector<std::string> ids() const;                // same order
  bool contains(std::string_view key_id) const;
  membership::KeyringInfo info() const;                // ids only, for the replicated state

  // Exactly 32 bytes after standard base64 decoding (with '=' padding); surrounding whitespace
  // is trimmed. nullopt on anything else.
  static std::optional<Key> parse_key(std::string_view base64);
  static std::string encode_key(const Key& key);  // standard base64, 44 characters
  // First 8 hex digits of SHA-256("rollcall-key-id" || key): identifies a key, reveals nothing.
  static std::string key_id(const Key& key);
  // A fresh random key from the OS CSPRNG (RAND_bytes). Daemon/CLI only; throws on RNG failure.
  static Key generate();

  friend bool operator==(const Keyring&, const Keyring&) = default;

 private:
  std::size_t find(std::string_view key_id) const;  // index or size()
  std::vector<Key> keys_;
};

}  // namespace rollcall::gossip::crypto
