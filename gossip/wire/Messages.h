// The messages of the rollcall gossip protocol, as plain structs. The codec (Codec.h) turns them
// into bytes and back; the engine builds and consumes them. Message type ids are append-only and
// never renumbered; unknown fields at the end of a message are ignored by older decoders.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "membership/Address.h"
#include "membership/ClusterDigestEntry.h"
#include "membership/ClusterItem.h"
#include "membership/Incarnation.h"
#include "membership/MemberState.h"
#include "membership/NodeId.h"
#include "membership/StateEntry.h"

namespace rollcall::gossip::wire {

using membership::Address;
using membership::ClusterItem;
using membership::Incarnation;
using membership::MemberState;
using membership::NodeId;
using membership::StateEntry;

constexpr std::uint8_t kProtocolVersion = 1;

// Wire type ids (append only).
enum class MsgType : std::uint8_t {
  ping = 1,
  ping_req = 2,
  ack = 3,
  nack = 4,
  member = 5,
  state_delta = 6,
  cluster_item = 7,
  push_pull_request = 8,
  push_pull_response = 9,
  state_push = 10,
};

// Direct probe. `target` lets a node that took over an address refuse to ack for someone else.
struct Ping {
  std::uint32_t seq = 0;
  NodeId target;
  NodeId source;
  Address source_addr;  // where to send the ack (advertised address of the prober)
  friend bool operator==(const Ping&, const Ping&) = default;
};

// Ask a relay to probe `target` on our behalf; with `want_nack` the relay answers Nack at 80% of
// its probe timeout if the target stays silent (Lifeguard: proves the relay path works).
struct PingReq {
  std::uint32_t seq = 0;  // the requester's seq: the relay's Ack/Nack echo it
  NodeId target;
  Address target_addr;
  NodeId source;
  Address source_addr;
  bool want_nack = true;
  friend bool operator==(const PingReq&, const PingReq&) = default;
};

struct Ack {
  std::uint32_t seq = 0;
  NodeId source;  // who acknowledges (the probed node)
  friend bool operator==(const Ack&, const Ack&) = default;
};

struct Nack {
  std::uint32_t seq = 0;
  NodeId source;  // the relay
  friend bool operator==(const Nack&, const Nack&) = default;
};

// A claim about a member: alive (with its name and address), suspect, dead or left.
// For suspect/dead, `from` is the node that raised it (Lifeguard counts distinct confirmers).
struct MemberUpdate {
  NodeId id;
  std::string name;
  Address address;
  Incarnation incarnation;
  MemberState state = MemberState::alive;
  NodeId from;
  friend bool operator==(const MemberUpdate&, const MemberUpdate&) = default;
};

// Entries of one owner's replicated state (any subset; each entry carries its own version).
struct StateDelta {
  NodeId owner;
  std::vector<StateEntry> entries;
  friend bool operator==(const StateDelta&, const StateDelta&) = default;
};

struct ClusterItemMsg {
  ClusterItem item;
  friend bool operator==(const ClusterItemMsg&, const ClusterItemMsg&) = default;
};

// Highest state version known per owner.
struct DigestEntry {
  NodeId owner;
  std::uint64_t version = 0;
  friend bool operator==(const DigestEntry&, const DigestEntry&) = default;
};

// Version of one cluster item (key, lamport, writer): the model's own type.
using ClusterDigestEntry = membership::ClusterDigestEntry;

// Anti-entropy, over a stream. Every digest lists the sender's own entry first (receivers use it
// to know whose entries a stream carries first-hand). A -> B: request (A's members and digests; join = A is new and
// wants everything). B -> A: response (B's members, what A lacks, B's digests). A -> B: push
// (what B lacks), one-way.
struct PushPullRequest {
  bool join = false;
  std::vector<MemberUpdate> members;
  std::vector<DigestEntry> digest;
  std::vector<ClusterDigestEntry> cluster_digest;
  // Optional trailing field (encoded only when non-empty, ignored by older decoders): the sender's
  // summary hashes [members, state, cluster items] (ADR 0005). With an empty digest this is a
  // hash-first probe: "answer with your summary only"; with a digest, members equal by hash are omitted.
  std::vector<std::uint64_t> summary;
  friend bool operator==(const PushPullRequest&, const PushPullRequest&) = default;
};

struct PushPullResponse {
  std::vector<MemberUpdate> members;
  std::vector<StateDelta> deltas;
  std::vector<ClusterItem> cluster_items;
  std::vector<DigestEntry> digest;
  std::vector<ClusterDigestEntry> cluster_digest;
  // Optional trailing field, as in the request: the responder's summary hashes (ADR 0005).
  std::vector<std::uint64_t> summary;
  friend bool operator==(const PushPullResponse&, const PushPullResponse&) = default;
};

struct StatePush {
  std::vector<StateDelta> deltas;
  std::vector<ClusterItem> cluster_items;
  std::vector<DigestEntry> digest;  // the pusher's watermarks: the receiver now holds all up to them
  friend bool operator==(const StatePush&, const StatePush&) = default;
};

using Message = std::variant<Ping, PingReq, Ack, Nack, MemberUpdate, StateDelta, ClusterItemMsg,
                             PushPullRequest, PushPullResponse, StatePush>;

}  // namespace rollcall::gossip::wire
