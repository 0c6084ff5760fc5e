#include "gossip/crypto/Keyring.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>

namespace rollcall::gossip::crypto {

namespace {

constexpr char kHex[] = "0123456789abcdef";

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

Keyring::~Keyring() {
  if (!keys_.empty()) OPENSSL_cleanse(keys_.data(), keys_.size() * sizeof(Key));
}

void Keyring::install(const Key& key) {
  if (std::find(keys_.begin(), keys_.end(), key) == keys_.end()) keys_.push_back(key);
}

std::size_t Keyring::find(std::string_view id) const {
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (key_id(keys_[i]) == id) return i;
  return keys_.size();
}

bool Keyring::contains(std::string_view id) const { return find(id) < keys_.size(); }

Keyring::Error Keyring::use(std::string_view id) {
  const std::size_t i = find(id);
  if (i == keys_.size()) return Error::unknown_key;
  // Move it to the front, keeping the others in their order.
  std::rotate(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(i),
              keys_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  return Error::ok;
}

Keyring::Error Keyring::remove(std::string_view id) {
  const std::size_t i = find(id);
  if (i == keys_.size()) return Error::unknown_key;
  if (i == 0) return Error::is_primary;
  OPENSSL_cleanse(keys_[i].data(), keys_[i].size());
  keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(i));
  return Error::ok;
}

std::string Keyring::primary_id() const { return keys_.empty() ? std::string() : key_id(keys_.front()); }

std::vector<std::string> Keyring::ids() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  for (const auto& k : keys_) out.push_back(key_id(k));
  return out;
}

membership::KeyringInfo Keyring::info() const { return {ids(), primary_id()}; }

std::optional<Key> Keyring::parse_key(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  // 32 bytes = 10 full groups of 3 + 2 bytes: 44 characters, the last one '=' padding.
  if (text.size() != 44 || text[43] != '=') return std::nullopt;
  Key key{};
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < 43; ++i) {
    const int v = base64_value(text[i]);
    if (v < 0) {
      OPENSSL_cleanse(key.data(), key.size());
      return std::nullopt;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      key[n++] = static_cast<std::uint8_t>(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  // 43 * 6 = 258 bits: 32 bytes and 2 leftover bits, which canonical base64 leaves zero.
  if (n != key.size() || acc != 0) {
    OPENSSL_cleanse(key.data(), key.size());
    return std::nullopt;
  }
  return key;
}

std::string Keyring::encode_key(const Key& key) {
  unsigned char out[4 * ((32 + 2) / 3) + 1];
  const int n = EVP_EncodeBlock(out, key.data(), static_cast<int>(key.size()));
  std::string s(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  OPENSSL_cleanse(out, sizeof out);
  return s;
}

std::string Keyring::key_id(const Key& key) {
  static constexpr char kDomain[] = "rollcall-key-id";
  unsigned char buf[sizeof kDomain - 1 + 32];
  std::copy_n(kDomain, sizeof kDomain - 1, buf);
  std::copy(key.begin(), key.end(), buf + sizeof kDomain - 1);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = EVP_Digest(buf, sizeof buf, digest, &len, EVP_sha256(), nullptr);
  OPENSSL_cleanse(buf, sizeof buf);
  if (ok != 1) return {};
  std::string id(8, '0');
  for (std::size_t i = 0; i < 4; ++i) {
    id[2 * i] = kHex[digest[i] >> 4];
    id[2 * i + 1] = kHex[digest[i] & 15];
  }
  return id;
}

Key Keyring::generate() {
  Key key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
    throw std::runtime_error("RAND_bytes failed: cannot generate a gossip key");
  return key;
}

}  // namespace rollcall::gossip::crypto
