// The simulated world: a virtual clock driven by a deadline queue (events due at one instant fire
// in insertion order, so runs are deterministic), a simulated network (latency distribution, loss,
// one-way loss, partitions and one-way cuts, duplication) and nodes running the unmodified gossip
// engine with the real codec and envelope, with node faults (crash, restart, pause, slow,
// flip-flop, churn). Used by rollcall-sim, the tests and the benchmarks. Single-threaded.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "gossip/Engine.h"
#include "membership/Rng.h"
#include "sim/ChurnSpec.h"
#include "sim/EventQueue.h"
#include "sim/NetworkConfig.h"
#include "sim/NodeFaults.h"
#include "sim/Pool.h"
#include "sim/SimNode.h"

namespace rollcall::sim {

using gossip::Bytes;
using membership::Address;
using membership::Duration;
using membership::Instant;
using membership::NodeId;

class World {
 public:
  static constexpr int kMaxGroups = 16;

  struct Options {
    std::uint64_t seed = 1;
    NetworkConfig net;
    bool encrypt = true;
    std::string cluster = "sim";
  };
  explicit World(Options opt);
  ~World();
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Adds a node (not started). Address 10.x.y.z:7950 derived from the index.
  std::size_t add_node(gossip::Config cfg, std::string name = {});
  std::size_t size() const { return nodes_.size(); }
  SimNode& node(std::size_t i) { return *nodes_[i]; }
  const SimNode& node(std::size_t i) const { return *nodes_[i]; }
  gossip::Engine& engine(std::size_t i) { return *nodes_[i]->engine; }
  const Address& address(std::size_t i) const { return nodes_[i]->address; }
  // Index of the node with this id, if any.
  std::optional<std::size_t> index_of(const NodeId& id) const;

  // --- node lifecycle and faults (all take effect at now()) ---
  // Starts node i and joins it through `seeds` (indices). `known`: members it starts with
  // (Engine::restore_members; a warm start), usually empty.
  void start(std::size_t i, const std::vector<std::size_t>& seeds,
             std::span<const gossip::wire::MemberUpdate> known = {});
  // Every node's alive claim at its current generation (the input of a warm start).
  std::vector<gossip::wire::MemberUpdate> alive_claims() const;
  void leave(std::size_t i);
  void crash(std::size_t i);                                           // stops; state kept for restart
  void restart(std::size_t i, const std::vector<std::size_t>& seeds);  // new generation, same id
  void pause(std::size_t i, Duration d);                               // processes nothing, inputs queue up
  // Ingress fully dropped for `half_period`, restored for `half_period`, repeatedly, until `until`
  // (then restored to what it was).
  void flip_flop(std::size_t i, Duration half_period, Instant until);
  void churn(ChurnSpec spec);

  // --- local writes through the engine (the outbox is drained right away) ---
  void set_local(std::size_t i, const std::string& key, membership::StateValue value);
  membership::ClusterItem write_cluster(std::size_t i, const std::string& key, membership::ClusterValue value);

  // --- partitions ---
  // Nodes of one group reach each other; by default different groups are cut both ways.
  void set_partition(std::size_t i, int group);
  // Opens or cuts the direction from -> to between two groups (one-way partitions). Streams need
  // both directions.
  void set_link(int from_group, int to_group, bool open);
  // Everyone back in group 0, every link open.
  void heal();
  NetworkConfig& net() { return opt_.net; }
  const Options& options() const { return opt_; }

  // --- time ---
  Instant now() const { return now_; }
  // Runs `fn` at virtual time `t` (>= now), in order with all other events.
  void at(Instant t, std::function<void()> fn);
  // Runs events until virtual time `t`.
  void run_until(Instant t);
  void run_for(Duration d) { run_until(now_ + d); }
  // Runs until pred() holds (checked every `step` of virtual time) or `limit` passes.
  // Returns the time pred first held, or nullopt.
  std::optional<Instant> run_until(const std::function<bool()>& pred, Duration limit,
                                   Duration step = std::chrono::milliseconds(10));

  // Observers: every engine event, with the node index and time.
  using EventHook = std::function<void(std::size_t node, const gossip::Event&, Instant)>;
  void on_event(EventHook h) { hooks_.push_back(std::move(h)); }
  // Observers of node lifecycle: `up` true when node i (re)starts, false when it crashes.
  using LifecycleHook = std::function<void(std::size_t node, bool up, Instant)>;
  void on_lifecycle(LifecycleHook h) { lifecycle_hooks_.push_back(std::move(h)); }

