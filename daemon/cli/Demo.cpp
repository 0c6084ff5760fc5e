// `rollcall demo` (Commands.h: demo): N real agents on 127.0.0.1 with generated key, token and
// configs (DemoPlan), a TCP listener their component checks connect to, heartbeats on their behalf,
// and a clean stop on SIGINT/SIGTERM (SIGTERM to each child, bounded wait, SIGKILL leftovers).
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemon/cli/CheckListener.h"
#include "daemon/cli/ChildProcess.h"
#include "daemon/cli/Commands.h"
#include "daemon/cli/DemoPlan.h"
#include "daemon/cli/JsonGet.h"
#include "daemon/http/Client.h"
#include "gossip/crypto/Keyring.h"

extern char** environ;

namespace rollcall::daemon::cli {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kReadyDeadline = 60s;       // agents must converge within this, else a warning
constexpr auto kHeartbeatEvery = 3s;       // POST /v1/local/heartbeat for every component
constexpr auto kStopGrace = 5s;            // after SIGTERM, before SIGKILL
constexpr auto kRequestTimeout = 1000ms;   // each demo HTTP call

std::string hex(const gossip::crypto::Key& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (auto b : bytes) {
    s += kHex[b >> 4];
    s += kHex[b & 15];
  }
  return s;
}

// Writes `content` to `path` readable by the owner only (0600), replacing any previous file.
bool write_private_file(const std::string& path, const std::string& content, std::string& error) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot write " + path + ": " + std::strerror(errno);
    return false;
  }
  ::fchmod(fd, 0600);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error = "cannot write " + path + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return true;
}

bool write_file_atomically(const std::string& path, const std::string& content, std::string& error) {
  std::string tmp = path + ".tmp";
  if (!write_private_file(tmp, content, error)) return false;
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = "cannot rename " + tmp + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

std::string tail_of(const std::string& path, std::size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "    " + l + "\n";
  return out;
}

class Demo {
 public:
  explicit Demo(const DemoOptions& options) : options_(options) {}
  ~Demo() { cleanup(); }
  int run();

 private:
  bool stop_requested(std::chrono::milliseconds wait);
  bool converged(std::string& status);
  void heartbeat_all();
  void announce(bool converged);
  void stop_agents();
  void cleanup();
  int fail(const std::string& message) {
    std::cerr << "rollcall demo: " << message << '\n';
    return ExitCode::failed;
  }

  DemoOptions options_;
  DemoPlan plan_;
  bool temp_workdir_ = false;
  std::string workdir_;
  std::unique_ptr<CheckListener> listener_;
  std::vector<ChildProcess> children_;
  std::vector<bool> reported_exit_;
  sigset_t signals_{};
  sigset_t old_mask_{};
  bool mask_set_ = false;
};

bool Demo::stop_requested(std::chrono::milliseconds wait) {
  timespec ts{static_cast<time_t>(wait.count() / 1000), static_cast<long>((wait.count() % 1000) * 1'000'000)};
  int sig = ::sigtimedwait(&signals_, nullptr, &ts);
  return sig == SIGINT || sig == SIGTERM;
}

bool Demo::converged(std::string& status) {
  const auto n = plan_.agents.size();
  std::string digest;
  std::size_t ok = 0;
  for (const auto& a : plan_.agents) {
    http::ClientOptions opt;
    opt.timeout = kRequestTimeout;
    auto r = http::request("127.0.0.1", a.http_port, "GET", "/v1/cluster", {}, {}, opt);
    if (!r || r->status != 200) continue;
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    const auto& summary = field(j, "cluster");
    if (get_int(summary, "servers") != static_cast<std::int64_t>(n) ||
        get_int(summary, "servers_alive") != static_cast<std::int64_t>(n))
      continue;
    bool all_heard = true;  // every component heartbeat seen, so the printed table has no "?"
    if (const auto& servers = field(j, "servers"); servers.is_array())
      for (const auto& s : servers)
        if (const auto& cs = field(s, "components"); cs.is_array())
          for (const auto& c : cs)
            if (!get_int(c, "heartbeat_age_ms")) all_heard = false;
    if (!all_heard) continue;
    std::string d = get_str(summary, "digest");
    if (ok == 0) digest = d;
    else if (d != digest) continue;
    ++ok;
  }
  status = std::to_string(ok) + " of " + std::to_string(n) + " agents see " + std::to_string(n) +
           " alive servers, every component heard and one digest";
  return ok == n;
}

void Demo::heartbeat_all() {
  http::ClientOptions opt;
  opt.timeout = kRequestTimeout;
  for (std::size_t i = 0; i < plan_.agents.size(); ++i) {
    if (!children_[i].running()) continue;
    for (const char* kind : {"web", "service"}) {
      (void)http::request("127.0.0.1", plan_.agents[i].http_port, "POST", std::string("/v1/local/heartbeat/") + kind,
                          {}, {}, opt);
    }
  }
}

void Demo::announce(bool is_converged) {
  std::cout << '\n';
  Target target;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (children_[i].running()) {
      target.port = plan_.agents[i].http_port;
      break;
    }
  }
  cli::cluster(target);
  std::cout << "\nAgents:\n";
  for (std::size_t i = 0; i < plan_.agents.size(); ++i) {
    const auto& a = plan_.agents[i];
    std::cout << "  " << a.name << "  http://127.0.0.1:" << a.http_port << "/  (gossip 127.0.0.1:" << a.gossip_port
              << ", pid " << children_[i].pid() << ", log " << a.log_file << ")\n";
  }
  std::cout << "\nAdmin token file: " << plan_.admin_token_file << '\n';
  std::cout << "Try: rollcall cluster --http-addr 127.0.0.1:" << plan_.agents[0].http_port << '\n';
  if (!is_converged) std::cout << "(the agents have not all converged yet; see their logs)\n";
  std::cout << "\nPress Ctrl-C to stop" << std::endl;
}

