// The sans-IO gossip engine: SWIM failure detection with Lifeguard, dissemination by piggyback
// and gossip rounds, anti-entropy push-pull, join/leave, and replication of each node's versioned
// state and the cluster-wide items. It is fed inputs (packets, stream frames, fired timers, local
// writes) with the current time and answers only by filling its Outbox, which the driver (daemon
// or simulator) drains after every call. No socket, clock, thread, global RNG or logging inside.
// Single-threaded: one strand or thread calls it.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gossip/Config.h"
#include "gossip/Context.h"
#include "gossip/Outbox.h"
#include "gossip/SyncSummary.h"
#include "gossip/Timer.h"
#include "gossip/crypto/Envelope.h"

namespace rollcall::gossip {

class ProbeCycle;
class MemberProtocol;
class AntiEntropy;
class JoinLeave;

class alignas(64) Engine {  // aligned: its first cache line is the per-event one (see the fields)
 public:
  // `seed` drives every random choice (replayable in the simulator).
  Engine(Config cfg, Identity self, crypto::Envelope envelope, std::uint64_t seed);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Before start(): this node's own state and the cluster items, as persisted in the data
  // directory. `version` is our state version counter (only grows across restarts).
  void restore_local(std::uint64_t version, std::span<const membership::StateEntry> entries, Instant now);
  void restore_cluster_items(std::span<const membership::ClusterItem> items, Instant now);
  // Before start(): members known from a snapshot (a warm start, e.g. the simulator skipping the
  // join phase of a long steady-state run). Alive claims of members not yet known are added as
  // alive (member_joined events), without being rebroadcast; other claims and our own id are
  // ignored. The node still joins or is contacted as usual.
  void restore_members(std::span<const wire::MemberUpdate> members, Instant now);

  // Arms the periodic timers and announces ourselves (alive, with our state) to whoever we meet.
  void start(Instant now);
  // Contacts seeds with a join push-pull (completion reported as join_completed/join_failed
  // events). Seeds are remembered and retried while isolated.
  void join(std::span<const Address> seeds, Instant now);
  // Graceful leave: broadcasts "left", keeps gossiping for leave_timeout, then stops
  // (leave_completed event; stopped() becomes true).
  void leave(Instant now);

  void on_packet(const Address& from, std::span<const std::uint8_t> bytes, Instant now);
  void on_timer(const Timer& t, Instant now);
  // An incoming stream frame on connection `conn`; a reply, if any, lands in outbox().replies.
  void on_stream(std::uint64_t conn, const Address& from, std::span<const std::uint8_t> bytes, Instant now);
  void on_stream_reply(std::uint64_t id, std::span<const std::uint8_t> bytes, Instant now);
  void on_stream_failed(std::uint64_t id, Instant now);

  // Local state writes: a new version of our own entry, spread to all.
  void set_local(const std::string& key, membership::StateValue value, Instant now);
  void erase_local(const std::string& key, Instant now);
  // Cluster-wide last-writer-wins write (config, removal tombstone). Returns the item written.
  membership::ClusterItem write_cluster(const std::string& key, membership::ClusterValue value, Instant now);

  // Replaces the keyring / envelope (key rotation, SIGHUP).
  void set_envelope(crypto::Envelope envelope);

  Outbox& outbox() { return ctx_.out; }

  // Read-only views.
  const Identity& identity() const { return ctx_.self; }
  const membership::Incarnation& incarnation() const { return ctx_.incarnation; }
  const membership::MemberTable& members() const { return ctx_.table; }
  const membership::StateStore& state() const { return ctx_.store; }
  const membership::ClusterItems& cluster() const { return ctx_.items; }
  const Metrics& metrics() const { return ctx_.metrics; }
  const Config& config() const { return ctx_.cfg; }
  std::uint32_t health() const { return ctx_.awareness.score(); }
  std::size_t queue_depth() const { return ctx_.queue.size(); }
  std::size_t open_suspicions() const;
  // Summary hashes of what this node holds (ADR 0005): equal summaries = equal data.
  SyncSummary summary() const { return SyncSummary::of(ctx_); }
  std::uint64_t local_version() const { return ctx_.local_version; }
  std::vector<membership::StateEntry> local_entries() const;
  bool joined() const;
  bool leaving() const { return ctx_.leaving; }
  bool stopped() const { return ctx_.stopped; }
  const std::vector<Address>& seeds() const;
  crypto::Envelope& envelope() { return ctx_.envelope; }

 private:
  void dispatch(const wire::Message& m, const Address& from, Instant now);
  void write_local(membership::StateEntry e, Instant now);
  // One gossip round: the queued updates to gossip_fanout random live (or recently dead) members.
  std::size_t gossip_round(Instant now);  // returns the number of peers sent to
  // Eager push: called after every input; if it queued news (ctx_.news moved), send a gossip round
  // now instead of at the next tick. Bounded: at most one eager round per gossip_interval, so the
  // packet rate at most doubles while news flows (join storms); bursts of writes coalesce.
  void push_news(Instant now);
  // The gossip tick runs only while the broadcast queue holds something: an idle node (the steady
  // state) has no timer firing gossip_interval apart for nothing. Called after every input, so
  // anything queued is on its way within one gossip_interval.
  void ensure_gossip_tick(Instant now);

  // What every input touches sits in one cache line, ahead of ctx_ (whose first lines hold its
  // own per-event fields; see Context). The parts are created in the constructor's body, once
  // ctx_ exists.
  std::unique_ptr<ProbeCycle> probe_;
  std::unique_ptr<MemberProtocol> members_;
  std::unique_ptr<AntiEntropy> anti_entropy_;
  std::unique_ptr<JoinLeave> join_leave_;
  std::uint64_t news_pushed_ = 0;  // ctx_.news at the last eager check
  std::optional<Instant> last_eager_;
  bool gossip_tick_armed_ = false;
  Context ctx_;
};

}  // namespace rollcall::gossip
