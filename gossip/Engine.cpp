#include "gossip/Engine.h"

#include "gossip/AntiEntropy.h"
#include "gossip/JoinLeave.h"
#include "gossip/MemberProtocol.h"
#include "gossip/ProbeCycle.h"
#include "gossip/wire/Codec.h"

namespace rollcall::gossip {

using membership::Member;
using membership::MemberState;

Engine::Engine(Config cfg, Identity self, crypto::Envelope envelope, std::uint64_t seed)
    : ctx_(std::move(cfg), std::move(self), std::move(envelope), seed) {
  probe_ = std::make_unique<ProbeCycle>(ctx_);
  members_ = std::make_unique<MemberProtocol>(ctx_);
  anti_entropy_ = std::make_unique<AntiEntropy>(ctx_);
  join_leave_ = std::make_unique<JoinLeave>(ctx_);
  ctx_.probe = probe_.get();
  ctx_.members = members_.get();
  ctx_.anti_entropy = anti_entropy_.get();
  ctx_.join_leave = join_leave_.get();
}

Engine::~Engine() = default;

void Engine::restore_local(std::uint64_t version, std::span<const membership::StateEntry> entries, Instant now) {
  ctx_.local_version = std::max(ctx_.local_version, version);
  for (const auto& e : entries) ctx_.local_version = std::max(ctx_.local_version, e.version);
  ctx_.store.apply(ctx_.self.id, entries, now);
}

void Engine::restore_cluster_items(std::span<const membership::ClusterItem> items, Instant now) {
  for (const auto& item : items) ctx_.items.apply(item, now);
}

void Engine::restore_members(std::span<const wire::MemberUpdate> members, Instant now) {
  if (ctx_.started) return;
  for (const auto& u : members) {
    if (u.id == ctx_.self.id || u.id.is_nil() || u.state != MemberState::alive || ctx_.table.find(u.id)) continue;
    const Member& added = ctx_.table.add(Context::new_member(u, now), ctx_.rng);
    ctx_.emit(Event{Event::Kind::member_joined, added.id, added.name, added.state, added.incarnation, {}});
  }
}

void Engine::start(Instant now) {
  if (ctx_.started) return;
  ctx_.started = true;
  Member self;
  self.id = ctx_.self.id;
  self.name = ctx_.self.name;
  self.address = ctx_.self.address;
  self.incarnation = ctx_.incarnation;
  self.state = MemberState::alive;
  self.state_since = now;
  self.last_heard = now;
  ctx_.table.add(std::move(self), ctx_.rng);
  ctx_.broadcast_member(ctx_.self_update(), /*priority=*/true);
  for (const auto& e : local_entries()) ctx_.broadcast_state(ctx_.self.id, e);
  probe_->start(now);
  anti_entropy_->start(now);
  join_leave_->start(now);
  ensure_gossip_tick(now);
}

void Engine::join(std::span<const Address> seeds, Instant now) {
  if (!ctx_.started) start(now);
  join_leave_->join(seeds, now);
  push_news(now);
}

void Engine::leave(Instant now) {
  join_leave_->leave(now);
  ensure_gossip_tick(now);
}

namespace {
// on_packet's scratch, kept between datagrams: opening and decoding one allocates nothing in the
// steady state (decoded messages are cleared; their vector keeps its capacity). One per thread,
// shared by every engine the thread runs (a simulator drives hundreds; one stays in the cache).
// on_packet never reenters itself: handlers only queue output.
struct PacketScratch {
  Bytes plain;
  wire::DecodeResult decoded;
};
PacketScratch& packet_scratch() {
  thread_local PacketScratch s;
  return s;
}
}  // namespace

void Engine::on_packet(const Address& from, std::span<const std::uint8_t> bytes, Instant now) {
  if (ctx_.stopped) return;
  ctx_.metrics.packets_in++;
  ctx_.metrics.bytes_in += bytes.size();
  PacketScratch& scratch = packet_scratch();
  Bytes& plain = scratch.plain;
  wire::DecodeResult& decoded = scratch.decoded;
  const auto err = ctx_.envelope.open(bytes, plain);
  if (err != crypto::OpenError::ok) {
    ctx_.metrics.decrypt_failures++;
    ctx_.emit(Event{Event::Kind::decrypt_failed, {}, {}, {}, {}, from.to_string()});
    return;
  }
  wire::decode_packet_into(plain, decoded);
  ctx_.metrics.unknown_messages += decoded.unknown_skipped;
  if (decoded.error != wire::DecodeError::none) {
    ctx_.metrics.malformed_packets++;
    ctx_.emit(Event{Event::Kind::malformed_packet, {}, {}, {}, {},
                    from.to_string() + ": " + std::string(wire::to_string(decoded.error))});
    return;
  }
  ctx_.packet_from = &from;
  ctx_.packet_answered = false;
  for (const auto& m : decoded.messages) dispatch(m, from, now);
  ctx_.packet_from = nullptr;
  push_news(now);
}

void Engine::dispatch(const wire::Message& msg, const Address& from, Instant now) {
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, wire::Ping>) {
          if (!m.source.is_nil() && !ctx_.table.find(m.source)) anti_entropy_->repair(m.source_addr, m.source, now);
          probe_->on_ping(m, from, now);
        } else if constexpr (std::is_same_v<T, wire::PingReq>) {
          probe_->on_ping_req(m, from, now);
        } else if constexpr (std::is_same_v<T, wire::Ack>) {
          probe_->on_ack(m, now);
        } else if constexpr (std::is_same_v<T, wire::Nack>) {
          probe_->on_nack(m, now);
        } else if constexpr (std::is_same_v<T, wire::MemberUpdate>) {
          members_->on_update(m, now);
        } else if constexpr (std::is_same_v<T, wire::StateDelta>) {
          // State of a member we never heard of: we missed its alive rumor (a join storm's tail).
          if (m.owner != ctx_.self.id && !ctx_.table.find(m.owner)) anti_entropy_->repair(from, m.owner, now);
          anti_entropy_->apply_delta(m, now);
        } else if constexpr (std::is_same_v<T, wire::ClusterItemMsg>) {
          anti_entropy_->apply_item(m.item, now);
        } else {
          // Stream-only messages arriving by datagram are ignored.
          ctx_.metrics.unknown_messages++;
        }
      },
      msg);
}