  // --- queries ---
  // State of `subject` as seen by `observer` (nullopt if unknown).
  std::optional<membership::MemberState> view(std::size_t observer, std::size_t subject) const;
  bool live(std::size_t i) const { return nodes_[i]->up && nodes_[i]->engine && !nodes_[i]->engine->stopped(); }
  std::uint64_t datagrams_sent() const { return datagrams_; }
  std::uint64_t datagrams_delivered() const { return delivered_; }
  std::uint64_t streams_delivered() const { return streams_delivered_; }
  // Datagrams and stream frames handed to an engine.
  std::uint64_t messages_delivered() const { return delivered_ + streams_delivered_; }
  std::uint64_t events_processed() const { return processed_; }
  std::uint64_t datagram_bytes() const { return datagram_bytes_; }
  std::uint64_t stream_bytes() const { return stream_bytes_; }
  std::size_t max_datagram() const { return max_datagram_; }
  std::size_t pending_events() const { return heap_.size(); }

 private:
  // One stream exchange, from open to its answer or timeout (whichever reaches the opener
  // first; the other is then a no-op). Freed when no event refers to it any more.
  struct StreamSlot {
    std::uint64_t stream_id = 0;
    Bytes bytes;  // request frame, then reply frame
    std::uint32_t src = 0, src_epoch = 0;
    std::uint8_t refs = 0;
    bool expect_reply = false;
    bool finished = false;
  };
  using Kind = SimEvent::Kind;

  void push(SimEvent e);
  void drain(std::size_t i);
  void handle(SimEvent& e);
  void deliver_stream(const SimEvent& e);
  void release(const SimEvent& e);
  Duration latency() { return opt_.net.latency.sample(rng_); }
  bool link_open(std::size_t from, std::size_t to) const {
    return links_[static_cast<std::size_t>(nodes_[from]->group)][static_cast<std::size_t>(nodes_[to]->group)];
  }
  // TCP needs both directions; total ingress/egress loss (flip-flop, a firewall) blocks it too,
  // partial loss does not (TCP retransmits).
  // Probability that one packet from a to b is lost (uniform loss, a's egress, b's ingress).
  double path_loss(std::size_t a, std::size_t b) const;
  // Extra time one stream leg from a to b takes because TCP retransmits lost segments: with the
  // handshake, each lost SYN / SYN-ACK costs Linux's initial RTO (1 s, doubling); the data segment
  // costs the minimum RTO (200 ms, doubling). Zero, with no random draw, when the path is lossless.
  Duration tcp_retransmit_delay(std::size_t a, std::size_t b, bool handshake);
  bool stream_open(std::size_t a, std::size_t b) const {
    return link_open(a, b) && link_open(b, a) && nodes_[a]->faults.egress_loss < 1.0 &&
           nodes_[b]->faults.ingress_loss < 1.0 && nodes_[b]->faults.egress_loss < 1.0 &&
           nodes_[a]->faults.ingress_loss < 1.0;
  }
  std::optional<std::size_t> lookup(const Address& a) const;
  gossip::Engine* make_engine(SimNode& n);
  void churn_step(std::shared_ptr<const ChurnSpec> spec);
  void flip_flop_step(std::size_t i, Duration half, Instant until, double restore, bool drop);

  Options opt_;
  membership::Rng rng_;
  Instant now_{};
  std::uint64_t seq_ = 0;
  EventQueue heap_;
  Pool<Bytes> bytes_;
  Pool<gossip::Timer> timers_;
  Pool<StreamSlot> streams_;
  Pool<std::function<void()>> actions_;
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::vector<std::uint8_t> churned_out_;  // per node: away because of churn
  std::array<std::array<bool, kMaxGroups>, kMaxGroups> links_{};
  std::vector<EventHook> hooks_;
  std::vector<LifecycleHook> lifecycle_hooks_;
  std::uint64_t datagrams_ = 0, delivered_ = 0, streams_delivered_ = 0, processed_ = 0;
  std::uint64_t datagram_bytes_ = 0, stream_bytes_ = 0;
  std::size_t max_datagram_ = 0;
  std::uint64_t next_conn_ = 1;
};

}  // namespace rollcall::sim
