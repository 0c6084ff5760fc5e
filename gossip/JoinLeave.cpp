#include "gossip/JoinLeave.h"

#include <algorithm>

#include "gossip/AntiEntropy.h"
#include "gossip/MemberProtocol.h"

namespace rollcall::gossip {

using membership::Member;
using membership::MemberState;

void JoinLeave::start(Instant now) {
  if (ctx_.cfg.reconnect_interval != Duration::zero()) ctx_.arm(now + ctx_.cfg.reconnect_interval, timer::ReconnectTick{});
  ctx_.arm(now + std::min<Duration>(ctx_.cfg.dead_retention / 4, std::chrono::seconds(60)), timer::ReapTick{});
}

void JoinLeave::join(std::span<const Address> seeds, Instant now) {
  for (const auto& s : seeds) {
    if (std::find(seeds_.begin(), seeds_.end(), s) == seeds_.end()) seeds_.push_back(s);
  }
  for (const auto& s : seeds) {
    if (s == ctx_.self.address) continue;
    ctx_.anti_entropy->push_pull(s, PendingStream::Kind::join, now);
  }
}

void JoinLeave::leave(Instant now) {
  if (ctx_.leaving || ctx_.stopped) return;
  ctx_.leaving = true;
  if (Member* self = ctx_.table.find(ctx_.self.id)) ctx_.table.set_state(*self, MemberState::left, now);
  ctx_.broadcast_member(ctx_.self_update(MemberState::left), /*priority=*/true);
  // Push the news out now rather than at the next gossip round.
  auto peers = ctx_.table.random_members(ctx_.cfg.gossip_fanout, ctx_.rng,
                                         [](const Member& m) { return m.state == MemberState::alive; });
  for (const auto& id : peers) ctx_.send(ctx_.table.find(id)->address, {});
  ctx_.arm(now + ctx_.cfg.leave_timeout, timer::LeaveDone{});
}

void JoinLeave::on_leave_done(Instant now) {
  (void)now;
  if (!ctx_.leaving || ctx_.stopped) return;
  ctx_.stopped = true;
  ctx_.emit(Event{Event::Kind::leave_completed, ctx_.self.id, ctx_.self.name, MemberState::left, ctx_.incarnation, {}});
}

void JoinLeave::on_reconnect_tick(Instant now) {
  if (ctx_.stopped) return;
  // Seeds are retried while we know fewer live peers than seeds (isolated, or never joined).
  const std::size_t live_peers = ctx_.table.live_count() - 1;
  // Isolated (every peer we know is dead, say after our own link was down): nobody probes or
  // gossips to us, so waiting a whole reconnect interval would keep us out that long after the
  // network returns. Retry every probe interval until one exchange succeeds.
  const bool isolated = live_peers == 0 && ctx_.table.size() > 1;
  ctx_.arm(now + (isolated ? std::min(ctx_.cfg.reconnect_interval, ctx_.cfg.probe_interval) : ctx_.cfg.reconnect_interval),
           timer::ReconnectTick{});
  if (ctx_.leaving) return;
  ++reconnect_round_;
  const bool try_seed = !seeds_.empty() && (live_peers < seeds_.size() || !ctx_.anti_entropy->joined()) &&
                        (reconnect_round_ % 2 == 1);
  if (try_seed) {
    const Address& s = seeds_[ctx_.rng.below(seeds_.size())];
    ctx_.anti_entropy->push_pull(s, ctx_.anti_entropy->joined() ? PendingStream::Kind::reconnect : PendingStream::Kind::join,
                                 now);
    return;
  }
  if (ctx_.table.size() == ctx_.table.live_count()) return;  // nobody dead or left: skip the O(N) scan
  const Duration window = ctx_.cfg.reconnect_window;
  auto dead = ctx_.table.random_members(1, ctx_.rng, [&](const Member& m) {
    return m.state == MemberState::dead && now - m.state_since < window;
  });
  if (!dead.empty()) ctx_.anti_entropy->push_pull(ctx_.table.find(dead.front())->address, PendingStream::Kind::reconnect, now);
}

void JoinLeave::on_reap_tick(Instant now) {
  if (ctx_.stopped) return;
  ctx_.arm(now + std::min<Duration>(ctx_.cfg.dead_retention / 4, std::chrono::seconds(60)), timer::ReapTick{});
  // Members enter the graveyard in time order when they die or leave: reap from the front, O(1)
  // per reaped member. Entries of members that came back since are stale and skipped.
  while (!ctx_.graveyard.empty() && now - ctx_.graveyard.front().first >= ctx_.cfg.dead_retention) {
    const auto [since, id] = ctx_.graveyard.front();
    ctx_.graveyard.pop_front();
    const Member* m = ctx_.table.find(id);
    if (m && (m->state == MemberState::dead || m->state == MemberState::left) && m->state_since == since)
      ctx_.members->forget(id, now);
  }
  ctx_.items.collect(now, ctx_.cfg.tombstone_grace);
}

}  // namespace rollcall::gossip
