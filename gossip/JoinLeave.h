// Joining through seeds, graceful leave, reconnecting to seeds and recently dead members (so a
// healed partition merges again), and reaping dead members after their retention time. Part of
// the engine.
#pragma once

#include <vector>

#include "gossip/Context.h"

namespace rollcall::gossip {

class JoinLeave {
 public:
  explicit JoinLeave(Context& ctx) : ctx_(ctx) {}

  void start(Instant now);
  void join(std::span<const Address> seeds, Instant now);
  void leave(Instant now);
  void on_leave_done(Instant now);
  void on_reconnect_tick(Instant now);
  void on_reap_tick(Instant now);
  const std::vector<Address>& seeds() const { return seeds_; }

 private:
  Context& ctx_;
  std::vector<Address> seeds_;
  std::uint64_t reconnect_round_ = 0;
};

}  // namespace rollcall::gossip
