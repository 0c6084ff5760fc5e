#include "gossip/ProbeCycle.h"

#include "gossip/MemberProtocol.h"

namespace rollcall::gossip {

using membership::Member;
using membership::MemberState;

void ProbeCycle::start(Instant now) {
  // Spread first probes of nodes started together over one period.
  const auto jitter = Duration{static_cast<Duration::rep>(ctx_.rng.below(
      static_cast<std::uint64_t>(std::max<Duration::rep>(1, ctx_.cfg.probe_interval.count()))))};
  ctx_.arm(now + jitter, timer::ProbeTick{++round_});
}

void ProbeCycle::on_tick(const timer::ProbeTick& t, Instant now) {
  if (t.round != round_ || ctx_.stopped) return;
  ctx_.arm(now + ctx_.probe_interval(), timer::ProbeTick{++round_});
  if (probe_.active) finish_failure(now);  // the deadline raced the next tick

  std::uint32_t slot = 0;
  const Member* m = ctx_.table.next_probe_member(ctx_.rng, &slot);
  if (!m) return;
  probe_ = Probe{ctx_.seq(), m->id, slot, now, now + ctx_.probe_interval(), true, 0, 0};

  wire::Ping ping{probe_.seq, m->id, ctx_.self.id, ctx_.self.address};
  if (m->state == MemberState::suspect) {
    // Buddy system: tell the suspect right away so it can refute.
    const wire::Message msgs[] = {ping, wire::MemberUpdate{m->id, m->name, m->address, m->incarnation,
                                                           MemberState::suspect, ctx_.self.id}};
    ctx_.send(m->address, msgs);
  } else {
    const wire::Message msgs[] = {ping};
    ctx_.send(m->address, msgs);
  }
  ctx_.metrics.probes_sent++;
  // The deadline is armed by the timeout, only for a probe still unanswered then: most probes are
  // acked in time and need one timer, not two.
  ctx_.arm(now + ctx_.probe_timeout(), timer::ProbeTimeout{probe_.seq});
}

void ProbeCycle::on_probe_timeout(const timer::ProbeTimeout& t, Instant now) {
  if (!probe_.active || t.seq != probe_.seq) return;
  const Member* m = ctx_.table.find(probe_.target, probe_.slot);
  if (!m) {
    probe_.active = false;
    return;
  }
  ctx_.arm(std::max(probe_.deadline, now), timer::ProbeDeadline{probe_.seq});
  const NodeId target = probe_.target;
  auto relays = ctx_.table.random_members(ctx_.cfg.indirect_checks, ctx_.rng, [&](const Member& r) {
    return r.id != target && r.state == MemberState::alive;
  });
  for (const auto& rid : relays) {
    const Member* r = ctx_.table.find(rid);
    const wire::Message msgs[] = {
        wire::PingReq{probe_.seq, m->id, m->address, ctx_.self.id, ctx_.self.address, true}};
    ctx_.send(r->address, msgs);
  }
  probe_.expected_nacks = static_cast<std::uint32_t>(relays.size());
  ctx_.metrics.indirect_probes++;
  if (ctx_.cfg.tcp_fallback_ping) {
    const auto id = ctx_.next_stream_id++;
    ctx_.out.streams.push_back(StreamOpen{
        id, m->address, ctx_.seal_stream(wire::Ping{probe_.seq, m->id, ctx_.self.id, ctx_.self.address}), true,
        std::max(ctx_.probe_interval() - ctx_.probe_timeout(), Duration{std::chrono::milliseconds(10)})});
    ctx_.pending_streams[id] = PendingStream{PendingStream::Kind::fallback_ping, m->address, probe_.seq};
    ctx_.metrics.tcp_fallback_probes++;
    probe_.fallback_pending = true;
  }
  (void)now;
}

void ProbeCycle::on_probe_deadline(const timer::ProbeDeadline& t, Instant now) {
  if (!probe_.active || t.seq != probe_.seq) return;
  finish_failure(now);
}

void ProbeCycle::finish_success(Instant now) {
  probe_.active = false;
  ctx_.awareness.apply(-1);
  if (Member* m = ctx_.table.find(probe_.target, probe_.slot)) {
    m->last_heard = now;
    m->rtt = now - probe_.sent;
  }
}

void ProbeCycle::finish_failure(Instant now) {
  probe_.active = false;
  ctx_.metrics.probes_failed++;
  // Lifeguard: if relays were asked, every missing nack hints that *we* are the problem.
  int delta = 1;
  if (probe_.expected_nacks > 0) {
    delta = probe_.nacks < probe_.expected_nacks ? static_cast<int>(probe_.expected_nacks - probe_.nacks) : 0;
  }
  ctx_.awareness.apply(delta);
  if (ctx_.leaving) return;
  ctx_.members->suspect(probe_.target, ctx_.self.id, now);
}

void ProbeCycle::on_ping(const wire::Ping& p, const Address& from, Instant now) {
  if (ctx_.stopped) return;
  if (!p.target.is_nil() && p.target != ctx_.self.id) return;  // meant for a previous owner of this address
  Member* m = ctx_.table.find(p.source);
  if (m) m->last_heard = now;
  if (m && (m->state == MemberState::suspect || m->state == MemberState::dead)) {
    // The prober is doubted here (suspect, or dead after a cut it never heard about): the ack
    // carries that verdict so it refutes now, not when a rumor or a push-pull happens to reach it.
    const wire::Message msgs[] = {wire::Ack{p.seq, ctx_.self.id},
                                  wire::MemberUpdate{m->id, m->name, m->address, m->incarnation, m->state,
                                                     ctx_.self.id}};
    ctx_.send(from, msgs);
    return;
  }
  const wire::Message msgs[] = {wire::Ack{p.seq, ctx_.self.id}};
  ctx_.send(from, msgs);
}

void ProbeCycle::on_ping_req(const wire::PingReq& r, const Address& from, Instant now) {
  if (ctx_.stopped || r.target == ctx_.self.id) return;
  if (relays_.size() >= 1024) return;  // bounded: a flood of ping-reqs cannot grow memory
  const std::uint32_t seq = ctx_.seq();
  relays_[seq] = Relay{from, r.seq, r.target, r.want_nack, false};
  const wire::Message msgs[] = {wire::Ping{seq, r.target, ctx_.self.id, ctx_.self.address}};
  ctx_.send(r.target_addr, msgs);
  ctx_.metrics.relayed_pings++;
  const auto timeout = ctx_.cfg.probe_timeout;
  if (r.want_nack) ctx_.arm(now + timeout * 8 / 10, timer::RelayNack{seq});
  ctx_.arm(now + ctx_.cfg.probe_interval, timer::RelayExpire{seq});
}

void ProbeCycle::on_ack(const wire::Ack& a, Instant now) {
  ctx_.metrics.acks_received++;
  // The common case: the answer to our own probe. finish_success sets the target's last_heard
  // through the remembered slot, without the hash index.
  if (probe_.active && a.seq == probe_.seq && a.source == probe_.target) {
    finish_success(now);
    return;
  }
  // Any authentic ack proves its source alive just now, whoever asked (the suspicion timer's
  // last check before a death verdict relies on it).
  if (Member* m = ctx_.table.find(a.source)) m->last_heard = now;
  if (probe_.active && a.seq == probe_.seq) {
    finish_success(now);
    return;
  }
  auto it = relays_.find(a.seq);
  if (it == relays_.end()) return;
  // We relayed this probe: pass the ack back to whoever asked.
  const wire::Message msgs[] = {wire::Ack{it->second.requester_seq, a.source}};
  ctx_.send(it->second.requester, msgs);
  relays_.erase(it);
}

void ProbeCycle::on_stream_ack(std::uint32_t seq, Instant now) {
  if (probe_.active && seq == probe_.seq) finish_success(now);
}

void ProbeCycle::on_nack(const wire::Nack& n, Instant now) {
  ctx_.metrics.nacks_received++;
  if (!probe_.active || n.seq != probe_.seq) return;
  probe_.nacks++;
  conclude_early(now);
}

void ProbeCycle::on_stream_failed(std::uint32_t seq, Instant now) {
  if (!probe_.active || seq != probe_.seq) return;
  probe_.fallback_pending = false;
  conclude_early(now);
}

void ProbeCycle::conclude_early(Instant now) {
  if (probe_.expected_nacks == 0 || probe_.nacks < probe_.expected_nacks || probe_.fallback_pending) return;
  ctx_.metrics.early_suspicions++;
  finish_failure(now);
}

void ProbeCycle::on_relay_nack(const timer::RelayNack& t, Instant now) {
  (void)now;
  auto it = relays_.find(t.relay_seq);
  if (it == relays_.end() || !it->second.want_nack) return;
  const wire::Message msgs[] = {wire::Nack{it->second.requester_seq, ctx_.self.id}};
  ctx_.send(it->second.requester, msgs);
  ctx_.metrics.nacks_sent++;
}

void ProbeCycle::on_relay_expire(const timer::RelayExpire& t, Instant now) {
  (void)now;
  relays_.erase(t.relay_seq);
}

}  // namespace rollcall::gossip
