// Target envelope_open: Envelope::open on arbitrary bytes in encrypted mode (a keyring of two
// keys) and in plaintext mode; an error must leave the output empty. Then the input as a payload:
// seal() under each mode must open back to exactly the input.
#include <algorithm>
#include <cstring>

#include "fuzz/Targets.h"
#include "gossip/crypto/Envelope.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::fuzz {

namespace {

using gossip::crypto::Envelope;
using gossip::crypto::Key;
using gossip::crypto::Keyring;
using gossip::crypto::OpenError;

// The keys the seed corpus was sealed with (fuzz/tools/MakeSeeds.cpp uses the same).
Key fixed_key(std::uint8_t fill) {
  Key k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(fill + i);
  return k;
}

struct Envelopes {
  Envelope sealed;
  Envelope plain = Envelope::plaintext("fuzz");
  Envelopes() : sealed("fuzz", make_ring(), [n = std::uint64_t{0}](std::uint8_t* out, std::size_t len) mutable {
                  ++n;  // deterministic nonces: replays behave the same
                  std::memset(out, 0, len);
                  std::memcpy(out, &n, len < sizeof n ? len : sizeof n);
                }) {}
  static Keyring make_ring() {
    Keyring ring(fixed_key(1));
    ring.install(fixed_key(101));
    return ring;
  }
};

}  // namespace

int envelope_open(Input in) {
  static Envelopes env;
  gossip::crypto::Bytes out{0xEE};  // not empty: open must clear it on error

  for (Envelope* e : {&env.sealed, &env.plain}) {
    const OpenError err = e->open(in, out);
    if (err != OpenError::ok) {
      check(out.empty(), "envelope_open", "output not empty after an error");
    } else {
      check(out.size() + e->overhead() == in.size(), "envelope_open", "payload size != input - overhead");
    }
    check(!gossip::crypto::to_string(err).empty(), "envelope_open", "error without a name");

    const auto sealed = e->seal(in);
    check(sealed.size() == in.size() + e->overhead(), "envelope_open", "sealed size != payload + overhead");
    gossip::crypto::Bytes back;
    check(e->open(sealed, back) == OpenError::ok, "envelope_open", "cannot open what it sealed");
    check(back.size() == in.size() && std::equal(back.begin(), back.end(), in.begin()), "envelope_open",
          "seal/open round trip changed the payload");
  }
  return 0;
}

}  // namespace rollcall::fuzz
