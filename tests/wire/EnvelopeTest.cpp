// Envelope: AES-256-GCM seal/open, authentication of every bit and of the cluster name, key
// rotation, plaintext mode both ways, nonce handling.
#include <gtest/gtest.h>

#include <set>

#include "gossip/crypto/Envelope.h"
#include "membership/Rng.h"
#include "wire/Keys.h"

namespace rollcall::gossip::crypto {
namespace envelope_test {

using test::key_of;

// Deterministic nonces, as the simulator would pass.
NonceSource counting_nonces() {
  auto rng = std::make_shared<membership::Rng>(42);
  return [rng](std::uint8_t* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>((*rng)());
  };
}

Bytes payload(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 3);
  return b;
}

TEST(Envelope, SealOpenRoundTrip) {
  Envelope e("prod", Keyring(key_of(1)), counting_nonces());
  EXPECT_TRUE(e.encrypted());
  EXPECT_EQ(e.overhead(), 29u);
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 1171u, 70000u}) {
    const Bytes p = payload(n);
    const Bytes s = e.seal(p);
    ASSERT_EQ(s.size(), n + Envelope::kOverhead);
    EXPECT_EQ(s[0], 1);
    if (n >= 16) {
      EXPECT_EQ(std::search(s.begin(), s.end(), p.begin(), p.begin() + 16), s.end()) << "plaintext visible";
    }
    Bytes out{9, 9};
    ASSERT_EQ(e.open(s, out), OpenError::ok) << n;
    EXPECT_EQ(out, p);
  }
}

TEST(Envelope, TwoEnvelopesWithTheSameKeyInteroperate) {
  Envelope a("prod", Keyring(key_of(1)), Envelope::os_random());
  Envelope b("prod", Keyring(key_of(1)), Envelope::os_random());
  Bytes out;
  ASSERT_EQ(b.open(a.seal(payload(100)), out), OpenError::ok);
  EXPECT_EQ(out, payload(100));
}

TEST(Envelope, WrongKeyFails) {
  Envelope a("prod", Keyring(key_of(1)), counting_nonces());
  Envelope b("prod", Keyring(key_of(2)), counting_nonces());
  Bytes out;
  EXPECT_EQ(b.open(a.seal(payload(50)), out), OpenError::auth_failed);
  EXPECT_TRUE(out.empty());
}

TEST(Envelope, DifferentClusterNameFailsEvenWithTheSameKey) {
  Envelope a("prod", Keyring(key_of(1)), counting_nonces());
  Envelope b("staging", Keyring(key_of(1)), counting_nonces());
  Envelope c("prod2", Keyring(key_of(1)), counting_nonces());
  Bytes out;
  const Bytes s = a.seal(payload(50));
  EXPECT_EQ(b.open(s, out), OpenError::auth_failed);
  EXPECT_EQ(c.open(s, out), OpenError::auth_failed);
}

