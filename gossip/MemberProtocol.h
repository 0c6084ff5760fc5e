// Applies claims about members (alive, suspect, dead, left) with the SWIM precedence rule, runs
// Lifeguard's dynamic suspicion (confirmations shrink the timeout), refutes claims about this node,
// and enforces whole-server removals. Part of the engine; called by the other parts and by Engine.
#pragma once

#include <unordered_map>

#include "gossip/Context.h"
#include "gossip/Suspicion.h"

namespace rollcall::gossip {

class MemberProtocol {
 public:
  explicit MemberProtocol(Context& ctx) : ctx_(ctx) {}

  // A claim heard by gossip (via_push_pull: from an anti-entropy member list, where "dead" is
  // softened to "suspect" so the member gets a chance to refute).
  void on_update(const wire::MemberUpdate& u, Instant now, bool via_push_pull = false);

  // This node's own probe failed: suspect `id` (or confirm an open suspicion).
  void suspect(const NodeId& id, const NodeId& from, Instant now);

  void on_suspicion_timer(const timer::Suspicion& t, Instant now);

  // Whole-server removal tombstone won: forget the member if the removal covers it.
  void apply_removal(const membership::Removal& r, Instant now);
  bool removed(const NodeId& id, const membership::Incarnation& inc) const;

  // Forgets a member and its state (reaped or removed).
  void forget(const NodeId& id, Instant now);

  std::size_t open_suspicions() const { return suspicions_.size(); }

 private:
  void on_self_claim(const wire::MemberUpdate& u, Instant now);
  void add_member(const wire::MemberUpdate& u, Instant now);
  // Sends our current claim straight to the sender of the datagram being handled (once per packet).
  void answer_sender_with_self();
  void start_suspicion(membership::Member& m, const membership::Incarnation& inc, const NodeId& from, Instant now);
  void declare_dead(membership::Member& m, Instant now);
  // When the suspicion timer should next fire for its last check (deadline - probe timeout).
  Instant check_time(const Suspicion& s, Instant now) const;
  static constexpr int kCheckPings = 3;  // datagrams of the last check before a death verdict
  void check_name_conflict(const membership::Member& m);
  void event(Event::Kind k, const membership::Member& m, std::string detail = {});

  Context& ctx_;
  std::unordered_map<NodeId, Suspicion> suspicions_;
};

}  // namespace rollcall::gossip
