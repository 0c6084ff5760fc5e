#include "sim/Recorder.h"

#include <algorithm>

namespace rollcall::sim {

using Kind = gossip::Event::Kind;

Recorder::Recorder(World& w) : w_(w), views_(w.size()), false_dead_of_(w.size(), 0) {
  w_.on_event([this](std::size_t o, const gossip::Event& e, Instant at) { on_event(o, e, at); });
  w_.on_lifecycle([this](std::size_t o, bool up, Instant at) { on_lifecycle(o, up, at); });
}

void Recorder::on_lifecycle(std::size_t o, bool up, Instant at) {
  if (up) {
    views_.observer_up(o);
    return;
  }
  views_.observer_down(o);
  for (auto& c : changes_) {
    if (c.status[o] == 1) {
      c.status[o] = 3;
      if (--c.remaining == 0 && !c.reached_all) c.reached_all = at;
    }
  }
  for (auto& c : crashes_) check_crash(c, at);
}

void Recorder::on_event(std::size_t o, const gossip::Event& e, Instant at) {
  switch (e.kind) {
    case Kind::member_joined:
    case Kind::member_alive:
    case Kind::member_suspect:
    case Kind::member_dead:
    case Kind::member_left:
    case Kind::member_forgotten: {
      const auto s = w_.index_of(e.subject);
      if (!s) return;
      const std::size_t v = *s;
      switch (e.kind) {
        case Kind::member_suspect: {
          views_.set(o, v, ViewTracker::suspect);
          ++suspicions_;
          // Views of a node that was itself faulty (lossy, paused, cut off) are its fault, not a
          // false positive of the protocol: only healthy observers count.
          if (healthy(v) && !w_.node(o).ever_cut && !w_.node(o).ever_faulty) ++false_suspicions_;
          for (auto& c : crashes_)
            if (c.node == v && !c.first_suspicion && at >= c.at) c.first_suspicion = at;
          break;
        }
        case Kind::member_dead: {
          views_.set(o, v, ViewTracker::dead);
          ++deads_;
          if (healthy(v) && !w_.node(o).ever_cut && !w_.node(o).ever_faulty) {
            ++false_dead_;
            false_dead_of_[v] = 1;
          }
          for (auto& c : crashes_) {
            if (c.node != v || at < c.at) continue;
            if (!c.first_suspicion) c.first_suspicion = at;  // dead without a local suspicion first
            if (!c.seen_dead[o]) {
              c.seen_dead[o] = 1;
              c.dead_after_s.push_back(membership::to_seconds(at - c.at));
            }
            check_crash(c, at);
          }
          break;
        }
        case Kind::member_left: views_.set(o, v, ViewTracker::left); break;
        case Kind::member_forgotten: views_.set(o, v, ViewTracker::none); break;
        default: views_.set(o, v, ViewTracker::alive); break;
      }
      return;
    }
    case Kind::refuted: ++refutations_; return;
    case Kind::leave_completed: on_lifecycle(o, false, at); return;
    case Kind::state_changed:
      for (auto& c : changes_)
        if (!c.item && c.status[o] == 1 && w_.node(c.origin).id == e.subject) check_state_change(c, o, at);
      return;
    case Kind::cluster_changed:
      for (auto& c : changes_)
        if (c.item && c.status[o] == 1 && c.item->key == e.detail) check_item_change(c, o, at);
      return;
    default: return;
  }
}

void Recorder::check_crash(CrashTrack& c, Instant at) {
  if (c.dead_everywhere) return;
  const std::size_t observers = views_.live_observers() - (views_.counting(c.node) ? 1 : 0);
  const auto& seen = views_.seen(c.node);
  if (observers > 0 && seen[ViewTracker::dead] + seen[ViewTracker::left] >= observers && !views_.counting(c.node))
    c.dead_everywhere = at;
}

void Recorder::mark_aware(ChangeTrack& c, std::size_t o, Instant at) {
  c.status[o] = 2;
  ++c.aware;
  c.aware_after_s.push_back(membership::to_seconds(at - c.at));
  if (--c.remaining == 0 && !c.reached_all) c.reached_all = at;
}

void Recorder::check_state_change(ChangeTrack& c, std::size_t o, Instant at) {
  if (!w_.node(o).engine) return;
  if (w_.engine(o).state().version(w_.node(c.origin).id) >= c.version) mark_aware(c, o, at);
}

void Recorder::check_item_change(ChangeTrack& c, std::size_t o, Instant at) {
  if (!w_.node(o).engine) return;
  const auto* held = w_.engine(o).cluster().get(c.item->key);
  if (held && (*held == *c.item || held->newer_than(*c.item))) mark_aware(c, o, at);
}

void Recorder::track_crash(std::size_t node) {
  CrashTrack c;
  c.node = node;
  c.at = w_.now();
  c.seen_dead.assign(w_.size(), 0);
  crashes_.push_back(std::move(c));
}

void Recorder::track_state(std::size_t origin, std::uint64_t version, std::string key, std::string kind) {
  ChangeTrack c;
  c.kind = std::move(kind);
  c.key = std::move(key);
  c.origin = origin;
  c.at = w_.now();
  c.version = version;
  c.status.assign(w_.size(), 0);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!views_.counting(i)) continue;
    c.status[i] = 1;
    ++c.targets;
    ++c.remaining;
  }
  changes_.push_back(std::move(c));
  ChangeTrack& t = changes_.back();
  for (std::size_t i = 0; i < w_.size(); ++i)
    if (t.status[i] == 1) check_state_change(t, i, t.at);
}

void Recorder::track_item(std::size_t origin, const membership::ClusterItem& item, std::string kind) {
  ChangeTrack c;
  c.kind = std::move(kind);
  c.key = item.key;
  c.origin = origin;
  c.at = w_.now();
  c.item = item;
  c.status.assign(w_.size(), 0);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!views_.counting(i)) continue;
    c.status[i] = 1;
    ++c.targets;
    ++c.remaining;
  }
  changes_.push_back(std::move(c));
  ChangeTrack& t = changes_.back();
  for (std::size_t i = 0; i < w_.size(); ++i)
    if (t.status[i] == 1) check_item_change(t, i, t.at);
}

void Recorder::sample() {
  const Instant now = w_.now();
  for (auto& c : crashes_) check_crash(c, now);
  const double live = static_cast<double>(views_.live_observers());
  const auto& tot = views_.totals();
  series_.t_s.push_back(membership::to_seconds(now.time_since_epoch()));
  series_.live.push_back(live);
  series_.alive.push_back(live > 0 ? static_cast<double>(tot[ViewTracker::alive]) / live : 0);
  series_.suspect.push_back(live > 0 ? static_cast<double>(tot[ViewTracker::suspect]) / live : 0);
  series_.dead.push_back(live > 0 ? static_cast<double>(tot[ViewTracker::dead]) / live : 0);
  for (std::size_t i = 0; i < w_.size(); ++i) {
    if (!views_.counting(i)) continue;
    const double q = static_cast<double>(w_.engine(i).queue_depth());
    series_.queue_sum += q;
    series_.queue_max = std::max(series_.queue_max, q);
    ++series_.queue_samples;
  }
}

std::size_t Recorder::false_dead_subjects() const {
  return static_cast<std::size_t>(std::count(false_dead_of_.begin(), false_dead_of_.end(), 1));
}

}  // namespace rollcall::sim