void Demo::stop_agents() {
  for (auto& c : children_)
    if (!c.poll()) c.signal(SIGTERM);
  auto deadline = Clock::now() + kStopGrace;
  for (;;) {
    bool all = true;
    for (auto& c : children_) all = c.poll() && all;
    if (all || Clock::now() >= deadline) break;
    std::this_thread::sleep_for(50ms);
  }
  for (auto& c : children_) {
    if (!c.poll()) {
      std::cerr << "rollcall demo: agent pid " << c.pid() << " did not stop in time; killing it\n";
      c.signal(SIGKILL);
      for (int i = 0; i < 100 && !c.poll(); ++i) std::this_thread::sleep_for(10ms);
    }
  }
}

void Demo::cleanup() {
  if (!children_.empty()) stop_agents();
  children_.clear();
  if (temp_workdir_ && !workdir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(workdir_, ec);
    temp_workdir_ = false;
  }
  if (mask_set_) {
    // Drop signals that arrived during shutdown, then restore the caller's mask.
    timespec zero{0, 0};
    while (::sigtimedwait(&signals_, nullptr, &zero) > 0) {
    }
    ::pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
    mask_set_ = false;
  }
}

int Demo::run() {
  sigemptyset(&signals_);
  sigaddset(&signals_, SIGINT);
  sigaddset(&signals_, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &signals_, &old_mask_);  // before any thread starts: all inherit it
  mask_set_ = true;

  std::string self = options_.self_exe;
  if (self.empty()) {
    std::error_code ec;
    self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    if (ec) return fail("cannot find the rollcall binary (/proc/self/exe): " + ec.message());
  }
  if (options_.workdir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/rollcall-demo-XXXXXX";
    if (!::mkdtemp(pattern.data())) return fail("cannot create a temporary directory: " + std::string(std::strerror(errno)));
    workdir_ = pattern;
    temp_workdir_ = true;
  } else {
    std::error_code ec;
    workdir_ = std::filesystem::absolute(options_.workdir, ec).string();
    std::filesystem::create_directories(workdir_, ec);
    if (ec) return fail("cannot create " + options_.workdir + ": " + ec.message());
  }

  try {
    listener_ = std::make_unique<CheckListener>();
  } catch (const std::exception& e) {
    return fail(std::string("cannot listen for component checks: ") + e.what());
  }
  auto plan = DemoPlan::make(options_, workdir_, listener_->port());
  if (!plan) {
    std::cerr << "rollcall demo: " << plan.error() << '\n';
    return ExitCode::usage;
  }
  plan_ = std::move(plan.value());

  std::string error;
  auto gossip_key = gossip::crypto::Keyring::generate();
  auto product_key_bytes = gossip::crypto::Keyring::generate();
  auto token_bytes = gossip::crypto::Keyring::generate();
  std::string product_key = gossip::crypto::Keyring::encode_key(product_key_bytes);
  if (!write_private_file(plan_.gossip_key_file, gossip::crypto::Keyring::encode_key(gossip_key) + "\n", error) ||
      !write_private_file(plan_.admin_token_file, hex(token_bytes) + "\n", error))
    return fail(error);
  gossip_key.fill(0);
  token_bytes.fill(0);
  for (const auto& a : plan_.agents) {
    std::error_code ec;
    std::filesystem::create_directories(a.data_dir, ec);
    if (ec) return fail("cannot create " + a.data_dir + ": " + ec.message());
    if (!write_private_file(a.config_file, plan_.agent_toml(a), error)) return fail(error);
  }

  std::cout << "rollcall demo: starting " << plan_.agents.size() << " agents (cluster \"" << DemoPlan::kCluster
            << "\", files in " << workdir_ << ")" << std::endl;
  std::vector<pid_t> pids;
  for (const auto& a : plan_.agents) {
    auto child = ChildProcess::spawn({self, "agent", "--config", a.config_file},
                                     plan_.child_env(environ, a, product_key), a.log_file);
    if (!child) return fail("cannot start agent " + a.name + ": " + child.error());
    pids.push_back(child->pid());
    children_.push_back(std::move(child.value()));
    reported_exit_.push_back(false);
  }
  if (!write_file_atomically(workdir_ + "/demo.json", plan_.manifest_json(pids, false), error)) return fail(error);

  auto start = Clock::now();
  auto next_heartbeat = start;
  auto next_check = start + 300ms;
  bool announced = false;
  std::string status = "waiting";
  while (!stop_requested(200ms)) {
    std::size_t running = 0;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      if (!children_[i].poll()) {
        ++running;
      } else if (!reported_exit_[i]) {
        reported_exit_[i] = true;
        const auto& a = plan_.agents[i];
        std::cerr << "rollcall demo: agent " << a.name << " (pid " << children_[i].pid() << ") "
                  << children_[i].describe_exit() << "; log " << a.log_file << '\n';
        if (!announced) std::cerr << tail_of(a.log_file, 15);
      }
    }
    if (running == 0) {
      std::cerr << "rollcall demo: no agent is running any more\n";
      return ExitCode::failed;
    }
    auto now = Clock::now();
    if (now >= next_heartbeat) {
      heartbeat_all();
      next_heartbeat = Clock::now() + (announced ? kHeartbeatEvery : std::chrono::milliseconds(1000));
    }
    if (!announced && Clock::now() >= next_check) {
      bool ok = converged(status);
      next_check = Clock::now() + 500ms;
      if (ok || Clock::now() - start > kReadyDeadline) {
        if (!ok) std::cerr << "rollcall demo: not converged after " << kReadyDeadline.count() << " s: " << status << '\n';
        if (ok && !write_file_atomically(workdir_ + "/demo.json", plan_.manifest_json(pids, true), error))
          std::cerr << "rollcall demo: " << error << '\n';
        announce(ok);
        announced = true;
      }
    }
  }
  std::cout << "\nrollcall demo: stopping the agents" << std::endl;
  cleanup();
  return ExitCode::ok;
}

}  // namespace

int demo(const DemoOptions& options) {
  try {
    Demo d(options);
    return d.run();
  } catch (const std::exception& e) {
    std::cerr << "rollcall demo: " << e.what() << '\n';
    return ExitCode::failed;
  }
}

}  // namespace rollcall::daemon::cli