void Engine::on_timer(const Timer& t, Instant now) {
  if (ctx_.stopped) return;
  std::visit(
      [&](const auto& tm) {
        using T = std::decay_t<decltype(tm)>;
        if constexpr (std::is_same_v<T, timer::ProbeTick>) {
          probe_->on_tick(tm, now);
        } else if constexpr (std::is_same_v<T, timer::ProbeTimeout>) {
          probe_->on_probe_timeout(tm, now);
        } else if constexpr (std::is_same_v<T, timer::ProbeDeadline>) {
          probe_->on_probe_deadline(tm, now);
        } else if constexpr (std::is_same_v<T, timer::RelayNack>) {
          probe_->on_relay_nack(tm, now);
        } else if constexpr (std::is_same_v<T, timer::RelayExpire>) {
          probe_->on_relay_expire(tm, now);
        } else if constexpr (std::is_same_v<T, timer::Suspicion>) {
          members_->on_suspicion_timer(tm, now);
        } else if constexpr (std::is_same_v<T, timer::GossipTick>) {
          gossip_tick_armed_ = false;  // re-armed below (ensure_gossip_tick) while the queue holds news
          gossip_round(now);
          news_pushed_ = ctx_.news;  // this round carried everything queued so far
          anti_entropy_->on_gossip_round(now);
        } else if constexpr (std::is_same_v<T, timer::PushPullTick>) {
          anti_entropy_->on_tick(now);
        } else if constexpr (std::is_same_v<T, timer::ReconnectTick>) {
          join_leave_->on_reconnect_tick(now);
        } else if constexpr (std::is_same_v<T, timer::ReapTick>) {
          join_leave_->on_reap_tick(now);
        } else if constexpr (std::is_same_v<T, timer::LeaveDone>) {
          join_leave_->on_leave_done(now);
        }
      },
      t);
  push_news(now);  // also re-arms the gossip tick while the queue holds news
}

