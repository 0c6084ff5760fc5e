// The SWIM precedence rule: which claim about a member supersedes which. One small pure unit,
// called by the gossip engine for every incoming member update.
//
// A claim is (incarnation, state). Claims are ordered lexicographically by incarnation, then by
// state rank alive < suspect < dead < left. A claim supersedes another iff it is strictly greater:
//   alive(i)   beats alive/suspect/dead/left(j) iff i > j   (refutation needs a newer incarnation)
//   suspect(i) beats alive(j) iff i >= j, suspect/dead/left(j) iff i > j
//   dead(i)    beats alive/suspect(j) iff i >= j, dead/left(j) iff i > j
//   left(i)    beats alive/suspect/dead(j) iff i >= j (the node's own word), left(j) iff i > j
#pragma once

#include "membership/Incarnation.h"
#include "membership/MemberState.h"

namespace rollcall::membership {

struct Claim {
  Incarnation incarnation;
  MemberState state = MemberState::alive;
};

constexpr bool supersedes(const Claim& incoming, const Claim& current) {
  if (incoming.incarnation != current.incarnation) return incoming.incarnation > current.incarnation;
  return static_cast<int>(incoming.state) > static_cast<int>(current.state);
}

}  // namespace rollcall::membership
