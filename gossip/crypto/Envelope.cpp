#include "gossip/crypto/Envelope.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace rollcall::gossip::crypto {

// Named rather than anonymous: Envelope::Contexts (declared in the header) holds these, and a
// member whose type has internal linkage is an error once the file is part of a unity build.
namespace envelope_detail {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// A context with the cipher and key schedule set; each packet then only sets its nonce.
Ctx make_ctx(const Key& key, bool encrypt) {
  Ctx c(EVP_CIPHER_CTX_new());
  if (!c) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  if (EVP_CipherInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key.data(), nullptr, encrypt ? 1 : 0) != 1)
    throw std::runtime_error("AES-256-GCM init failed");
  return c;
}

}  // namespace envelope_detail
using envelope_detail::Ctx;
using envelope_detail::make_ctx;

struct Envelope::Contexts {
  Ctx seal;               // primary key
  std::vector<Ctx> open;  // one per installed key, keyring order (primary first)
};

std::string_view to_string(OpenError e) {
  switch (e) {
    case OpenError::ok: return "ok";
    case OpenError::too_short: return "too_short";
    case OpenError::bad_version: return "bad_version";
    case OpenError::plaintext_refused: return "plaintext_refused";
    case OpenError::encrypted_refused: return "encrypted_refused";
    case OpenError::auth_failed: return "auth_failed";
  }
  return "unknown";
}

Envelope::Envelope(std::string cluster_name, bool encrypted)
    : cluster_name_(std::move(cluster_name)), encrypted_(encrypted) {
  aad_.reserve(1 + cluster_name_.size());
  aad_.push_back(kSealedVersion);
  aad_.insert(aad_.end(), cluster_name_.begin(), cluster_name_.end());
}

Envelope::Envelope(std::string cluster_name, Keyring keyring, NonceSource nonces)
    : Envelope(std::move(cluster_name), true) {
  if (keyring.empty()) throw std::invalid_argument("Envelope: encrypted mode needs at least one key");
  if (!nonces) throw std::invalid_argument("Envelope: encrypted mode needs a nonce source");
  keyring_ = std::move(keyring);
  nonces_ = std::move(nonces);
  rebuild();
}

Envelope Envelope::plaintext(std::string cluster_name) { return Envelope(std::move(cluster_name), false); }

NonceSource Envelope::os_random() {
  return [](std::uint8_t* out, std::size_t n) {
    // A repeated nonce would break GCM: better to stop than to send.
    if (n > INT_MAX || RAND_bytes(out, static_cast<int>(n)) != 1) std::abort();
  };
}

Envelope::Envelope(Envelope&&) noexcept = default;
Envelope& Envelope::operator=(Envelope&&) noexcept = default;
Envelope::~Envelope() = default;

void Envelope::rebuild() {
  auto c = std::make_unique<Contexts>();
  c->seal = make_ctx(*keyring_.primary(), true);
  for (const auto& k : keyring_.keys()) c->open.push_back(make_ctx(k, false));
  ctx_ = std::move(c);
}

bool Envelope::set_keyring(Keyring keyring) {
  if (!encrypted_ || keyring.empty()) return false;
  keyring_ = std::move(keyring);
  rebuild();
  return true;
}

Bytes Envelope::seal(std::span<const std::uint8_t> plain) {
  if (!encrypted_) {
    Bytes out(plain.size() + 1);
    out[0] = kPlainMarker;
    if (!plain.empty()) std::memcpy(out.data() + 1, plain.data(), plain.size());
    return out;
  }
  if (plain.size() > INT_MAX - kOverhead) return {};
  Bytes out(kOverhead + plain.size());
  std::uint8_t* nonce = out.data() + 1;
  std::uint8_t* body = nonce + kNonceSize;
  out[0] = kSealedVersion;
  nonces_(nonce, kNonceSize);
  EVP_CIPHER_CTX* c = ctx_->seal.get();
  int len = 0, fin = 0;
  bool ok = EVP_EncryptInit_ex(c, nullptr, nullptr, nullptr, nonce) == 1 &&
            EVP_EncryptUpdate(c, nullptr, &len, aad_.data(), static_cast<int>(aad_.size())) == 1;
  if (ok && !plain.empty())
    ok = EVP_EncryptUpdate(c, body, &len, plain.data(), static_cast<int>(plain.size())) == 1;
  else
    len = 0;
  ok = ok && EVP_EncryptFinal_ex(c, body + len, &fin) == 1 &&
       EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagSize), body + plain.size()) == 1;
  if (!ok) return {};
  return out;
}

OpenError Envelope::open(std::span<const std::uint8_t> in, Bytes& out) {
  out.clear();
  if (in.empty()) return OpenError::too_short;
  if (in[0] == kPlainMarker) {
    if (encrypted_) return OpenError::plaintext_refused;
    out.assign(in.begin() + 1, in.end());
    return OpenError::ok;
  }
  if (in[0] != kSealedVersion) return OpenError::bad_version;
  if (!encrypted_) return OpenError::encrypted_refused;
  if (in.size() < kOverhead || in.size() > INT_MAX) return OpenError::too_short;

  const std::uint8_t* nonce = in.data() + 1;
  const std::uint8_t* body = nonce + kNonceSize;
  const std::size_t body_len = in.size() - kOverhead;
  std::uint8_t tag[kTagSize];
  std::memcpy(tag, body + body_len, kTagSize);
  out.resize(body_len);
  for (const auto& ctx : ctx_->open) {
    EVP_CIPHER_CTX* c = ctx.get();
    int len = 0, fin = 0;
    bool ok = EVP_DecryptInit_ex(c, nullptr, nullptr, nullptr, nonce) == 1 &&
              EVP_DecryptUpdate(c, nullptr, &len, aad_.data(), static_cast<int>(aad_.size())) == 1;
    if (ok && body_len > 0)
      ok = EVP_DecryptUpdate(c, out.data(), &len, body, static_cast<int>(body_len)) == 1;
    else
      len = 0;
    ok = ok && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagSize), tag) == 1 &&
         EVP_DecryptFinal_ex(c, out.data() + len, &fin) == 1;
    if (ok) return OpenError::ok;
  }
  out.clear();
  return OpenError::auth_failed;
}

}  // namespace rollcall::gossip::crypto
