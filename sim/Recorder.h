// Listens to a World (engine events and node lifecycle) and keeps what the measurements need:
// the view matrix, failure-detection times of tracked crashes, false positives, refutations,
// awareness of tracked changes, and time-series samples. Created and driven by Runner (which
// tells it about crashes and changes it causes); its data lands in Results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "membership/ClusterItem.h"
#include "sim/ViewTracker.h"
#include "sim/World.h"

namespace rollcall::sim {

class Recorder {
 public:
  struct CrashTrack {
    std::size_t node = 0;
    Instant at{};
    std::optional<Instant> first_suspicion, dead_everywhere;
    std::vector<double> dead_after_s;
    std::vector<std::uint8_t> seen_dead;  // per observer
  };
  struct ChangeTrack {
    std::string kind, key;
    std::size_t origin = 0;
    Instant at{};
    std::uint64_t version = 0;                 // state change: owner's version to reach
    std::optional<membership::ClusterItem> item;  // cluster change: item to reach (or a newer one)
    std::vector<std::uint8_t> status;          // per node: 0 not a target, 1 pending, 2 aware, 3 excused
    std::size_t targets = 0, remaining = 0, aware = 0;
    std::optional<Instant> reached_all;
    std::vector<double> aware_after_s;
  };
  struct Series {
    std::vector<double> t_s, alive, suspect, dead, live;
    double queue_sum = 0, queue_max = 0;
    std::uint64_t queue_samples = 0;
  };

  explicit Recorder(World& w);
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  ViewTracker& views() { return views_; }
  const ViewTracker& views() const { return views_; }

  // The runner crashed `node` now: measure its detection.
  void track_crash(std::size_t node);
  // `origin` wrote its own state up to `version` now (version bump): measure its spread.
  void track_state(std::size_t origin, std::uint64_t version, std::string key, std::string kind);
  // `origin` wrote cluster item `item` now: measure its spread.
  void track_item(std::size_t origin, const membership::ClusterItem& item, std::string kind);

  // One time-series point (and pending-condition checks).
  void sample();

  const std::vector<CrashTrack>& crashes() const { return crashes_; }
  const std::vector<ChangeTrack>& changes() const { return changes_; }
  const Series& series() const { return series_; }
  std::uint64_t false_suspicions() const { return false_suspicions_; }
  std::uint64_t false_dead() const { return false_dead_; }
  std::size_t false_dead_subjects() const;
  std::uint64_t suspicions() const { return suspicions_; }
  std::uint64_t deads() const { return deads_; }
  std::uint64_t refutations() const { return refutations_; }
  // A node that never had a node fault and was never cut off.
  bool healthy(std::size_t i) const { return !w_.node(i).ever_faulty && !w_.node(i).ever_cut; }

 private:
  void on_event(std::size_t o, const gossip::Event& e, Instant at);
  void on_lifecycle(std::size_t o, bool up, Instant at);
  void check_crash(CrashTrack& c, Instant at);
  void check_state_change(ChangeTrack& c, std::size_t o, Instant at);
  void check_item_change(ChangeTrack& c, std::size_t o, Instant at);
  void mark_aware(ChangeTrack& c, std::size_t o, Instant at);

  World& w_;
  ViewTracker views_;
  std::vector<CrashTrack> crashes_;
  std::vector<ChangeTrack> changes_;
  Series series_;
  std::vector<std::uint8_t> false_dead_of_;
  std::uint64_t false_suspicions_ = 0, false_dead_ = 0, suspicions_ = 0, deads_ = 0, refutations_ = 0;
};

}  // namespace rollcall::sim
