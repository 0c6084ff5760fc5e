// The SWIM probe cycle with Lifeguard: one member per (health-scaled) period gets a ping; a missed
// ack leads to ping-req through k relays (which nack at 80% of their timeout) plus a TCP fallback
// ping; a period without any ack makes the target suspect. Also the relay side of ping-req.
// Part of the engine; driven by Engine's dispatch.
#pragma once

#include <optional>
#include <unordered_map>

#include "gossip/Context.h"

namespace rollcall::gossip {

class ProbeCycle {
 public:
  explicit ProbeCycle(Context& ctx) : ctx_(ctx) {}

  void start(Instant now);
  void on_tick(const timer::ProbeTick& t, Instant now);
  void on_probe_timeout(const timer::ProbeTimeout& t, Instant now);
  void on_probe_deadline(const timer::ProbeDeadline& t, Instant now);
  void on_relay_nack(const timer::RelayNack& t, Instant now);
  void on_relay_expire(const timer::RelayExpire& t, Instant now);

  void on_ping(const wire::Ping& p, const Address& from, Instant now);
  void on_ping_req(const wire::PingReq& r, const Address& from, Instant now);
  void on_ack(const wire::Ack& a, Instant now);
  void on_nack(const wire::Nack& n, Instant now);
  // TCP fallback ping answered, or failed (refused, reset, timed out).
  void on_stream_ack(std::uint32_t seq, Instant now);
  void on_stream_failed(std::uint32_t seq, Instant now);

 private:
  struct Probe {
    std::uint32_t seq = 0;
    NodeId target;
    std::uint32_t slot = 0;  // the target's slot in the member table, for MemberTable::find(id, slot)
    Instant sent{};
    Instant deadline{};  // end of this probe's period: suspect if still unanswered then
    bool active = false;
    std::uint32_t expected_nacks = 0;
    std::uint32_t nacks = 0;
    bool fallback_pending = false;  // TCP fallback ping still open
  };
  struct Relay {
    Address requester;
    std::uint32_t requester_seq = 0;
    NodeId target;
    bool want_nack = false;
    bool answered = false;
  };
  void finish_success(Instant now);
  void finish_failure(Instant now);
  // Every relay nacked (each reached us, none reached the target) and the TCP fallback failed:
  // nothing can still answer in this period, so suspect now rather than at its end.
  void conclude_early(Instant now);

  Context& ctx_;
  std::uint64_t round_ = 0;
  Probe probe_;
  std::unordered_map<std::uint32_t, Relay> relays_;
};

}  // namespace rollcall::gossip
