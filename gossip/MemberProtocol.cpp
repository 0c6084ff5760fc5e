#include "gossip/MemberProtocol.h"

#include "gossip/AntiEntropy.h"
#include "membership/Precedence.h"

namespace rollcall::gossip {

using membership::Claim;
using membership::Member;
using membership::MemberState;
using membership::supersedes;

void MemberProtocol::event(Event::Kind k, const Member& m, std::string detail) {
  ctx_.emit(Event{k, m.id, m.name, m.state, m.incarnation, std::move(detail)});
}

bool MemberProtocol::removed(const NodeId& id, const membership::Incarnation& inc) const {
  const auto* r = ctx_.items.server_removal(id);
  return r && inc.generation <= r->generation;
}

namespace {
// A member name must be something a person can read in a table and a log line: 1..253 bytes, no
// control characters (a newline could forge log lines). Authentic but malformed claims are dropped.
bool printable_name(const std::string& name) {
  if (name.empty() || name.size() > 253) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}
}  // namespace

void MemberProtocol::on_update(const wire::MemberUpdate& in, Instant now, bool via_push_pull) {
  if (in.id.is_nil()) return;
  if (in.state == MemberState::alive && !printable_name(in.name)) {
    ctx_.metrics.malformed_packets++;
    return;
  }
  if (in.id == ctx_.self.id) {
    on_self_claim(in, now);
    return;
  }
  wire::MemberUpdate u = in;
  if (via_push_pull && u.state == MemberState::dead) u.state = MemberState::suspect;
  if (removed(u.id, u.incarnation)) return;

  Member* m = ctx_.table.find(u.id);
  if (!m) {
    // Only an alive claim introduces a member: unknown dead members stay forgotten.
    if (u.state == MemberState::alive) add_member(u, now);
    return;
  }

  const Claim incoming{u.incarnation, u.state};
  if (!supersedes(incoming, m->claim())) {
    // Same-incarnation suspicion from another node: a Lifeguard confirmation.
    if (u.state == MemberState::suspect && m->state == MemberState::suspect && u.incarnation == m->incarnation) {
      auto s = suspicions_.find(m->id);
      if (s != suspicions_.end() && s->second.confirm(u.from)) {
        ctx_.arm(check_time(s->second, now), timer::Suspicion{m->id, m->incarnation});
        ctx_.broadcast_member(u);
      }
    }
    return;
  }

  const MemberState before = m->state;
  switch (u.state) {
    case MemberState::alive: {
      const bool moved = m->address != u.address || m->name != u.name;
      ctx_.table.set_incarnation(*m, u.incarnation);
      ctx_.table.set_address(*m, u.address);
      ctx_.table.rename(*m, u.name);
      ctx_.table.set_state(*m, MemberState::alive, now);
      suspicions_.erase(m->id);
      if (before != MemberState::alive) {
        event(Event::Kind::member_alive, *m);
      } else if (moved) {
        event(Event::Kind::member_updated, *m);
      }
      if (moved || before != MemberState::alive) check_name_conflict(*m);
      ctx_.broadcast_member(u);
      break;
    }
    case MemberState::suspect:
      if (before == MemberState::dead || before == MemberState::left) {
        // A newer incarnation of a member we had given up: it lives, but is doubted.
        ctx_.table.set_incarnation(*m, u.incarnation);
        ctx_.table.set_state(*m, MemberState::alive, now);
      }
      start_suspicion(*m, u.incarnation, u.from, now);
      break;
    case MemberState::dead:
      ctx_.table.set_incarnation(*m, u.incarnation);
      suspicions_.erase(m->id);
      ctx_.table.set_state(*m, MemberState::dead, now);
      if (before != MemberState::dead) {
        ctx_.graveyard.emplace_back(now, m->id);
        event(Event::Kind::member_dead, *m);
      }
      ctx_.broadcast_member(u);
      break;
    case MemberState::left:
      ctx_.table.set_incarnation(*m, u.incarnation);
      suspicions_.erase(m->id);
      ctx_.table.set_state(*m, MemberState::left, now);
      ctx_.graveyard.emplace_back(now, m->id);
      event(Event::Kind::member_left, *m);
      ctx_.broadcast_member(u);
      break;
  }
}

void MemberProtocol::on_self_claim(const wire::MemberUpdate& u, Instant now) {
  (void)now;
  if (ctx_.stopped) return;
  const Claim ours{ctx_.incarnation, ctx_.leaving ? MemberState::left : MemberState::alive};
  const bool differs = u.address != ctx_.self.address || u.name != ctx_.self.name;
  if (u.state == MemberState::alive && !(differs && u.incarnation >= ctx_.incarnation)) return;
  if (u.state != MemberState::alive && !supersedes(Claim{u.incarnation, u.state}, ours)) {
    // A doubt about an older incarnation of us: we refuted it already, but the sender has not
    // heard. Tell it directly (one datagram per packet), or it may declare us dead.
    if (u.state != MemberState::left) answer_sender_with_self();
    return;
  }
  if (ctx_.leaving && u.state == MemberState::left) return;
  if (u.incarnation.generation > ctx_.incarnation.generation) {
    // Someone speaks for our id with a newer generation: a copied data directory. We cannot
    // outrank it; report loudly instead of flapping.
    ctx_.emit(Event{Event::Kind::name_conflict, ctx_.self.id, ctx_.self.name, u.state, u.incarnation,
                    "another process claims this node id with a newer generation (copied data directory?)"});
    return;
  }
  // Refute: a newer counter within our generation, broadcast first.
  ctx_.incarnation.counter = std::max(ctx_.incarnation.counter, u.incarnation.counter) + 1;
  if (Member* self = ctx_.table.find(ctx_.self.id)) ctx_.table.set_incarnation(*self, ctx_.incarnation);
  ctx_.broadcast_member(ctx_.self_update(ctx_.leaving ? MemberState::left : MemberState::alive), true);
  answer_sender_with_self();  // and straight back to whoever told us: it holds the suspicion
  ctx_.awareness.apply(+1);
  ctx_.metrics.refutations++;
  ctx_.emit(Event{Event::Kind::refuted, ctx_.self.id, ctx_.self.name, u.state, ctx_.incarnation,
                  std::string(membership::to_string(u.state))});
}

void MemberProtocol::answer_sender_with_self() {
  if (!ctx_.packet_from || ctx_.packet_answered) return;  // not from a datagram, or answered already
  ctx_.packet_answered = true;
  const wire::Message msgs[] = {ctx_.self_update(ctx_.leaving ? MemberState::left : MemberState::alive)};
  ctx_.send(*ctx_.packet_from, msgs);
}

void MemberProtocol::add_member(const wire::MemberUpdate& u, Instant now) {
  Member& added = ctx_.table.add(Context::new_member(u, now), ctx_.rng);
  event(Event::Kind::member_joined, added);
  check_name_conflict(added);
  ctx_.broadcast_member(u);
}

void MemberProtocol::check_name_conflict(const Member& m) {
  for (const auto& other : ctx_.table.ids_named(m.name)) {
    if (other == m.id) continue;
    const Member* o = ctx_.table.find(other);
    if (o && membership::is_live(o->state) && membership::is_live(m.state)) {
      event(Event::Kind::name_conflict, m, m.name);
      return;
    }
  }
}

void MemberProtocol::suspect(const NodeId& id, const NodeId& from, Instant now) {
  Member* m = ctx_.table.find(id);
  if (!m || !membership::is_live(m->state)) return;
  if (m->state == MemberState::suspect) {
    auto s = suspicions_.find(id);
    if (s != suspicions_.end() && s->second.confirm(from)) {
      ctx_.arm(check_time(s->second, now), timer::Suspicion{id, m->incarnation});
      ctx_.broadcast_member(wire::MemberUpdate{m->id, m->name, m->address, m->incarnation, MemberState::suspect, from});
    }
    return;
  }
  ctx_.metrics.suspicions_raised++;
  start_suspicion(*m, m->incarnation, from, now);
}

void MemberProtocol::start_suspicion(Member& m, const membership::Incarnation& inc, const NodeId& from, Instant now) {
  const std::size_t n = ctx_.table.live_count();
  const Duration min = formulas::suspicion_min(ctx_.cfg.suspicion_mult, n, ctx_.cfg.probe_interval);
  const Duration max = formulas::suspicion_max(ctx_.cfg.suspicion_max_mult, min);
  const std::uint32_t k = formulas::suspicion_confirmations(ctx_.cfg.suspicion_mult, n);
  ctx_.table.set_incarnation(m, inc);
  ctx_.table.set_state(m, MemberState::suspect, now);
  if (now - m.last_suspected > membership::kSuspicionMemory) m.recent_suspicions = 0;
  m.recent_suspicions++;
  m.last_suspected = now;
  auto [it, _] = suspicions_.insert_or_assign(m.id, Suspicion(inc, from, now, k, min, max));
  ctx_.arm(check_time(it->second, now), timer::Suspicion{m.id, inc});
  ctx_.metrics.suspicions_heard++;
  event(Event::Kind::member_suspect, m);
  ctx_.broadcast_member(wire::MemberUpdate{m.id, m.name, m.address, inc, MemberState::suspect, from});
}

void MemberProtocol::on_suspicion_timer(const timer::Suspicion& t, Instant now) {
  auto s = suspicions_.find(t.member);
  Member* m = ctx_.table.find(t.member);
  if (s == suspicions_.end() || !m || m->state != MemberState::suspect || m->incarnation != t.incarnation ||
      s->second.incarnation() != t.incarnation) {
    return;  // stale: refuted, already dead, or superseded
  }
  Suspicion& sp = s->second;
  const Duration lead = ctx_.probe_timeout();
  const Instant deadline = sp.deadline();
  if (!sp.checked_at()) {
    if (now < check_time(sp, now)) {
      ctx_.arm(check_time(sp, now), t);
      return;
    }
    // The last check before the verdict: ping the member itself, with the suspicion attached (it
    // refutes if it had not heard). Under heavy loss the refutation can miss us while the member
    // is plainly alive; an answer within one probe timeout means no death verdict.
    // Three datagrams, each lost or not on its own: at 30% loss one round trip fails half the
    // time, all three about one time in eight.
    sp.mark_checked(now);
    for (int i = 0; i < kCheckPings; ++i) {
      const wire::Message msgs[] = {
          wire::Ping{ctx_.seq(), m->id, ctx_.self.id, ctx_.self.address},
          wire::MemberUpdate{m->id, m->name, m->address, m->incarnation, MemberState::suspect, ctx_.self.id}};
      ctx_.send(m->address, msgs);
    }
    ctx_.metrics.suspicion_checks++;
    ctx_.arm(std::max(deadline, now + lead), t);
    return;
  }
  const Instant verdict_at = std::max(deadline, *sp.checked_at() + lead);
  if (now < verdict_at) {
    ctx_.arm(verdict_at, t);
    return;
  }
  if (m->last_heard >= *sp.checked_at()) {
    sp.reprieve(now);
    ctx_.metrics.suspicion_reprieves++;
    ctx_.arm(check_time(sp, now), t);
    return;
  }
  declare_dead(*m, now);
}

Instant MemberProtocol::check_time(const Suspicion& s, Instant now) const {
  // One probe timeout before the deadline, so the check's answer window ends at the deadline
  // and a member that really died is declared dead no later than without the check.
  const Duration lead = ctx_.probe_timeout();
  const Instant d = s.deadline();
  return std::max(now, d - lead);
}

void MemberProtocol::declare_dead(Member& m, Instant now) {
  suspicions_.erase(m.id);
  ctx_.table.set_state(m, MemberState::dead, now);
  ctx_.graveyard.emplace_back(now, m.id);
  ctx_.metrics.dead_declared++;
  event(Event::Kind::member_dead, m);
  ctx_.broadcast_member(wire::MemberUpdate{m.id, m.name, m.address, m.incarnation, MemberState::dead, ctx_.self.id});
}

void MemberProtocol::apply_removal(const membership::Removal& r, Instant now) {
  if (!r.component.empty() || r.server == ctx_.self.id) return;
  const Member* m = ctx_.table.find(r.server);
  if (m && m->incarnation.generation <= r.generation) forget(r.server, now);
}

void MemberProtocol::forget(const NodeId& id, Instant now) {
  (void)now;
  Member* m = ctx_.table.find(id);
  if (!m || id == ctx_.self.id) return;
  event(Event::Kind::member_forgotten, *m);
  suspicions_.erase(id);
  ctx_.queue.erase(BroadcastQueue::member_key(id));
  ctx_.table.erase(id);
  ctx_.store.forget(id);
  ctx_.anti_entropy->forget(id);
}

}  // namespace rollcall::gossip

