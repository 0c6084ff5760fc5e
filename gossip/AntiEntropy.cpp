#include "gossip/AntiEntropy.h"

#include <algorithm>
#include <unordered_map>

#include "gossip/Formulas.h"
#include "gossip/MemberProtocol.h"
#include "gossip/ProbeCycle.h"
#include "gossip/wire/Codec.h"

namespace rollcall::gossip {

using membership::Member;
using membership::MemberState;

void AntiEntropy::start(Instant now) {
  if (ctx_.cfg.push_pull_interval == Duration::zero()) return;
  const auto jitter = Duration{static_cast<Duration::rep>(
      ctx_.rng.below(static_cast<std::uint64_t>(ctx_.cfg.push_pull_interval.count())))};
  ctx_.arm(now + jitter, timer::PushPullTick{});
}

void AntiEntropy::on_tick(Instant now) {
  if (ctx_.stopped || ctx_.cfg.push_pull_interval == Duration::zero()) return;
  ctx_.arm(now + formulas::push_pull_scaled(ctx_.cfg.push_pull_interval, ctx_.table.live_count()),
           timer::PushPullTick{});
  if (ctx_.leaving) return;
  auto peers = ctx_.table.random_members(1, ctx_.rng, [](const Member& m) { return m.state == MemberState::alive; });
  if (peers.empty()) return;
  // Hash-first (ADR 0005): only our summary hashes; the full exchange follows only if they differ.
  wire::PushPullRequest probe;
  probe.summary = SyncSummary::of(ctx_).to_wire();
  open_request(ctx_.table.find(peers.front())->address, PendingStream::Kind::sync_probe, std::move(probe));
}

void AntiEntropy::push_pull(const Address& peer, PendingStream::Kind kind, Instant now) {
  (void)now;
  open_request(peer, kind, make_request(kind == PendingStream::Kind::join));
}

void AntiEntropy::open_request(const Address& peer, PendingStream::Kind kind, wire::PushPullRequest req) {
  if (ctx_.stopped || peer == ctx_.self.address) return;
  const auto id = ctx_.next_stream_id++;
  ctx_.out.streams.push_back(StreamOpen{id, peer, ctx_.seal_stream(std::move(req)), true, ctx_.cfg.stream_timeout});
  ctx_.pending_streams[id] = PendingStream{kind, peer, 0};
  ctx_.metrics.push_pulls++;
}

void AntiEntropy::repair(const Address& peer, const NodeId& unknown, Instant now) {
  if (ctx_.stopped || ctx_.leaving || peer == ctx_.self.address || ctx_.members->removed(unknown, {0, 0})) return;
  if (last_repair_ && now - *last_repair_ < ctx_.cfg.probe_interval) return;
  last_repair_ = now;
  ctx_.metrics.repair_pulls++;
  push_pull(peer, PendingStream::Kind::reconnect, now);
}

void AntiEntropy::on_gossip_round(Instant now) {
  // Below 64 queued items the queue drains in a few rounds anyway; small clusters never need this.
  constexpr std::size_t kMinBacklog = 64;
  const std::size_t backlog = ctx_.queue.size();
  if (backlog <= kMinBacklog || backlog <= ctx_.table.live_count() / 2) return;
  if (ctx_.stopped || ctx_.leaving || ctx_.cfg.push_pull_interval == Duration::zero()) return;
  const Duration every = std::min(2 * ctx_.cfg.probe_interval * catch_up_backoff_,
                                  formulas::push_pull_scaled(ctx_.cfg.push_pull_interval, ctx_.table.live_count()));
  if (catch_up_stream_ || (last_catch_up_ && now - *last_catch_up_ < every)) return;
  auto peers = ctx_.table.random_members(1, ctx_.rng, [](const Member& m) { return m.state == MemberState::alive; });
  if (peers.empty()) return;
  last_catch_up_ = now;
  ctx_.metrics.catch_up_pulls++;
  catch_up_stream_ = ctx_.next_stream_id;
  open_request(ctx_.table.find(peers.front())->address, PendingStream::Kind::push_pull, make_request(false));
}

wire::PushPullRequest AntiEntropy::make_request(bool join, bool with_members, std::optional<SyncSummary> summary) const {
  wire::PushPullRequest r;
  r.join = join;
  if (with_members || !summary) r.members = member_list();
  r.digest = digest();
  r.cluster_digest = cluster_digest();
  if (summary) r.summary = summary->to_wire();
  return r;
}

std::vector<wire::MemberUpdate> AntiEntropy::member_list() const {
  std::vector<wire::MemberUpdate> out;
  out.reserve(ctx_.table.size());
  ctx_.table.for_each([&](const Member& m) {
    if (m.id == ctx_.self.id) {
      out.push_back(ctx_.self_update(ctx_.leaving ? MemberState::left : MemberState::alive));
    } else {
      out.push_back(Context::to_update(m, ctx_.self.id));
    }
  });
  return out;
}

std::vector<wire::DigestEntry> AntiEntropy::digest() const {
  std::vector<wire::DigestEntry> out;
  out.reserve(watermarks_.size() + 1);
  out.push_back({ctx_.self.id, ctx_.local_version});
  for (const auto& [owner, v] : watermarks_)
    if (owner != ctx_.self.id) out.push_back({owner, v});
  return out;
}

std::vector<wire::ClusterDigestEntry> AntiEntropy::cluster_digest() const { return ctx_.items.digest(); }

std::vector<wire::StateDelta> AntiEntropy::deltas_for(const std::vector<wire::DigestEntry>& remote) const {
  std::unordered_map<NodeId, std::uint64_t> theirs;
  theirs.reserve(remote.size());
  for (const auto& d : remote) theirs[d.owner] = d.version;
  // Everything we *hold* above the peer's watermark, not only up to our own watermark: an owner
  // whose entries reached us by gossip alone (no watermark here yet) must still be repairable, or a
  // peer that missed one of its entries waits for an exchange with the owner itself (ADR 0005).
  std::vector<wire::StateDelta> out;
  for (const auto& [owner, held] : ctx_.store.digest()) {
    if (owner != ctx_.self.id && !ctx_.table.find(owner)) continue;
    auto it = theirs.find(owner);
    const std::uint64_t since = it == theirs.end() ? 0 : it->second;
    if (held <= since) continue;
    auto entries = ctx_.store.newer_than(owner, since);
    if (!entries.empty()) out.push_back(wire::StateDelta{owner, std::move(entries)});
  }
  return out;
}

std::vector<membership::ClusterItem> AntiEntropy::items_for(const std::vector<wire::ClusterDigestEntry>& remote) const {
  return ctx_.items.newer_than(remote);
}

std::optional<std::vector<wire::Message>> AntiEntropy::open(std::span<const std::uint8_t> bytes, const Address& from) {
  ctx_.metrics.streams_in++;
  ctx_.metrics.stream_bytes_in += bytes.size();
  Bytes plain;
  const auto err = ctx_.envelope.open(bytes, plain);
  if (err != crypto::OpenError::ok) {
    ctx_.metrics.decrypt_failures++;
    ctx_.emit(Event{Event::Kind::decrypt_failed, {}, {}, {}, {}, from.to_string() + " (stream)"});
    return std::nullopt;
  }
  auto decoded = wire::decode_packet(plain, ctx_.cfg.max_stream_bytes);
  if (decoded.error != wire::DecodeError::none) {
    ctx_.metrics.malformed_packets++;
    ctx_.emit(Event{Event::Kind::malformed_packet, {}, {}, {}, {},
                    from.to_string() + " (stream): " + std::string(wire::to_string(decoded.error))});
    return std::nullopt;
  }
  ctx_.metrics.unknown_messages += decoded.unknown_skipped;
  return std::move(decoded.messages);
}

void AntiEntropy::merge_members(const std::vector<wire::MemberUpdate>& members, Instant now) {
  for (const auto& u : members) ctx_.members->on_update(u, now, /*via_push_pull=*/true);
}

void AntiEntropy::raise_watermarks(const std::vector<wire::DigestEntry>& remote) {
  for (const auto& d : remote) {
    if (d.owner == ctx_.self.id || !ctx_.table.find(d.owner)) continue;
    auto& w = watermarks_[d.owner];
    w = std::max(w, std::min(d.version, ctx_.store.version(d.owner)));
  }
}

void AntiEntropy::on_stream(std::uint64_t conn, const Address& from, std::span<const std::uint8_t> bytes, Instant now) {
  if (ctx_.stopped) return;
  auto msgs = open(bytes, from);
  if (!msgs) return;
  for (auto& msg : *msgs) {
    if (auto* req = std::get_if<wire::PushPullRequest>(&msg)) {
      joined_ = true;  // a member reached us: we are part of a cluster, whatever our seeds did
      answer(conn, *req, now);
      return;
    }
    if (auto* push = std::get_if<wire::StatePush>(&msg)) {
      apply_deltas(push->deltas, now, push->digest.empty() ? nullptr : &push->digest.front().owner);
      for (const auto& item : push->cluster_items) apply_item(item, now);
      raise_watermarks(push->digest);
      return;
    }
    if (auto* ping = std::get_if<wire::Ping>(&msg)) {
      if (ping->target.is_nil() || ping->target == ctx_.self.id)
        ctx_.out.replies.push_back(StreamReply{conn, ctx_.seal_stream(wire::Ack{ping->seq, ctx_.self.id})});
      return;
    }
  }
}

void AntiEntropy::answer(std::uint64_t conn, const wire::PushPullRequest& req, Instant now) {
  const auto theirs = SyncSummary::from_wire(req.summary);
  wire::PushPullResponse resp;
  if (theirs && req.digest.empty() && !req.join) {
    // Hash-first probe (ADR 0005): answer with our summary only; the prober decides.
    const auto mine = SyncSummary::of(ctx_);
    if (mine == *theirs) ctx_.metrics.push_pulls_in_sync++;
    resp.summary = mine.to_wire();
    ctx_.out.replies.push_back(StreamReply{conn, ctx_.seal_stream(std::move(resp))});
    return;
  }
  std::optional<SyncSummary> before;
  if (theirs) before = SyncSummary::of(ctx_);
  merge_members(req.members, now);
  // Member lists equal by hash are not sent back (the requester left its own out for that reason).
  if (!before || before->members != theirs->members) resp.members = member_list();
  resp.deltas = deltas_for(req.digest);
  resp.cluster_items = items_for(req.cluster_digest);
  resp.digest = digest();
  resp.cluster_digest = cluster_digest();
  if (theirs) resp.summary = SyncSummary::of(ctx_).to_wire();
  ctx_.out.replies.push_back(StreamReply{conn, ctx_.seal_stream(std::move(resp))});
}

void AntiEntropy::on_stream_reply(std::uint64_t id, std::span<const std::uint8_t> bytes, Instant now) {
  auto it = ctx_.pending_streams.find(id);
  if (it == ctx_.pending_streams.end()) return;
  const PendingStream pending = it->second;
  ctx_.pending_streams.erase(it);
  if (ctx_.stopped) return;
  const bool catch_up = catch_up_stream_ == id;
  if (catch_up) catch_up_stream_.reset();
  auto msgs = open(bytes, pending.peer);
  if (!msgs) {
    on_failed(pending, now);
    return;
  }
  for (auto& msg : *msgs) {
    if (std::holds_alternative<wire::Ack>(msg)) {
      if (pending.kind == PendingStream::Kind::fallback_ping) ctx_.probe->on_stream_ack(pending.probe_seq, now);
      return;
    }
    auto* resp = std::get_if<wire::PushPullResponse>(&msg);
    if (!resp) continue;
    if (pending.kind == PendingStream::Kind::sync_probe) {
      joined_ = true;
      if (const auto theirs = SyncSummary::from_wire(resp->summary)) {
        const auto mine = SyncSummary::of(ctx_);
        if (mine == *theirs) {
          ctx_.metrics.push_pulls_in_sync++;
          return;
        }
        // They differ: the full exchange, without our member list if those hashes agree.
        open_request(pending.peer, PendingStream::Kind::push_pull,
                     make_request(false, mine.members != theirs->members, mine));
        return;
      }
      // No summary: a peer that predates ADR 0005 answered our empty request in full (everything,
      // computed against an empty digest). Take it as a complete exchange, below.
    }
    const auto applied_before = ctx_.metrics.state_entries_applied;
    const auto news_before = ctx_.news;
    merge_members(resp->members, now);
    apply_deltas(resp->deltas, now, resp->digest.empty() ? nullptr : &resp->digest.front().owner);
    for (const auto& item : resp->cluster_items) apply_item(item, now);
    raise_watermarks(resp->digest);
    if (catch_up) catch_up_backoff_ = ctx_.news != news_before ? 1 : std::min<std::uint32_t>(catch_up_backoff_ * 2, 1024);
    // Push back what the responder lacks.
    wire::StatePush push;
    push.deltas = deltas_for(resp->digest);
    push.cluster_items = items_for(resp->cluster_digest);
    if (!push.deltas.empty() || !push.cluster_items.empty()) {
      push.digest = digest();
      const auto sid = ctx_.next_stream_id++;
      ctx_.out.streams.push_back(StreamOpen{sid, pending.peer, ctx_.seal_stream(std::move(push)), false, ctx_.cfg.stream_timeout});
    }
    if (const auto theirs = SyncSummary::from_wire(resp->summary)) {
      // Hash-first follow-up (ADR 0005): if the state still differs although this exchange brought
      // us nothing new, one of our watermarks may claim entries we do not hold; two such exchanges in
      // a row and we forget our watermarks, so the next exchange resends everything we lack (at worst
      // one larger exchange when it was the peer that lacked something).
      const bool moved = ctx_.metrics.state_entries_applied != applied_before;
      if (moved || SyncSummary::of(ctx_).state == theirs->state) {
        stalled_ = 0;
      } else if (++stalled_ >= 2) {
        stalled_ = 0;
        watermarks_.clear();
        ctx_.metrics.watermark_resets++;
      }
    }
    if (pending.kind == PendingStream::Kind::join && !join_reported_) {
      join_reported_ = true;
      ctx_.emit(Event{Event::Kind::join_completed, {}, {}, {}, {}, pending.peer.to_string()});
    }
    joined_ = true;  // any completed exchange makes us part of the cluster
    return;
  }
}

void AntiEntropy::on_stream_failed(std::uint64_t id, Instant now) {
  if (catch_up_stream_ == id) catch_up_stream_.reset();
  auto it = ctx_.pending_streams.find(id);
  if (it == ctx_.pending_streams.end()) return;
  const PendingStream pending = it->second;
  ctx_.pending_streams.erase(it);
  on_failed(pending, now);
}

void AntiEntropy::on_failed(const PendingStream& pending, Instant now) {
  (void)now;
  switch (pending.kind) {
    case PendingStream::Kind::join:
      ctx_.emit(Event{Event::Kind::join_failed, {}, {}, {}, {}, pending.peer.to_string()});
      [[fallthrough]];
    case PendingStream::Kind::push_pull:
    case PendingStream::Kind::sync_probe:
    case PendingStream::Kind::reconnect:
      ctx_.metrics.push_pull_failures++;
      break;
    case PendingStream::Kind::fallback_ping:
      ctx_.probe->on_stream_failed(pending.probe_seq, now);
      break;
    default:
      break;
  }
}

void AntiEntropy::apply_deltas(const std::vector<wire::StateDelta>& deltas, Instant now, const NodeId* sender) {
  for (const auto& d : deltas) apply_delta(d, now, sender && d.owner == *sender);
}

void AntiEntropy::apply_delta(const wire::StateDelta& d, Instant now, bool rebroadcast) {
  if (d.owner == ctx_.self.id) {
    // Only we write our own state. A peer holding a version of ours we never issued means we lost
    // our persisted counter: catch up, and re-issue what we hold (or a deletion) above it.
    for (const auto& e : d.entries) {
      const auto* mine = ctx_.store.find(ctx_.self.id, e.key);
      if (mine && mine->entry.version >= e.version) continue;
      ctx_.local_version = std::max(ctx_.local_version, e.version);
      membership::StateEntry again{e.key, 0, mine ? mine->entry.value : membership::StateValue{}};
      ctx_.write_local(std::move(again), now);
    }
    return;
  }
  const Member* m = ctx_.table.find(d.owner);
  if (!m) return;  // state of unknown (or forgotten, or removed) members is not kept
  auto accepted = ctx_.store.apply(d.owner, d.entries, now);
  if (accepted.empty()) return;
  ctx_.metrics.state_entries_applied += accepted.size();
  if (rebroadcast)
    for (const auto& e : accepted) ctx_.broadcast_state(d.owner, e);
  ctx_.emit(Event{Event::Kind::state_changed, d.owner, m->name, m->state, m->incarnation, {}});
}

void AntiEntropy::apply_item(const membership::ClusterItem& item, Instant now) {
  if (!ctx_.items.apply(item, now)) return;
  ctx_.broadcast_cluster(item);
  if (const auto* r = std::get_if<membership::Removal>(&item.value)) ctx_.members->apply_removal(*r, now);
  ctx_.emit(Event{Event::Kind::cluster_changed, item.writer, {}, {}, {}, item.key});
}

void AntiEntropy::forget(const NodeId& owner) { watermarks_.erase(owner); }

}  // namespace rollcall::gossip
