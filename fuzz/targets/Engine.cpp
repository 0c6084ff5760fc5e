// Target engine: one gossip::Engine (plaintext envelope, so every input reaches the handlers) driven
// like a tiny simulator by a script read from the input: datagrams and stream frames from four
// peers, replies to the streams it opened, stream failures, fired timers, time jumps, local and
// cluster writes, join and leave. Oracles after every step: each datagram fits the MTU, and every
// datagram, stream request and stream reply the engine produces decodes cleanly.
//
// Script: byte 0 = preset (bits 0-1: lan/local/wan; bits 2-3: MTU 1200/576/9000/1400), byte 1 =
// start flags (bit 0: join the peers as seeds), then ops: 1 byte opcode, then its operands;
// "chunk" = u16 little-endian length + bytes (the harness prepends the plaintext marker 0x00).
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "fuzz/Targets.h"
#include "fuzz/support/ByteReader.h"
#include "gossip/Engine.h"
#include "gossip/wire/Codec.h"
#include "membership/ClusterItems.h"

namespace rollcall::fuzz {

namespace {

using namespace std::chrono_literals;
using gossip::Bytes;
using membership::Address;
using membership::Instant;
using membership::NodeId;

constexpr std::size_t kMaxTimers = 4096;
constexpr std::size_t kMaxPending = 256;
constexpr int kMaxFiresPerStep = 64;   // timers fired by one "let time pass" op
constexpr int kMaxFires = 1024;        // timers fired per input (keeps one run in milliseconds)
constexpr int kMaxSteps = 256;
constexpr std::string_view kName = "engine";

Address peer_addr(std::size_t i) { return Address::v4(0x0A000002u + static_cast<std::uint32_t>(i), 7950); }
const NodeId kSelf = NodeId::from_words(0x5E1F, 0x5E1F);

Bytes marked(std::span<const std::uint8_t> payload) {
  Bytes b;
  b.reserve(payload.size() + 1);
  b.push_back(0x00);
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

void check_decodes(const Bytes& sealed, std::size_t limit, std::string_view what) {
  check(!sealed.empty() && sealed[0] == 0x00, kName, std::string(what) + ": missing plaintext marker");
  auto r = gossip::wire::decode_packet(std::span<const std::uint8_t>(sealed).subspan(1), limit);
  check(r.ok(), kName, std::string(what) + " does not decode: " + r.detail);
  check(r.unknown_skipped == 0, kName, std::string(what) + " holds unknown messages");
}

// The engine often sends the same bytes again (a reconnect tick or a retried push-pull carries an
// unchanged state; a probe is repeated), and the oracle's decode is half the cost of a run. The
// decoder is a pure function of (bytes, limit), so a packet already checked in this run is not
// decoded again. Kept per run, not across runs: a run's coverage must not depend on earlier runs.
class CheckedPackets {
 public:
  void check(const Bytes& sealed, std::size_t limit, std::string_view what) {
    std::string key(reinterpret_cast<const char*>(&limit), sizeof limit);
    key.append(reinterpret_cast<const char*>(sealed.data()), sealed.size());
    if (!seen_.insert(std::move(key)).second) return;
    check_decodes(sealed, limit, what);
  }

 private:
  std::unordered_set<std::string> seen_;
};

class Driver {
 public:
  Driver(gossip::Config cfg, Instant now)
      : now_(now),
        engine_(cfg, gossip::Identity{kSelf, "fuzz-self", Address::v4(0x0A000001u, 7950), 3},
                gossip::crypto::Envelope::plaintext("fuzz"), 7) {}

  gossip::Engine& engine() { return engine_; }
  Instant now() const { return now_; }
  void advance(membership::Duration d) { now_ += d; }

  // Checks and consumes everything the engine asked for.
  void drain() {
    auto& out = engine_.outbox();
    const auto& cfg = engine_.config();
    for (const auto& d : out.datagrams) {
      check(d.bytes.size() <= cfg.mtu, kName, "datagram larger than the MTU");
      checked_.check(d.bytes, gossip::wire::kMaxDatagram, "datagram");
    }
    for (const auto& s : out.streams) {
      checked_.check(s.bytes, cfg.max_stream_bytes, "stream request");
      if (s.expect_reply && pending_.size() < kMaxPending) pending_.push_back(s.id);
    }
    for (const auto& r : out.replies) checked_.check(r.bytes, cfg.max_stream_bytes, "stream reply");
    for (auto& t : out.timers) {
      if (timers_.size() >= kMaxTimers) timers_.erase(timers_.begin());
      timers_.emplace(t.at, std::move(t.timer));
    }
    out.clear();
  }

  bool fire_next(std::optional<Instant> until = std::nullopt) {
    if (timers_.empty() || fired_ >= kMaxFires) return false;
    ++fired_;
    auto it = timers_.begin();
    if (until && it->first > *until) return false;
    now_ = std::max(now_, it->first);
    auto timer = std::move(it->second);
    timers_.erase(it);
    engine_.on_timer(timer, now_);
    drain();
    return true;
  }

  // Removes and returns one pending outgoing stream id chosen by `pick`.
  std::optional<std::uint64_t> take_pending(std::size_t pick) {
    if (pending_.empty()) return std::nullopt;
    const std::size_t i = pick % pending_.size();
    const auto id = pending_[i];
    pending_.erase(pending_.begin() + static_cast<long>(i));
    return id;
  }

 private:
  Instant now_;
  gossip::Engine engine_;
  std::multimap<Instant, gossip::Timer> timers_;
  std::vector<std::uint64_t> pending_;
  CheckedPackets checked_;
  int fired_ = 0;
};

gossip::Config preset(std::uint8_t b) {
  gossip::Config cfg = (b & 3) == 1 ? gossip::Config::local() : (b & 3) == 2 ? gossip::Config::wan() : gossip::Config::lan();
  static constexpr std::size_t kMtus[] = {1200, 576, 9000, 1400};
  cfg.mtu = kMtus[(b >> 2) & 3];
  return cfg;
}

std::string short_text(ByteReader& r) {
  auto b = r.bytes(r.u8() % 24);
  return std::string(b.begin(), b.end());
}

void local_write(Driver& d, ByteReader& r) {
  auto& e = d.engine();
  const auto kind = short_text(r);
  switch (r.pick(5)) {
    case 0:
      e.set_local("component/" + kind, membership::ComponentInfo{kind, short_text(r), short_text(r)}, d.now());
      break;
    case 1:
      e.erase_local("component/" + kind, d.now());
      break;
    case 2:
      e.set_local("heartbeat/" + kind, membership::Heartbeat{r.u64()}, d.now());
      break;
    case 3: {
      membership::ClusterConfig c;
      c.load_balancing = r.flag();
      c.automatic_failover = r.flag();
      c.heartbeat_interval_ms = static_cast<std::int64_t>(r.u32());
      c.stale_timeout_ms = static_cast<std::int64_t>(r.u32());
      e.write_cluster(std::string(membership::ClusterItems::kConfigKey), c, d.now());
      break;
    }
    default: {
      const NodeId server = NodeId::from_words(r.u8(), r.u8());
      membership::Removal rm{server, kind, r.u64(), r.u64(), static_cast<std::int64_t>(r.u32())};
      e.write_cluster(membership::ClusterItems::removal_key(server, kind), rm, d.now());
      break;
    }
  }
}

}  // namespace

int engine(Input in) {
  ByteReader r(in);
  Driver d(preset(r.u8()), Instant{std::chrono::seconds(100)});
  auto& e = d.engine();
  e.set_local("server", membership::ServerInfo{"fuzz-self", "Linux", "6", {"10.0.0.1"}, "0.1.0", 1, "h", {}}, d.now());
  e.set_local("component/web", membership::ComponentInfo{"web", "1.0", ""}, d.now());
  e.start(d.now());
  const bool join = r.flag();
  if (join) {
    std::vector<Address> seeds{peer_addr(0), peer_addr(1)};
    e.join(seeds, d.now());
  }
  d.drain();

  std::uint64_t conn = 1;
  int steps = 0;
  while (!r.empty() && ++steps < kMaxSteps) {
    const std::uint8_t op = r.u8();
    switch (op % 10) {
      case 0: {  // datagram from a peer
        const auto from = peer_addr(r.pick(4));
        e.on_packet(from, marked(r.chunk()), d.now());
        break;
      }
      case 1: {  // raw datagram, envelope byte included
        e.on_packet(peer_addr(r.pick(4)), r.chunk(), d.now());
        break;
      }
      case 2: {  // incoming stream frame
        const auto from = peer_addr(r.pick(4));
        e.on_stream(conn++, from, marked(r.chunk()), d.now());
        break;
      }
      case 3: {  // reply to a stream we opened
        const auto pick = r.u8();
        const auto payload = marked(r.chunk());
        if (auto id = d.take_pending(pick)) e.on_stream_reply(*id, payload, d.now());
        break;
      }
      case 4: {  // a stream we opened failed
        if (auto id = d.take_pending(r.u8())) e.on_stream_failed(*id, d.now());
        break;
      }
      case 5:
        d.fire_next();
        break;
      case 6: {  // let time pass, firing what falls due
        const auto until = d.now() + std::chrono::milliseconds(r.u16()) * 4;
        for (int i = 0; i < kMaxFiresPerStep && d.fire_next(until); ++i) {
        }
        if (d.now() < until) d.advance(until - d.now());
        break;
      }
      case 7:
        local_write(d, r);
        break;
      case 8:
        if (r.pick(4) == 0) e.leave(d.now());
        break;
      default: {
        std::vector<Address> seeds{peer_addr(r.pick(4))};
        e.join(seeds, d.now());
        break;
      }
    }
    d.drain();
  }
  return 0;
}

}  // namespace rollcall::fuzz
