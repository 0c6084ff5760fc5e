// rollcall-sim: runs a scenario (configs/sim/*.toml) on N simulated nodes of the real engine in
// virtual time and writes results.json + report.html, or measures the simulator's own speed
// (--bench-throughput). See docs/simulator.md.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "sim/HtmlReport.h"
#include "sim/ProgressLine.h"
#include "sim/ResultsJson.h"
#include "sim/Runner.h"
#include "sim/ScenarioLoader.h"
#include "sim/ThroughputBench.h"

using namespace rollcall;

namespace {

std::optional<membership::Duration> duration_arg(const std::string& s, const char* what) {
  if (s.empty()) return std::nullopt;
  auto d = sim::ScenarioLoader::parse_duration(s);
  if (!d) {
    std::cerr << "rollcall-sim: bad " << what << " \"" << s << "\" (e.g. 90s, 10m, 1.5h)\n";
    std::exit(2);
  }
  return d;
}

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

bool write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

// Transparent huge pages for the heap. A run of hundreds of nodes keeps tens of megabytes of
// member tables, each engine's in its own allocations; with 4 KiB pages nearly every probe and
// ack misses the TLB as well as the cache, and huge pages made the 500-node throughput bench
// ~1.4x faster. glibc applies them to malloc's arenas only through a tunable read at startup,
// so the simulator re-executes itself once with glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES.
// Nothing changes in what is simulated (results.json is the same byte for byte). Skipped when
// GLIBC_TUNABLES already sets it either way, or with ROLLCALL_SIM_HUGE_PAGES=0; without kernel
// THP support ("never") the tunable is a no-op.
void reexec_with_huge_pages(char** argv) {
  const char* off = std::getenv("ROLLCALL_SIM_HUGE_PAGES");
  if (off && std::string_view(off) == "0") return;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  std::string value = tunables ? tunables : "";
  if (value.find("glibc.malloc.hugetlb") != std::string::npos) return;
  value += value.empty() ? "glibc.malloc.hugetlb=1" : ":glibc.malloc.hugetlb=1";
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): run on with 4 KiB pages, just slower.
  if (tunables) setenv("GLIBC_TUNABLES", tunables, 1); else unsetenv("GLIBC_TUNABLES");
}

// "on" if this process runs with the tunable, for the benchmark's record.
std::string huge_pages_state() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  const bool on = tunables && std::string_view(tunables).find("glibc.malloc.hugetlb=1") != std::string_view::npos;
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode;
  std::getline(thp, mode);
  return std::string(on ? "on" : "off") + " (kernel THP: " + (mode.empty() ? "unknown" : mode) + ")";
}

