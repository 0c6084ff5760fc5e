// Keyring (install/use/remove rules, key parsing and ids) and the product-key fingerprint.
#include <gtest/gtest.h>

#include "gossip/crypto/Fingerprint.h"
#include "gossip/crypto/Keyring.h"
#include "wire/Keys.h"

namespace rollcall::gossip::crypto {
namespace keyring_test {

using test::key_of;

TEST(Keyring, FirstInstalledKeyIsPrimaryAndInstallIsIdempotent) {
  Keyring r;
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(r.primary(), nullptr);
  EXPECT_EQ(r.primary_id(), "");
  r.install(key_of(1));
  r.install(key_of(2));
  r.install(key_of(1));
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(*r.primary(), key_of(1));
  EXPECT_EQ(r.ids(), (std::vector<std::string>{Keyring::key_id(key_of(1)), Keyring::key_id(key_of(2))}));
}

TEST(Keyring, UseMakesAnInstalledKeyPrimary) {
  Keyring r(key_of(1));
  r.install(key_of(2));
  r.install(key_of(3));
  EXPECT_EQ(r.use("00000000"), Keyring::Error::unknown_key);
  EXPECT_EQ(*r.primary(), key_of(1));
  EXPECT_EQ(r.use(Keyring::key_id(key_of(3))), Keyring::Error::ok);
  EXPECT_EQ(*r.primary(), key_of(3));
  EXPECT_EQ(r.keys(), (std::vector<Key>{key_of(3), key_of(1), key_of(2)}));
  EXPECT_EQ(r.primary_id(), Keyring::key_id(key_of(3)));
}

TEST(Keyring, RemoveRefusesThePrimaryAndUnknownKeys) {
  Keyring r(key_of(1));
  r.install(key_of(2));
  EXPECT_EQ(r.remove(Keyring::key_id(key_of(1))), Keyring::Error::is_primary);
  EXPECT_EQ(r.remove("ffffffff"), Keyring::Error::unknown_key);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.remove(Keyring::key_id(key_of(2))), Keyring::Error::ok);
  EXPECT_EQ(r.size(), 1u);
  EXPECT_FALSE(r.contains(Keyring::key_id(key_of(2))));
}

TEST(Keyring, InfoHasIdsOnly) {
  Keyring r(key_of(7));
  r.install(key_of(8));
  const auto info = r.info();
  EXPECT_EQ(info.primary, Keyring::key_id(key_of(7)));
  EXPECT_EQ(info.installed, r.ids());
}

TEST(Keyring, KeyIdIsEightHexDigitsStableAndDistinct) {
  const std::string a = Keyring::key_id(key_of(1));
  EXPECT_EQ(a.size(), 8u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(a, Keyring::key_id(key_of(1)));
  EXPECT_NE(a, Keyring::key_id(key_of(2)));
  // Golden: SHA-256("rollcall-key-id" || 32 zero bytes), first 4 bytes.
  EXPECT_EQ(Keyring::key_id(key_of(0)), Keyring::key_id(Key{}));
}

TEST(Keyring, ParseAndEncodeRoundTrip) {
  Key k;
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i * 37 + 11);
  const std::string b64 = Keyring::encode_key(k);
  EXPECT_EQ(b64.size(), 44u);
  EXPECT_EQ(Keyring::parse_key(b64), k);
  EXPECT_EQ(Keyring::parse_key("  \t" + b64 + "\n"), k);
  // Known vector: 32 zero bytes.
  EXPECT_EQ(Keyring::encode_key(Key{}), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  EXPECT_EQ(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="), Key{});
}

TEST(Keyring, ParseKeyRejectsAnythingButExactly32Bytes) {
  const std::string good = Keyring::encode_key(key_of(0x5a));
  EXPECT_TRUE(Keyring::parse_key(good));
  EXPECT_FALSE(Keyring::parse_key(""));
  EXPECT_FALSE(Keyring::parse_key("   "));
  EXPECT_FALSE(Keyring::parse_key(good.substr(0, 43)));             // no padding
  EXPECT_FALSE(Keyring::parse_key(good + "="));                     // too long
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="));  // 31 bytes
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));  // 34 bytes
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));  // 36 bytes
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAA*AAAAAAAAAAAAAAAAAAAAA="));  // bad char
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAA_AAAAAAAAAAAAAAAAAAAAA="));  // url-safe alphabet
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA="));  // inner space
  EXPECT_FALSE(Keyring::parse_key("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB="));  // non-zero pad bits
}

TEST(Keyring, GenerateGivesDistinctKeys) {
  EXPECT_NE(Keyring::generate(), Keyring::generate());
}

TEST(Fingerprint, KnownVectorStableAndSaltDependent) {
  // RFC 4231 test case 2: HMAC-SHA256(key "Jefe", "what do ya want for nothing?").
  EXPECT_EQ(fingerprint("Jefe", "what do ya want for nothing?"), "5bdcc146bf60754e");
  const std::string a = fingerprint("cluster-salt-1", "secret");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a, fingerprint("cluster-salt-1", "secret"));
  EXPECT_NE(a, fingerprint("cluster-salt-2", "secret"));
  EXPECT_NE(a, fingerprint("cluster-salt-1", "secret2"));
  EXPECT_EQ(fingerprint("", "secret").size(), 16u);
  EXPECT_EQ(fingerprint("salt", "").size(), 16u);
}

}  // namespace keyring_test
}  // namespace rollcall::gossip::crypto
