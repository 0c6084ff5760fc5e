// Shared state of one engine instance and the helpers every sub-protocol uses (sending a packet
// with piggybacked updates, queueing broadcasts, arming timers, emitting events). Created and
// owned by Engine; the sub-protocol parts (ProbeCycle, MemberProtocol, AntiEntropy, JoinLeave)
// hold a reference to it. Never touched by anything outside gossip/.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "gossip/Awareness.h"
#include "gossip/BroadcastQueue.h"
#include "gossip/Config.h"
#include "gossip/Metrics.h"
#include "gossip/Outbox.h"
#include "gossip/crypto/Envelope.h"
#include "gossip/wire/Messages.h"
#include "membership/ClusterItems.h"
#include "membership/MemberTable.h"
#include "membership/Rng.h"
#include "membership/StateStore.h"

namespace rollcall::gossip {

class ProbeCycle;
class MemberProtocol;
class AntiEntropy;
class JoinLeave;

// Who this node is: given by the driver (from the data directory and the agent config).
struct Identity {
  NodeId id;
  std::string name;
  Address address;              // advertised gossip address (UDP and TCP)
  std::uint64_t generation = 1; // bumped by the data directory at every start
};

// A stream exchange we opened and await an answer for.
struct PendingStream {
  // sync_probe: hash-first push-pull, summaries only (ADR 0005).
  enum class Kind : std::uint8_t { join, push_pull, reconnect, fallback_ping, state_push, sync_probe };
  Kind kind = Kind::push_pull;
  Address peer;
  std::uint32_t probe_seq = 0;  // fallback_ping only
};

struct Context {
  Context(Config c, Identity self, crypto::Envelope env, std::uint64_t seed);

  // Field order is for the cache. A simulator runs hundreds of engines whose state together
  // exceeds the CPU cache, so every line an event touches is likely a miss. What every datagram
  // and timer reads or writes comes first: the flags, sequence and news counters and Lifeguard's
  // score in the first line, then the outbox the driver drains after every input, the broadcast
  // queue every send piggybacks from, and the metrics (whose per-probe counters lead). Engine puts
  // its own per-event fields in the line before this struct.
  bool started = false, leaving = false, stopped = false;
  // While a datagram's messages are dispatched: where it came from, and whether a handler already
  // answered it directly (at most one direct correction per packet). Null otherwise.
  bool packet_answered = false;
  std::uint32_t next_seq = 1;
  const Address* packet_from = nullptr;
  std::uint64_t news = 0;           // bumped by every broadcast_* call: the engine sends fresh news at once
  Awareness awareness;
  membership::Rng rng;
  Outbox out;
  BroadcastQueue queue;
  Metrics metrics;

  alignas(64) Config cfg;  // its first line holds the probe timing and the MTU
  Identity self;
  membership::Incarnation incarnation;  // ours: (generation, counter)
  membership::MemberTable table;
  membership::StateStore store;
  membership::ClusterItems items;
  crypto::Envelope envelope;
  std::uint64_t next_stream_id = 1;
  std::uint64_t local_version = 0;  // our own state version counter (persisted by the driver)
  std::unordered_map<std::uint64_t, PendingStream> pending_streams;  // bounded by stream timeouts
  // Members that became dead or left, in time order, for O(1) reaping after dead_retention.
  std::deque<std::pair<Instant, NodeId>> graveyard;

  ProbeCycle* probe = nullptr;
  MemberProtocol* members = nullptr;
  AntiEntropy* anti_entropy = nullptr;
  JoinLeave* join_leave = nullptr;

  // --- helpers ---
  void arm(Instant at, Timer t) { out.timers.push_back({at, std::move(t)}); }
  void emit(Event e) { out.events.push_back(std::move(e)); }
  std::uint32_t seq() {
    if (next_seq == 0) next_seq = 1;  // 0 is never a valid sequence number
    return next_seq++;
  }

  // Effective timings (Lifeguard local health scaling).
  Duration probe_interval() const;
  Duration probe_timeout() const;
  std::uint32_t transmit_limit() const;
  std::size_t plaintext_limit() const;  // mtu minus envelope overhead

  // Sends one datagram to `to`: the primary messages first, then as many queued broadcasts as fit.
  void send(const Address& to, std::span<const wire::Message> primaries, bool piggyback = true);
  // Seals a stream payload (one message). Taken by value: callers move a push-pull's member list in
  // rather than copy it.
  Bytes seal_stream(wire::Message m);

  // Writes one of our own entries at a fresh version (store + broadcast + event).
  void write_local(membership::StateEntry e, Instant now);

  // Queue updates for dissemination (coalescing by subject).
  void broadcast_member(const wire::MemberUpdate& u, bool priority = false);
  void broadcast_state(const NodeId& owner, const membership::StateEntry& e);
  void broadcast_cluster(const membership::ClusterItem& item);

  // Our own alive claim.
  wire::MemberUpdate self_update(membership::MemberState s = membership::MemberState::alive) const;
  static wire::MemberUpdate to_update(const membership::Member& m, const NodeId& from);
  // The member an alive claim introduces (state alive since `now`); the inverse of to_update.
  static membership::Member new_member(const wire::MemberUpdate& u, Instant now);

  // State keys that never ride the epidemic path (only anti-entropy): fast-changing counters.
  static bool is_lazy_key(const std::string& key);
};

}  // namespace rollcall::gossip
