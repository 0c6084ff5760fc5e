// Order-independent summary hashes of what one node holds (ADR 0005): its member list, its
// replicated state and the cluster items. Two nodes with equal summaries hold the same data, so a
// periodic push-pull between them needs only the hashes (hash-first anti-entropy). Computed on
// demand by AntiEntropy from the engine Context; pure arithmetic, stable across processes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rollcall::gossip {

struct Context;

struct SyncSummary {
  std::uint64_t members = 0;  // every (id, name, address, incarnation, state) in the table
  std::uint64_t state = 0;    // every (owner, key, version) held in the state store
  std::uint64_t cluster = 0;  // every (key, lamport, writer) of the cluster items

  friend bool operator==(const SyncSummary&, const SyncSummary&) = default;

  // O(1) plus the cluster items: the member table and the state store maintain their parts as
  // they change. Debug builds check it against recompute() at every call.
  static SyncSummary of(const Context& ctx);
  // The same, from scratch: every member and every state entry hashed (O(N)).
  static SyncSummary recompute(const Context& ctx);
  // Wire form: [members, state, cluster]; a peer's extra trailing values are ignored.
  std::vector<std::uint64_t> to_wire() const { return {members, state, cluster}; }
  static std::optional<SyncSummary> from_wire(const std::vector<std::uint64_t>& v);
};

}  // namespace rollcall::gossip
