#include "sim/ScenarioLoader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <toml++/toml.h>

namespace rollcall::sim {

namespace {

using membership::Duration;

// Reads typed values from TOML tables; remembers the first error (with the key path).
class Reader {
 public:
  explicit Reader(std::string origin) : origin_(std::move(origin)) {}
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(const std::string& path, const std::string& what) {
    if (error_.empty()) error_ = origin_ + ": " + path + ": " + what;
  }

  void known(const toml::table& t, const std::string& path, std::initializer_list<std::string_view> keys) {
    for (const auto& [k, v] : t) {
      if (std::find(keys.begin(), keys.end(), k.str()) == keys.end())
        fail(path.empty() ? std::string(k.str()) : path + "." + std::string(k.str()), "unknown key");
    }
  }

  void str(const toml::table& t, const std::string& path, std::string_view key, std::string& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (auto v = n->value<std::string>()) {
      out = *v;
    } else {
      fail(join(path, key), "expected a string");
    }
  }
  void boolean(const toml::table& t, const std::string& path, std::string_view key, bool& out) {
    const toml::node* n = t.get(key);
    if (!n) return;
    if (auto v = n->value<bool>()) {
      out = *v;
    } else {
      fail(join(path, key), "expected true or false");
    }
  }
  template <class Int>
  void integer(const toml::table& t, const std::string& path, std::string_view key, Int& out, std::int64_t lo,
               std::int64_t hi) {
    const toml::node* n = t.get(key);
    if (!n) return;
    auto v = n->is_integer() ? n->value<std::int64_t>() : std::nullopt;
    if (!v || *v < lo || *v > hi) {
      fail(join(path, key), "expected an integer in " + std::to_string(lo) + " .. " + std::to_string(hi));
      return;
    }
    out = static_cast<Int>(*v);
  }
  void real(const toml::table& t, const std::string& path, std::string_view key, double& out, double lo, double hi) {
    const toml::node* n = t.get(key);
    if (!n) return;
    auto v = (n->is_floating_point() || n->is_integer()) ? n->value<double>() : std::nullopt;
    if (!v || !(*v >= lo && *v <= hi)) {
      std::ostringstream s;
      s << "expected a number in " << lo << " .. " << hi;
      fail(join(path, key), s.str());
      return;
    }
    out = *v;
  }
  void duration(const toml::table& t, const std::string& path, std::string_view key, Duration& out,
                Duration hi = std::chrono::hours(24 * 30)) {
    const toml::node* n = t.get(key);
    if (!n) return;
    std::optional<Duration> d;
    if (auto s = n->value<std::string>()) {
      d = ScenarioLoader::parse_duration(*s);
    } else if (n->is_integer() || n->is_floating_point()) {
      const double v = *n->value<double>();
      if (v >= 0 && v < 1e7) d = Duration{static_cast<Duration::rep>(std::llround(v * 1e6))};
    }
    if (!d || d->count() < 0 || *d > hi) {
      fail(join(path, key), "expected a duration like \"250ms\", \"1.5s\", \"2m\" (at most " +
                                std::to_string(std::chrono::duration_cast<std::chrono::seconds>(hi).count()) + " s)");
      return;
    }
    out = *d;
  }
  template <class T>
  void opt_duration(const toml::table& t, const std::string& path, std::string_view key, std::optional<T>& out) {
    if (!t.get(key)) return;
    Duration d{};
    duration(t, path, key, d);
    out = d;
  }
  void opt_bool(const toml::table& t, const std::string& path, std::string_view key, std::optional<bool>& out) {
    if (!t.get(key)) return;
    bool b = false;
    boolean(t, path, key, b);
    out = b;
  }
  void opt_int(const toml::table& t, const std::string& path, std::string_view key, std::optional<std::int64_t>& out,
               std::int64_t lo, std::int64_t hi) {
    if (!t.get(key)) return;
    std::int64_t v = 0;
    integer(t, path, key, v, lo, hi);
    out = v;
  }
  const toml::table* table(const toml::table& t, const std::string& path, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (!n->is_table()) {
      fail(join(path, key), "expected a table");
      return nullptr;
    }
    return n->as_table();
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

 private:
  std::string origin_;
  std::string error_;
};

void read_engine(Reader& r, const toml::table& t, Scenario& s) {
  const std::string p = "engine";
  r.known(t, p, {"preset", "probe_interval", "probe_timeout", "indirect_checks", "gossip_interval", "gossip_fanout",
                 "push_pull_interval", "suspicion_mult", "suspicion_max_mult", "retransmit_mult", "awareness_max", "mtu",
                 "dead_retention", "tombstone_grace", "reconnect_interval", "reconnect_window", "leave_timeout",
                 "stream_timeout", "tcp_fallback_ping", "broadcast_queue_limit", "max_stream_bytes"});
  r.str(t, p, "preset", s.preset);
  if (s.preset == "lan") {
    s.engine = gossip::Config::lan();
  } else if (s.preset == "local") {
    s.engine = gossip::Config::local();
  } else if (s.preset == "wan") {
    s.engine = gossip::Config::wan();
  } else {
    r.fail("engine.preset", "expected lan, local or wan");
  }
  auto& c = s.engine;
  r.duration(t, p, "probe_interval", c.probe_interval);
  r.duration(t, p, "probe_timeout", c.probe_timeout);
  r.integer(t, p, "indirect_checks", c.indirect_checks, 0, 16);
  r.duration(t, p, "gossip_interval", c.gossip_interval);
  r.integer(t, p, "gossip_fanout", c.gossip_fanout, 1, 16);
  r.duration(t, p, "push_pull_interval", c.push_pull_interval);
  r.real(t, p, "suspicion_mult", c.suspicion_mult, 1, 20);
  r.real(t, p, "suspicion_max_mult", c.suspicion_max_mult, 1, 20);
  r.integer(t, p, "retransmit_mult", c.retransmit_mult, 1, 16);
  r.integer(t, p, "awareness_max", c.awareness_max, 0, 16);
  r.integer(t, p, "mtu", c.mtu, 576, 9000);
  r.duration(t, p, "dead_retention", c.dead_retention, std::chrono::hours(24 * 365));
  r.duration(t, p, "tombstone_grace", c.tombstone_grace, std::chrono::hours(24 * 365));
  r.duration(t, p, "reconnect_interval", c.reconnect_interval);
  r.duration(t, p, "reconnect_window", c.reconnect_window, std::chrono::hours(24 * 365));
  r.duration(t, p, "leave_timeout", c.leave_timeout);
  r.duration(t, p, "stream_timeout", c.stream_timeout);
  r.boolean(t, p, "tcp_fallback_ping", c.tcp_fallback_ping);
  r.integer(t, p, "broadcast_queue_limit", c.broadcast_queue_limit, 64, 1'000'000);
  r.integer(t, p, "max_stream_bytes", c.max_stream_bytes, 64 << 10, 1 << 30);
  if (r.ok())
    if (auto err = c.validate()) r.fail("engine", *err);
}

void read_network(Reader& r, const toml::table& t, NetworkConfig& n) {
  const std::string p = "network";
  r.known(t, p, {"latency", "loss", "duplicate", "stream_extra"});
  if (const auto* lt = r.table(t, p, "latency")) {
    const std::string lp = "network.latency";
    r.known(*lt, lp, {"shape", "min", "max", "mean", "stddev", "alpha"});
    std::string shape = std::string(LatencyModel::name(n.latency.shape));
    r.str(*lt, lp, "shape", shape);
    if (auto sh = LatencyModel::parse_shape(shape)) {
      n.latency.shape = *sh;
    } else {
      r.fail(lp + ".shape", "expected uniform, normal or pareto");
    }
    r.duration(*lt, lp, "min", n.latency.min, std::chrono::seconds(60));
    r.duration(*lt, lp, "max", n.latency.max, std::chrono::seconds(60));
    r.duration(*lt, lp, "mean", n.latency.mean, std::chrono::seconds(60));
    r.duration(*lt, lp, "stddev", n.latency.stddev, std::chrono::seconds(10));
    r.real(*lt, lp, "alpha", n.latency.pareto_alpha, 0.1, 10);
    if (r.ok())
      if (auto err = n.latency.validate()) r.fail(lp, std::string(*err));
  }
  r.real(t, p, "loss", n.loss, 0, 1);
  r.real(t, p, "duplicate", n.duplicate, 0, 1);
  r.duration(t, p, "stream_extra", n.stream_latency_extra, std::chrono::seconds(10));
}

void read_selection(Reader& r, const toml::table& t, const std::string& p, NodeSelection& sel) {
  if (const toml::node* n = t.get("nodes")) {
    const toml::array* a = n->as_array();
    if (!a) {
      r.fail(p + ".nodes", "expected an array of node indices");
    } else {
      for (const auto& e : *a) {
        auto v = e.value<std::int64_t>();
        if (!e.is_integer() || !v || *v < 0) {
          r.fail(p + ".nodes", "expected non-negative integers");
          break;
        }
        sel.nodes.push_back(static_cast<std::size_t>(*v));
      }
    }
  }
  r.integer(t, p, "count", sel.count, 0, 10'000'000);
  r.real(t, p, "fraction", sel.fraction, 0, 1);
  r.integer(t, p, "in_group", sel.group, -1, 15);
  r.boolean(t, p, "include_seeds", sel.include_seeds);
  r.boolean(t, p, "all", sel.all);
  std::string from = "random";
  r.str(t, p, "from", from);
  if (from == "random") {
    sel.from = NodeSelection::From::random;
  } else if (from == "first") {
    sel.from = NodeSelection::From::first;
  } else if (from == "last") {
    sel.from = NodeSelection::From::last;
  } else {
    r.fail(p + ".from", "expected random, first or last");
  }
}

void read_event(Reader& r, const toml::table& t, const std::string& p, ScenarioEvent& e) {
  r.known(t, p, {"kind", "at", "nodes", "count", "fraction", "from", "in_group", "include_seeds", "all", "duration",
                 "period", "delay", "interval", "downtime", "value", "rate", "graceful", "group", "direction",
                 "component", "version", "config", "target"});
  std::string kind;
  r.str(t, p, "kind", kind);
  if (auto k = ScenarioEvent::parse_kind(kind)) {
    e.kind = *k;
  } else {
    r.fail(p + ".kind", "unknown event kind \"" + kind + "\" (see docs/simulator.md)");
    return;
  }
  if (!t.get("at")) r.fail(p + ".at", "missing (virtual time since start)");
  r.duration(t, p, "at", e.at);
  read_selection(r, t, p, e.select);
  r.duration(t, p, "duration", e.duration);
  r.duration(t, p, "period", e.period);
  r.duration(t, p, "delay", e.delay, std::chrono::seconds(600));
  r.duration(t, p, "interval", e.interval);
  r.duration(t, p, "downtime", e.downtime);
  r.real(t, p, "value", e.value, 0, 1);
  r.real(t, p, "rate", e.rate, 0, 1000);
  r.boolean(t, p, "graceful", e.graceful);
  r.integer(t, p, "group", e.group, 1, 15);
  r.str(t, p, "direction", e.direction);
  if (e.direction != "in" && e.direction != "out") r.fail(p + ".direction", "expected \"in\" or \"out\"");
  r.str(t, p, "component", e.component);
  r.str(t, p, "version", e.version);
  if (const auto* c = r.table(t, p, "config")) {
    const std::string cp = p + ".config";
    r.known(*c, cp, {"load_balancing", "automatic_failover", "heartbeat_interval_ms", "stale_timeout_ms",
                     "web_stale_window_ms"});
    r.opt_bool(*c, cp, "load_balancing", e.config.load_balancing);
    r.opt_bool(*c, cp, "automatic_failover", e.config.automatic_failover);
    r.opt_int(*c, cp, "heartbeat_interval_ms", e.config.heartbeat_interval_ms, 1'000, 3'600'000);
    r.opt_int(*c, cp, "stale_timeout_ms", e.config.stale_timeout_ms, 5'000, 86'400'000);
    r.opt_int(*c, cp, "web_stale_window_ms", e.config.web_stale_window_ms, 60'000, 2'592'000'000);
  }
  if (const auto* tt = r.table(t, p, "target")) {
    const std::string tp = p + ".target";
    r.known(*tt, tp, {"nodes", "count", "fraction", "from", "in_group", "include_seeds", "all"});
    read_selection(r, *tt, tp, e.target);
  }
  if (e.kind == ScenarioEvent::Kind::flip_flop && e.period <= Duration::zero())
    r.fail(p + ".period", "flip_flop needs a period > 0");
  if (e.kind == ScenarioEvent::Kind::churn && !(e.rate > 0)) r.fail(p + ".rate", "churn needs a rate > 0");
  if (e.kind == ScenarioEvent::Kind::pause && e.duration <= Duration::zero())
    r.fail(p + ".duration", "pause needs a duration > 0");
}

void read_expect(Reader& r, const toml::table& t, Expectations& x) {
  const std::string p = "expect";
  r.known(t, p, {"no_false_dead", "bootstrap_within", "detect_within", "converge_within", "disseminate_within",
                 "config_lww", "removals_hold"});
  r.opt_bool(t, p, "no_false_dead", x.no_false_dead);
  r.opt_duration(t, p, "bootstrap_within", x.bootstrap_within);
  r.opt_duration(t, p, "detect_within", x.detect_within);
  r.opt_duration(t, p, "converge_within", x.converge_within);
  r.opt_duration(t, p, "disseminate_within", x.disseminate_within);
  r.opt_bool(t, p, "config_lww", x.config_lww);
  r.opt_bool(t, p, "removals_hold", x.removals_hold);
}

}  // namespace

std::optional<Duration> ScenarioLoader::parse_duration(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  std::size_t i = 0;
  while (i < text.size() && ((text[i] >= '0' && text[i] <= '9') || text[i] == '.')) ++i;
  if (i == 0) return std::nullopt;
  double v = 0;
  const auto res = std::from_chars(text.data(), text.data() + i, v);
  if (res.ec != std::errc{} || res.ptr != text.data() + i) return std::nullopt;
  const std::string_view unit = text.substr(i);
  double us_per = 0;
  if (unit.empty() || unit == "s") {
    us_per = 1e6;
  } else if (unit == "ms") {
    us_per = 1e3;
  } else if (unit == "us") {
    us_per = 1;
  } else if (unit == "m" || unit == "min") {
    us_per = 60e6;
  } else if (unit == "h") {
    us_per = 3600e6;
  } else {
    return std::nullopt;
  }
  const double us = v * us_per;
  if (!(us >= 0 && us < 1e15)) return std::nullopt;
  return Duration{static_cast<Duration::rep>(std::llround(us))};
}

ScenarioLoader::Result ScenarioLoader::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string(path + ": cannot open");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path);
}

ScenarioLoader::Result ScenarioLoader::parse(std::string_view text, std::string_view origin) {
  toml::table root;
  try {
    root = toml::parse(text, std::string(origin));
  } catch (const toml::parse_error& e) {
    std::ostringstream s;
    s << origin << ":" << e.source().begin.line << ":" << e.source().begin.column << ": " << e.description();
    return s.str();
  }
  Reader r{std::string(origin)};
  Scenario s;
  r.known(root, "", {"name", "description", "nodes", "duration", "encrypt", "engine", "network", "start", "workload",
                     "event", "expect"});
  r.str(root, "", "name", s.name);
  r.str(root, "", "description", s.description);
  r.integer(root, "", "nodes", s.nodes, 1, 100'000);
  r.duration(root, "", "duration", s.duration);
  if (s.duration < std::chrono::seconds(1)) r.fail("duration", "must be at least 1 s");
  r.boolean(root, "", "encrypt", s.encrypt);
  if (const auto* t = r.table(root, "", "engine")) {
    read_engine(r, *t, s);
  }
  if (const auto* t = r.table(root, "", "network")) read_network(r, *t, s.network);
  if (const auto* t = r.table(root, "", "start")) {
    r.known(*t, "start", {"seeds", "spread", "warm"});
    r.boolean(*t, "start", "warm", s.start.warm);
    r.integer(*t, "start", "seeds", s.start.seeds, 1, 100'000);
    r.duration(*t, "start", "spread", s.start.spread, std::chrono::hours(1));
  }
  if (const auto* t = r.table(root, "", "workload")) {
    r.known(*t, "workload", {"publish_state", "components", "heartbeat_interval"});
    r.boolean(*t, "workload", "publish_state", s.workload.publish_state);
    if (const toml::node* n = t->get("components")) {
      s.workload.components.clear();
      const toml::array* a = n->as_array();
      if (!a) r.fail("workload.components", "expected an array of strings");
      if (a) {
        for (const auto& c : *a) {
          auto v = c.value<std::string>();
          if (!v || v->empty()) {
            r.fail("workload.components", "expected non-empty strings");
            break;
          }
          s.workload.components.push_back(*v);
        }
      }
    }
    r.duration(*t, "workload", "heartbeat_interval", s.workload.heartbeat_interval, std::chrono::hours(1));
  }
  if (const toml::node* n = root.get("event")) {
    const toml::array* a = n->as_array();
    if (!a) {
      r.fail("event", "expected [[event]] tables");
    } else {
      std::size_t k = 0;
      for (const auto& e : *a) {
        const std::string p = "event[" + std::to_string(k++) + "]";
        if (!e.is_table()) {
          r.fail(p, "expected a table");
          break;
        }
        ScenarioEvent ev;
        read_event(r, *e.as_table(), p, ev);
        s.events.push_back(std::move(ev));
      }
    }
  }
  if (const auto* t = r.table(root, "", "expect")) read_expect(r, *t, s.expect);
  if (!r.ok()) return r.error();
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const ScenarioEvent& a, const ScenarioEvent& b) { return a.at < b.at; });
  return s;
}

}  // namespace rollcall::sim
