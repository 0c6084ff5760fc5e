// rollcall_craft: a test tool that seals, opens and decodes gossip packets with the real envelope
// and codec (target rollcall_wire), so the bad-input and security tests (Python) can send packets
// an agent accepts as authentic, and check what they crafted. Not installed; tests only.
//
//   rollcall_craft seal   --cluster NAME [--frames]   stdin plaintext -> stdout sealed
//   rollcall_craft open   --cluster NAME [--frames]   stdin sealed    -> stdout plaintext
//   rollcall_craft decode [--stream]                  stdin plaintext -> one summary line on stdout
//
// The key (base64, as `rollcall keygen` prints) comes from env CRAFT_KEY, never from argv; with
// --frames, stdin and stdout are sequences of [u32 big-endian length][bytes]. Exit status: 0 ok,
// 1 the packet did not open/decode (the reason on stdout), 2 usage.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "gossip/crypto/Envelope.h"
#include "gossip/crypto/Keyring.h"
#include "gossip/wire/Codec.h"

namespace {

using rollcall::gossip::crypto::Envelope;
using rollcall::gossip::crypto::Keyring;
using Bytes = std::vector<std::uint8_t>;

Bytes read_all() {
  std::freopen(nullptr, "rb", stdin);
  return Bytes(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

void write_bytes(const Bytes& b) { std::fwrite(b.data(), 1, b.size(), stdout); }

void write_frame(const Bytes& b) {
  const auto n = static_cast<std::uint32_t>(b.size());
  const std::uint8_t len[4] = {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                               static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)};
  std::fwrite(len, 1, 4, stdout);
  write_bytes(b);
}

// Splits [u32 len][bytes]... ; false if the input is not a whole number of frames.
bool split_frames(const Bytes& in, std::vector<Bytes>& out) {
  std::size_t i = 0;
  while (i < in.size()) {
    if (in.size() - i < 4) return false;
    const std::size_t n = (std::size_t{in[i]} << 24) | (std::size_t{in[i + 1]} << 16) | (std::size_t{in[i + 2]} << 8) | in[i + 3];
    i += 4;
    if (in.size() - i < n) return false;
    out.emplace_back(in.begin() + static_cast<long>(i), in.begin() + static_cast<long>(i + n));
    i += n;
  }
  return true;
}

int usage() {
  std::fputs("usage: rollcall_craft seal|open --cluster NAME [--frames] (key in env CRAFT_KEY) | decode [--stream]\n", stderr);
  return 2;
}

int decode(bool stream) {
  const Bytes in = read_all();
  const auto r = rollcall::gossip::wire::decode_packet(in, stream ? rollcall::gossip::wire::kMaxStream
                                                                  : rollcall::gossip::wire::kMaxDatagram);
  if (!r.ok()) {
    std::printf("error %s %s\n", std::string(to_string(r.error)).c_str(), r.detail.c_str());
    return 1;
  }
  std::string types;
  for (const auto& m : r.messages) types += (types.empty() ? "" : ",") + std::to_string(m.index() + 1);
  std::printf("ok messages=%zu unknown=%zu types=%s\n", r.messages.size(), r.unknown_skipped, types.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string cmd = argv[1];
  std::string cluster;
  bool frames = false, stream = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--cluster" && i + 1 < argc) cluster = argv[++i];
    else if (a == "--frames") frames = true;
    else if (a == "--stream") stream = true;
    else return usage();
  }
  if (cmd == "decode") return decode(stream);
  if ((cmd != "seal" && cmd != "open") || cluster.empty()) return usage();
  const char* key_text = std::getenv("CRAFT_KEY");
  if (!key_text) return usage();
  Keyring ring;
  std::string keys = key_text;  // comma-separated, first is primary
  for (std::size_t pos = 0; pos <= keys.size();) {
    const auto comma = std::min(keys.find(',', pos), keys.size());
    if (comma > pos) {
      auto k = Keyring::parse_key(keys.substr(pos, comma - pos));
      if (!k) {
        std::fputs("rollcall_craft: CRAFT_KEY is not base64 of 32 bytes\n", stderr);
        return 2;
      }
      ring.install(*k);
    }
    pos = comma + 1;
  }
  Envelope env(cluster, std::move(ring), Envelope::os_random());
  const Bytes in = read_all();
  std::vector<Bytes> packets;
  if (frames) {
    if (!split_frames(in, packets)) return usage();
  } else {
    packets.push_back(in);
  }
  int rc = 0;
  for (const auto& p : packets) {
    Bytes out;
    if (cmd == "seal") {
      out = env.seal(p);
    } else if (auto e = env.open(p, out); e != rollcall::gossip::crypto::OpenError::ok) {
      std::printf("error %s\n", std::string(to_string(e)).c_str());
      rc = 1;
      continue;
    }
    if (frames) write_frame(out);
    else write_bytes(out);
  }
  std::fflush(stdout);
  return rc;
}
