#include "sim/ThroughputBench.h"

#include <chrono>
#include <ctime>

#include "sim/World.h"

namespace rollcall::sim {

namespace {
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}
}  // namespace

ThroughputBench::Result ThroughputBench::run(std::size_t nodes, membership::Duration warmup,
                                             membership::Duration window, std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  World w(World::Options{seed, NetworkConfig{}, false, "bench"});
  for (std::size_t i = 0; i < nodes; ++i) w.add_node(gossip::Config::lan());
  // Starts spread over one second, like real processes (and not all timers on one microsecond).
  w.start(0, {});
  for (std::size_t i = 1; i < nodes; ++i) {
    const auto at = Instant{} + Duration{static_cast<Duration::rep>(i * 1'000'000 / nodes)};
    w.at(at, [&w, i] { w.start(i, {0}); });
  }
  Result r;
  r.nodes = nodes;
  const auto t0 = Clock::now();
  w.run_for(warmup);
  const auto t1 = Clock::now();
  const double c1 = cpu_now();
  const std::uint64_t m0 = w.messages_delivered(), e0 = w.events_processed();
  auto anti_entropy = [&w] {
    std::pair<std::uint64_t, std::uint64_t> pp{0, 0};
    for (std::size_t i = 0; i < w.size(); ++i) {
      pp.first += w.engine(i).metrics().push_pulls;
      pp.second += w.engine(i).metrics().push_pulls_in_sync;
    }
    return pp;
  };
  const auto pp0 = anti_entropy();
  w.run_for(window);
  const auto t2 = Clock::now();
  const double c2 = cpu_now();
  r.warmup_virtual_s = membership::to_seconds(warmup);
  r.window_virtual_s = membership::to_seconds(window);
  r.warmup_wall_s = std::chrono::duration<double>(t1 - t0).count();
  r.wall_s = std::chrono::duration<double>(t2 - t1).count();
  r.cpu_s = c2 - c1;
  r.messages = w.messages_delivered() - m0;
  r.events = w.events_processed() - e0;
  const auto pp1 = anti_entropy();
  r.push_pulls = pp1.first - pp0.first;
  r.push_pulls_in_sync = pp1.second - pp0.second;
  if (r.wall_s > 0) {
    r.msgs_per_wall_s = static_cast<double>(r.messages) / r.wall_s;
    r.events_per_wall_s = static_cast<double>(r.events) / r.wall_s;
  }
  if (r.cpu_s > 0) {
    r.msgs_per_cpu_s = static_cast<double>(r.messages) / r.cpu_s;
    r.events_per_cpu_s = static_cast<double>(r.events) / r.cpu_s;
  }
  return r;
}

}  // namespace rollcall::sim
