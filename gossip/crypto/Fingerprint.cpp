#include "gossip/crypto/Fingerprint.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace rollcall::gossip::crypto {

std::string fingerprint(std::string_view salt, std::string_view secret) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (!mac) return {};
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end(),
  };
  // HMAC accepts an empty key; give OpenSSL a valid pointer even then.
  static const unsigned char kEmpty = 0;
  const auto* key = salt.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(salt.data());
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t out_len = 0;
  const bool ok = ctx && EVP_MAC_init(ctx, key, salt.size(), params) == 1 &&
                  EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(secret.data()), secret.size()) == 1 &&
                  EVP_MAC_final(ctx, out, &out_len, sizeof out) == 1 && out_len >= 8;
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  std::string hex;
  if (ok) {
    static constexpr char kHex[] = "0123456789abcdef";
    hex.resize(16);
    for (std::size_t i = 0; i < 8; ++i) {
      hex[2 * i] = kHex[out[i] >> 4];
      hex[2 * i + 1] = kHex[out[i] & 15];
    }
  }
  OPENSSL_cleanse(out, sizeof out);
  return hex;
}

}  // namespace rollcall::gossip::crypto