std::size_t Engine::gossip_round(Instant now) {
  if (ctx_.queue.empty() || ctx_.stopped) return 0;
  // Gossip to live members, and to the recently dead (so a falsely dead node learns it fast).
  const Duration to_dead = ctx_.cfg.probe_interval * 30;
  auto peers = ctx_.table.random_members(ctx_.cfg.gossip_fanout, ctx_.rng, [&](const Member& m) {
    return membership::is_live(m.state) || (m.state == MemberState::dead && now - m.state_since < to_dead);
  });
  for (const auto& id : peers) ctx_.send(ctx_.table.find(id)->address, {});
  return peers.size();
}

void Engine::ensure_gossip_tick(Instant now) {
  if (gossip_tick_armed_ || ctx_.queue.empty() || !ctx_.started || ctx_.stopped) return;
  gossip_tick_armed_ = true;
  ctx_.arm(now + ctx_.cfg.gossip_interval, timer::GossipTick{});
}

void Engine::push_news(Instant now) {
  ensure_gossip_tick(now);
  if (ctx_.news == news_pushed_ || !ctx_.started || ctx_.stopped) return;
  if (last_eager_ && now - *last_eager_ < ctx_.cfg.gossip_interval) return;  // the next tick carries it
  news_pushed_ = ctx_.news;
  if (gossip_round(now) == 0) return;  // nobody to tell yet: the budget stays unused
  last_eager_ = now;
  ctx_.metrics.eager_rounds++;
}

void Engine::on_stream(std::uint64_t conn, const Address& from, std::span<const std::uint8_t> bytes, Instant now) {
  anti_entropy_->on_stream(conn, from, bytes, now);
  push_news(now);
}

void Engine::on_stream_reply(std::uint64_t id, std::span<const std::uint8_t> bytes, Instant now) {
  anti_entropy_->on_stream_reply(id, bytes, now);
  push_news(now);
}

void Engine::on_stream_failed(std::uint64_t id, Instant now) {
  anti_entropy_->on_stream_failed(id, now);
  ensure_gossip_tick(now);
}

void Engine::write_local(membership::StateEntry e, Instant now) { ctx_.write_local(std::move(e), now); }

void Engine::set_local(const std::string& key, membership::StateValue value, Instant now) {
  if (const auto* cur = ctx_.store.find(ctx_.self.id, key); cur && cur->entry.value == value) return;
  write_local(membership::StateEntry{key, 0, std::move(value)}, now);
  push_news(now);
}

void Engine::erase_local(const std::string& key, Instant now) {
  const auto* cur = ctx_.store.find(ctx_.self.id, key);
  if (!cur || cur->entry.deleted()) return;
  write_local(membership::StateEntry{key, 0, std::monostate{}}, now);
  push_news(now);
}

membership::ClusterItem Engine::write_cluster(const std::string& key, membership::ClusterValue value, Instant now) {
  membership::ClusterItem item{key, ctx_.items.max_lamport() + 1, ctx_.self.id, std::move(value)};
  anti_entropy_->apply_item(item, now);
  push_news(now);
  return item;
}

void Engine::set_envelope(crypto::Envelope envelope) { ctx_.envelope = std::move(envelope); }

std::size_t Engine::open_suspicions() const { return members_->open_suspicions(); }

std::vector<membership::StateEntry> Engine::local_entries() const {
  std::vector<membership::StateEntry> out;
  if (const auto* own = ctx_.store.owner(ctx_.self.id)) {
    for (const auto& [key, stored] : *own) out.push_back(stored.entry);
  }
  return out;
}

bool Engine::joined() const { return anti_entropy_->joined(); }

const std::vector<Address>& Engine::seeds() const { return join_leave_->seeds(); }

}  // namespace rollcall::gossip
