// The simulated world: a virtual clock driven by a deadline heap (events due at one instant fire
// in insertion order, so runs are deterministic), a simulated network (latency, loss, one-way
// loss, partitions, duplication) and nodes running the unmodified gossip engine with the real
// codec and envelope. Used by rollcall-sim, the cluster tests and the benchmarks. Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "gossip/Engine.h"
#include "membership/Rng.h"

namespace rollcall::sim {

using gossip::Bytes;
using membership::Address;
using membership::Duration;
using membership::Instant;
using membership::NodeId;

struct NetworkConfig {
  Duration latency_min = std::chrono::microseconds(200);  // one-way, uniform in [min, max]
  Duration latency_max = std::chrono::microseconds(2000);
  double loss = 0.0;         // uniform loss of every datagram, 0..1
  double duplicate = 0.0;    // probability a datagram is delivered twice
  Duration stream_latency_extra = std::chrono::microseconds(300);  // TCP setup cost per exchange
};

// Per-node fault knobs.
struct NodeFaults {
  double ingress_loss = 0.0;  // extra loss of datagrams arriving at this node
  double egress_loss = 0.0;   // extra loss of datagrams leaving it
  Duration slow{};            // every input handled this much later (slow node)
};

struct SimNode {
  std::unique_ptr<gossip::Engine> engine;
  NodeId id;
  std::string name;
  Address address;
  std::uint64_t generation = 1;
  std::uint64_t epoch = 0;  // bumps at crash/restart; events of older epochs are dropped
  bool up = false;
  bool paused = false;
  Instant paused_until{};
  NodeFaults faults;
  int group = 0;            // partition group (0 = everyone together)
  gossip::Config config;
  // Persisted across restart, like a data directory.
  std::uint64_t saved_version = 0;
  std::vector<membership::StateEntry> saved_entries;
  std::vector<membership::ClusterItem> saved_items;
};

class World {
 public:
  struct Options {
    std::uint64_t seed = 1;
    NetworkConfig net;
    bool encrypt = true;
    std::string cluster = "sim";
  };
  explicit World(Options opt);
  ~World();

  // Adds a node (not started). Address 10.x.y.z:7950 derived from the index.
  std::size_t add_node(gossip::Config cfg, std::string name = {});
  std::size_t size() const { return nodes_.size(); }
  SimNode& node(std::size_t i) { return *nodes_[i]; }
  gossip::Engine& engine(std::size_t i) { return *nodes_[i]->engine; }
  const Address& address(std::size_t i) const { return nodes_[i]->address; }

  // Starts node i and joins it through `seeds` (indices).
  void start(std::size_t i, const std::vector<std::size_t>& seeds);
  void leave(std::size_t i);
  void crash(std::size_t i);                                   // stops processing; state kept for restart
  void restart(std::size_t i, const std::vector<std::size_t>& seeds);  // new generation, same id
  void pause(std::size_t i, Duration d);                       // processes nothing, inputs queue up
  void set_partition(std::size_t i, int group) { nodes_[i]->group = group; }
  void heal() {
    for (auto& n : nodes_) n->group = 0;
  }
  NetworkConfig& net() { return opt_.net; }

  Instant now() const { return now_; }
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

  // Convenience queries.
  // State of `subject` as seen by `observer` (nullopt if unknown).
  std::optional<membership::MemberState> view(std::size_t observer, std::size_t subject) const;
  std::uint64_t datagrams_sent() const { return datagrams_; }
  std::uint64_t datagrams_delivered() const { return delivered_; }
  std::uint64_t events_processed() const { return processed_; }
  std::uint64_t datagram_bytes() const { return datagram_bytes_; }
  std::uint64_t stream_bytes() const { return stream_bytes_; }
  std::size_t max_datagram() const { return max_datagram_; }

 private:
  enum class Kind : std::uint8_t { timer, datagram, stream_request, stream_reply, stream_failed, resume };
  struct Ev {
    Instant at;
    std::uint64_t seq;
    Kind kind;
    std::uint32_t node;
    std::uint64_t epoch;
    std::uint64_t stream_id = 0;
    Address from;
    std::uint32_t src_node = 0;
    std::uint64_t src_epoch = 0;
    bool expect_reply = false;
    Duration timeout{};
    std::shared_ptr<const Bytes> bytes;
    std::shared_ptr<const gossip::Timer> timer;
  };
  struct Later {
    bool operator()(const Ev& a, const Ev& b) const { return a.at != b.at ? a.at > b.at : a.seq > b.seq; }
  };

  void push(Ev e);
  void drain(std::size_t i);
  void handle(const Ev& e);
  Duration latency();
  bool reachable(std::size_t a, std::size_t b) const;
  std::optional<std::size_t> lookup(const Address& a) const;
  gossip::Engine* make_engine(SimNode& n);

  Options opt_;
  membership::Rng rng_;
  Instant now_{};
  std::uint64_t seq_ = 0;
  std::priority_queue<Ev, std::vector<Ev>, Later> heap_;
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::unordered_map<Address, std::size_t> by_addr_;
  std::vector<EventHook> hooks_;
  std::uint64_t datagrams_ = 0, delivered_ = 0, processed_ = 0, datagram_bytes_ = 0, stream_bytes_ = 0;
  std::size_t max_datagram_ = 0;
  std::uint64_t next_conn_ = 1;
};

}  // namespace rollcall::sim
