// One open suspicion about a member (Lifeguard dynamic suspicion): it starts at `max` and shrinks
// towards `min` as independent confirmations arrive. Before the verdict the holder checks once more
// (mark_checked); a member that answered gets a reprieve of `min`. Held by MemberProtocol.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "gossip/Formulas.h"
#include "membership/Incarnation.h"
#include "membership/NodeId.h"
#include "membership/Time.h"

namespace rollcall::gossip {

class Suspicion {
 public:
  Suspicion(membership::Incarnation inc, membership::NodeId from, membership::Instant start, std::uint32_t k,
            membership::Duration min, membership::Duration max)
      : incarnation_(inc), start_(start), k_(k), min_(min), max_(max) {
    confirmers_.push_back(from);
  }

  // Records a confirmation from `from`; true if it was new and counted (at most k count).
  bool confirm(const membership::NodeId& from) {
    if (confirmations() >= k_) return false;
    if (std::find(confirmers_.begin(), confirmers_.end(), from) != confirmers_.end()) return false;
    confirmers_.push_back(from);
    return true;
  }
  std::uint32_t confirmations() const { return static_cast<std::uint32_t>(confirmers_.size() - 1); }
  membership::Instant deadline() const {
    return std::max(start_ + formulas::suspicion_timeout(min_, max_, k_, confirmations()), not_before_);
  }
  // The last check before the verdict (a direct ping carrying the suspicion) went out at `at`.
  void mark_checked(membership::Instant at) { checked_at_ = at; }
  const std::optional<membership::Instant>& checked_at() const { return checked_at_; }
  // The member answered the check: it lives but has not refuted (it never heard, or its
  // refutation never reached us). Wait another `min` before the next check.
  void reprieve(membership::Instant now) {
    not_before_ = now + min_;
    checked_at_.reset();
    ++reprieves_;
  }
  std::uint32_t reprieves() const { return reprieves_; }
  const membership::Incarnation& incarnation() const { return incarnation_; }
  membership::Instant start() const { return start_; }

 private:
  membership::Incarnation incarnation_;
  membership::Instant start_;
  std::uint32_t k_;
  membership::Duration min_, max_;
  membership::Instant not_before_{};
  std::optional<membership::Instant> checked_at_;
  std::uint32_t reprieves_ = 0;
  std::vector<membership::NodeId> confirmers_;  // first = the originator (not counted)
};

}  // namespace rollcall::gossip
