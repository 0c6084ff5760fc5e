// Anti-entropy over streams: periodic push-pull with one random member (member lists, then state
// digests, then only the entries each side lacks), the join exchange with seeds (the joiner gets
// everything in its first push-pull), and the answering side of every stream exchange
// (push-pull requests, state pushes, TCP fallback pings). Part of the engine.
#pragma once

#include <optional>
#include <unordered_map>

#include "gossip/Context.h"
#include "gossip/SyncSummary.h"

namespace rollcall::gossip {

class AntiEntropy {
 public:
  explicit AntiEntropy(Context& ctx) : ctx_(ctx) {}

  void start(Instant now);
  void on_tick(Instant now);
  // Opens a push-pull with `peer` (join: ask for everything).
  void push_pull(const Address& peer, PendingStream::Kind kind, Instant now);
  // `peer` told us about `unknown`, a member missing from our table (we missed its alive rumor):
  // a full push-pull with `peer` fills the gap. At most one per probe_interval; never for members
  // under a removal tombstone.
  void repair(const Address& peer, const NodeId& unknown, Instant now);

  // Every gossip round. While the broadcast queue holds news about more than half of the table (a
  // join storm, a healed partition), piggybacking drains it far slower than a full exchange spreads
  // it: a full push-pull with a random alive member every 2 x probe_interval. An exchange that
  // taught us nothing doubles that interval (up to the periodic one): a full queue of news everyone
  // already has does not keep the cluster busy; one that brought news resets it.
  void on_gossip_round(Instant now);

  void on_stream(std::uint64_t conn, const Address& from, std::span<const std::uint8_t> bytes, Instant now);
  void on_stream_reply(std::uint64_t id, std::span<const std::uint8_t> bytes, Instant now);
  void on_stream_failed(std::uint64_t id, Instant now);

  bool joined() const { return joined_; }

 private:
  std::optional<std::vector<wire::Message>> open(std::span<const std::uint8_t> bytes, const Address& from);
  // A full request; `summary` (ours, ADR 0005) is attached when known to be useful, and then our
  // members are sent only if `with_members`.
  wire::PushPullRequest make_request(bool join, bool with_members = true,
                                     std::optional<SyncSummary> summary = std::nullopt) const;
  void open_request(const Address& peer, PendingStream::Kind kind, wire::PushPullRequest req);
  void answer(std::uint64_t conn, const wire::PushPullRequest& req, Instant now);
  std::vector<wire::MemberUpdate> member_list() const;
  std::vector<wire::DigestEntry> digest() const;
  std::vector<wire::ClusterDigestEntry> cluster_digest() const;
  std::vector<wire::StateDelta> deltas_for(const std::vector<wire::DigestEntry>& remote) const;
  std::vector<membership::ClusterItem> items_for(const std::vector<wire::ClusterDigestEntry>& remote) const;
  void merge_members(const std::vector<wire::MemberUpdate>& members, Instant now);
  void raise_watermarks(const std::vector<wire::DigestEntry>& remote);
  void on_failed(const PendingStream& pending, Instant now);

 public:
  // Applies state deltas / cluster items from any path (gossip or stream) and rebroadcasts news.
  // From a stream (`from_stream`), only the sender's own entries are rebroadcast (`sender`):
  // everything else the sender knew, the rest of the cluster has heard already.
  void apply_deltas(const std::vector<wire::StateDelta>& deltas, Instant now, const NodeId* sender);
  void apply_delta(const wire::StateDelta& d, Instant now, bool rebroadcast = true);
  void apply_item(const membership::ClusterItem& item, Instant now);
  // Drops the watermark of a forgotten member.
  void forget(const NodeId& owner);

 private:
  Context& ctx_;
  std::optional<Instant> last_repair_;
  std::optional<Instant> last_catch_up_;
  std::optional<std::uint64_t> catch_up_stream_;  // the open catch-up exchange
  std::uint32_t catch_up_backoff_ = 1;            // interval multiplier, doubled by a fruitless exchange
  std::uint32_t stalled_ = 0;  // hash-first exchanges in a row that found different state and moved nothing
  bool joined_ = false;         // some exchange completed, or a member contacted us
  bool join_reported_ = false;  // join_completed emitted once
  // Per owner, the version up to which we hold *everything* (raised only by complete anti-entropy
  // transfers; gossip may deliver single newer entries out of order, which must not raise it).
  std::unordered_map<NodeId, std::uint64_t> watermarks_;
};

}  // namespace rollcall::gossip