TEST(Envelope, EverySingleFlippedBitFailsAuthentication) {
  Envelope e("prod", Keyring(key_of(1)), counting_nonces());
  const Bytes s = e.seal(payload(40));
  Bytes out;
  for (std::size_t bit = 8; bit < s.size() * 8; ++bit) {  // byte 0 is the version: tested below
    Bytes t = s;
    t[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    ASSERT_EQ(e.open(t, out), OpenError::auth_failed) << "bit " << bit;
    ASSERT_TRUE(out.empty());
  }
  for (int b = 0; b < 8; ++b) {
    Bytes t = s;
    t[0] ^= static_cast<std::uint8_t>(1u << b);
    const OpenError r = e.open(t, out);
    EXPECT_TRUE(r == OpenError::bad_version || r == OpenError::plaintext_refused) << to_string(r);
  }
}

TEST(Envelope, TruncationAndExtensionFail) {
  Envelope e("prod", Keyring(key_of(1)), counting_nonces());
  const Bytes s = e.seal(payload(40));
  Bytes out;
  for (std::size_t n = 1; n < s.size(); ++n) {
    const OpenError r = e.open(std::span(s.data(), n), out);
    EXPECT_EQ(r, n < Envelope::kOverhead ? OpenError::too_short : OpenError::auth_failed) << n;
  }
  Bytes longer = s;
  longer.push_back(0);
  EXPECT_EQ(e.open(longer, out), OpenError::auth_failed);
  EXPECT_EQ(e.open({}, out), OpenError::too_short);
}

TEST(Envelope, RotationOldKeyStillAcceptedRemovedKeyRejected) {
  const Key old_key = key_of(1), new_key = key_of(2);
  Envelope old_node("prod", Keyring(old_key), counting_nonces());
  Envelope node("prod", Keyring(old_key), counting_nonces());
  const Bytes from_old = old_node.seal(payload(30));

  // Step 1: install the new key everywhere; step 2: make it primary.
  Keyring r = node.keyring();
  r.install(new_key);
  ASSERT_EQ(r.use(Keyring::key_id(new_key)), Keyring::Error::ok);
  ASSERT_TRUE(node.set_keyring(r));
  EXPECT_EQ(*node.keyring().primary(), new_key);
  Bytes out;
  EXPECT_EQ(node.open(from_old, out), OpenError::ok) << "old key still accepted";
  const Bytes from_new = node.seal(payload(31));
  EXPECT_EQ(old_node.open(from_new, out), OpenError::auth_failed) << "sealed with the new primary";
  Envelope new_only("prod", Keyring(new_key), counting_nonces());
  EXPECT_EQ(new_only.open(from_new, out), OpenError::ok);

  // The primary cannot be removed; the old key can, and then it is rejected.
  EXPECT_EQ(r.remove(Keyring::key_id(new_key)), Keyring::Error::is_primary);
  ASSERT_EQ(r.remove(Keyring::key_id(old_key)), Keyring::Error::ok);
  ASSERT_TRUE(node.set_keyring(r));
  EXPECT_EQ(node.open(from_old, out), OpenError::auth_failed);
  EXPECT_EQ(node.open(node.seal(payload(5)), out), OpenError::ok);
}

TEST(Envelope, EmptyKeyringIsRefused) {
  EXPECT_THROW(Envelope("prod", Keyring(), counting_nonces()), std::invalid_argument);
  EXPECT_THROW(Envelope("prod", Keyring(key_of(1)), NonceSource{}), std::invalid_argument);
  Envelope e("prod", Keyring(key_of(1)), counting_nonces());
  EXPECT_FALSE(e.set_keyring(Keyring()));
  EXPECT_EQ(*e.keyring().primary(), key_of(1));
}

TEST(Envelope, PlaintextModeBothWays) {
  Envelope plain = Envelope::plaintext("prod");
  Envelope sealed("prod", Keyring(key_of(1)), counting_nonces());
  EXPECT_FALSE(plain.encrypted());
  EXPECT_EQ(plain.overhead(), 1u);
  const Bytes p = payload(20);
  const Bytes s = plain.seal(p);
  ASSERT_EQ(s.size(), 21u);
  EXPECT_EQ(s[0], 0);
  Bytes out;
  ASSERT_EQ(plain.open(s, out), OpenError::ok);
  EXPECT_EQ(out, p);
  EXPECT_EQ(plain.open(Bytes{0}, out), OpenError::ok);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(sealed.open(s, out), OpenError::plaintext_refused);
  EXPECT_EQ(plain.open(sealed.seal(p), out), OpenError::encrypted_refused);
  EXPECT_EQ(plain.open(Bytes{7, 1, 2}, out), OpenError::bad_version);
  EXPECT_FALSE(plain.set_keyring(Keyring(key_of(1))));
}

TEST(Envelope, NoncesDifferPerPacketAndComeFromTheSource) {
  Envelope e("prod", Keyring(key_of(1)), Envelope::os_random());
  std::set<Bytes> nonces;
  const Bytes p = payload(10);
  for (int i = 0; i < 1000; ++i) {
    const Bytes s = e.seal(p);
    nonces.insert(Bytes(s.begin() + 1, s.begin() + 13));
  }
  EXPECT_EQ(nonces.size(), 1000u);

  // The envelope uses exactly what its source gives (deterministic for the simulator).
  int calls = 0;
  Envelope fixed("prod", Keyring(key_of(1)), [&calls](std::uint8_t* out, std::size_t n) {
    ++calls;
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<std::uint8_t>(0xa0 + i);
  });
  const Bytes a = fixed.seal(p), b = fixed.seal(p);
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(Bytes(a.begin() + 1, a.begin() + 13), (Bytes{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab}));
}

TEST(Envelope, MovedEnvelopeStillWorks) {
  Envelope a("prod", Keyring(key_of(1)), counting_nonces());
  Envelope b = std::move(a);
  Bytes out;
  EXPECT_EQ(b.open(b.seal(payload(3)), out), OpenError::ok);
}

}  // namespace envelope_test
}  // namespace rollcall::gossip::crypto