int bench(std::size_t nodes, const std::string& warmup, const std::string& duration, std::uint64_t seed) {
  const auto w = duration_arg(warmup.empty() ? "60s" : warmup, "--warmup").value();
  const auto d = duration_arg(duration.empty() ? "60s" : duration, "--duration").value();
  std::cerr << "[rollcall-sim] throughput bench: " << nodes << " nodes, seed=" << seed << ", encryption off\n";
  const auto r = sim::ThroughputBench::run(nodes, w, d, seed);
  nlohmann::ordered_json j;
  j["nodes"] = r.nodes;
  j["seed"] = seed;
  j["warmup_virtual_s"] = r.warmup_virtual_s;
  j["window_virtual_s"] = r.window_virtual_s;
  j["warmup_wall_s"] = r.warmup_wall_s;
  j["wall_s"] = r.wall_s;
  j["cpu_s"] = r.cpu_s;
  j["messages"] = r.messages;
  j["events"] = r.events;
  j["msgs_per_wall_s"] = r.msgs_per_wall_s;
  j["msgs_per_cpu_s"] = r.msgs_per_cpu_s;
  j["events_per_wall_s"] = r.events_per_wall_s;
  j["events_per_cpu_s"] = r.events_per_cpu_s;
  j["push_pulls"] = r.push_pulls;
  j["push_pulls_in_sync"] = r.push_pulls_in_sync;
  j["huge_pages"] = huge_pages_state();
  std::cout << j.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  reexec_with_huge_pages(argv);
  CLI::App app{"rollcall-sim: the real gossip engine on thousands of simulated nodes, in virtual time"};
  std::string scenario_path, out_dir, duration, warmup, encrypt, state, warm;
  std::size_t nodes = 0;
  std::uint64_t seed = 1;
  bool quiet = false, throughput = false;
  app.add_option("--scenario", scenario_path, "scenario file (configs/sim/NAME.toml)");
  app.add_option("--nodes", nodes, "number of nodes (default: the scenario's)");
  app.add_option("--seed", seed, "random seed; the same seed gives the same results")->capture_default_str();
  app.add_option("--duration", duration, "virtual duration, e.g. 600s or 10m (default: the scenario's)");
  app.add_option("--out", out_dir, "output directory for results.json and report.html (default sim-out/NAME)");
  app.add_option("--encrypt", encrypt, "on|off: override the scenario's encryption setting")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--state", state, "on|off: override [workload] publish_state (off saves ~1 KB per node pair)")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_option("--warm", warm, "on|off: override [start] warm (nodes start knowing every node alive)")
      ->check(CLI::IsMember({"on", "off"}));
  app.add_flag("--quiet", quiet, "no progress line");
  app.add_flag("--bench-throughput", throughput, "measure simulated messages per wall/CPU second (steady state)");
  app.add_option("--warmup", warmup, "--bench-throughput: virtual time before the measured window (default 60s)");
  CLI11_PARSE(app, argc, argv);

  if (throughput) return bench(nodes ? nodes : 1000, warmup, duration, seed);
  if (scenario_path.empty()) {
    std::cerr << "rollcall-sim: --scenario is required (or --bench-throughput)\n" << app.help();
    return 2;
  }
  auto loaded = sim::ScenarioLoader::load_file(scenario_path);
  if (auto* err = std::get_if<std::string>(&loaded)) {
    std::cerr << "rollcall-sim: " << *err << "\n";
    return 2;
  }
  sim::Scenario sc = std::get<sim::Scenario>(std::move(loaded));
  if (!state.empty()) sc.workload.publish_state = state == "on";
  if (!warm.empty()) sc.start.warm = warm == "on";
  sim::Runner::Options opt;
  opt.nodes = nodes;
  opt.seed = seed;
  opt.duration = duration_arg(duration, "--duration");
  if (!encrypt.empty()) opt.encrypt = encrypt == "on";
  const std::size_t n = nodes ? nodes : sc.nodes;
  std::cerr << "[rollcall-sim] scenario " << sc.name << ", " << n << " nodes, seed=" << seed
            << " (replay: --seed " << seed << ")\n";

  sim::ProgressLine progress;
  sim::Runner* runner_ptr = nullptr;
  if (!quiet) {
    opt.progress = [&](membership::Instant now, membership::Instant end) {
      progress.update(now, end, runner_ptr->world().events_processed(), runner_ptr->world().messages_delivered());
    };
  }
  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_seconds();
  sim::Runner runner(std::move(sc), std::move(opt));
  runner_ptr = &runner;
  const sim::Results r = runner.run();
  progress.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpu = cpu_seconds() - cpu0;

  const std::filesystem::path dir = out_dir.empty() ? std::filesystem::path("sim-out") / r.scenario : std::filesystem::path(out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!write_file(dir / "results.json", sim::ResultsJson::write(r)) ||
      !write_file(dir / "report.html", sim::HtmlReport::render(r))) {
    std::cerr << "rollcall-sim: cannot write to " << dir << "\n";
    return 1;
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  nlohmann::ordered_json timing;  // not deterministic: kept out of results.json
  timing["wall_s"] = wall;
  timing["cpu_s"] = cpu;
  timing["events"] = runner.world().events_processed();
  timing["messages"] = runner.world().messages_delivered();
  timing["events_per_wall_s"] = wall > 0 ? static_cast<double>(runner.world().events_processed()) / wall : 0;
  timing["peak_rss_mib"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  write_file(dir / "timing.json", timing.dump(1) + "\n");

  std::fprintf(stderr, "[rollcall-sim] seed=%llu done: %.1f s virtual in %.1f s wall (%.1f s CPU), %.0f events/s, "
                       "peak RSS %.0f MiB\n",
               static_cast<unsigned long long>(seed), r.duration_s, wall, cpu,
               wall > 0 ? static_cast<double>(runner.world().events_processed()) / wall : 0.0,
               static_cast<double>(ru.ru_maxrss) / 1024.0);
  std::fprintf(stderr, "[rollcall-sim] bootstrap %s s, crashes %zu (dead everywhere p50 %.2f s, max %.2f s), false dead %llu, "
                       "converged %s s after last disturbance; checks %s\n",
               r.all_see_all_s ? std::to_string(*r.all_see_all_s).c_str() : "-", r.crashes.size(), r.dead_everywhere.p50,
               r.dead_everywhere.max, static_cast<unsigned long long>(r.false_dead),
               r.converged_after_s ? std::to_string(*r.converged_after_s).c_str() : "-", r.passed ? "passed" : "FAILED");
  for (const auto& c : r.checks)
    std::fprintf(stderr, "  %s %s: %s\n", c.passed ? "ok  " : "FAIL", c.name.c_str(), c.detail.c_str());
  std::fprintf(stderr, "[rollcall-sim] wrote %s/results.json and report.html\n", dir.string().c_str());
  return r.passed ? 0 : 3;
}
