// One simulated node: the unmodified engine plus what the world keeps about it (identity, fault
// knobs, partition group, the "data directory" kept across restarts, load counters). Owned by
// sim::World; tests and the runner read it through World::node(i).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gossip/Engine.h"
#include "sim/NodeFaults.h"

namespace rollcall::sim {

// Field order is for the cache: every event for the node, and every datagram sent to or from it,
// reads the first line (engine, epoch, up/paused, partition group, fault knobs) and the load
// counters in the second; the rest is read at setup, restarts and reports.
struct alignas(64) SimNode {
  std::unique_ptr<gossip::Engine> engine;
  std::uint64_t epoch = 0;  // bumps at crash/restart; events of older epochs are dropped
  bool up = false;
  bool paused = false;
  int group = 0;             // partition group (0 = everyone together), 0 .. World::kMaxGroups - 1
  membership::Instant paused_until{};
  NodeFaults faults;
  // -- second line. Load, counted by the world (datagrams and streams, both directions, envelope included).
  std::uint64_t msgs_out = 0, msgs_in = 0, bytes_out = 0, bytes_in = 0;
  membership::Address address;  // always World::address_of(its index)
  membership::NodeId id;
  std::string name;
  std::uint64_t generation = 1;
  bool ever_faulty = false;  // set by every node fault (crash, restart, pause, flip-flop, churn, ...)
  bool ever_cut = false;     // set when the node is put in a partition group other than 0
  gossip::Config config;
  // Persisted across restart, like a data directory.
  std::uint64_t saved_version = 0;
  std::vector<membership::StateEntry> saved_entries;
  std::vector<membership::ClusterItem> saved_items;
};

}  // namespace rollcall::sim
