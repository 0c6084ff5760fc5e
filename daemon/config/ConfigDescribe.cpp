// describe(): the effective configuration as TOML-like text with every secret redacted.
#include <sstream>

#include "daemon/config/ConfigLoader.h"
#include "daemon/config/Duration.h"

namespace rollcall::daemon::config {
namespace {

std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + q(items[i]);
  return out + "]";
}

template <class T, class F>
void optional_line(std::ostringstream& o, const char* key, const std::optional<T>& v, F format) {
  if (v) {
    o << key << " = " << format(*v) << "\n";
  } else {
    o << "# " << key << " = (profile default)\n";
  }
}

}  // namespace

std::string describe(const AgentConfig& c) {
  std::ostringstream o;
  auto dur = [](std::chrono::milliseconds d) { return q(format_duration(d)); };
  auto num = [](int n) { return std::to_string(n); };
  o << "# effective configuration" << (c.source_file ? " (file " + c.source_file->string() + ")" : "")
    << "; secrets are redacted\n";
  o << "[agent]\n"
    << "name = " << q(c.agent.name) << "\n"
    << "cluster = " << q(c.agent.cluster) << "\n"
    << "data_dir = " << q(c.agent.data_dir.string()) << "\n"
    << "log_level = " << q(c.agent.log_level) << "\n"
    << "log_format = " << q(c.agent.log_format) << "\n"
    << "allow_reset = " << (c.agent.allow_reset ? "true" : "false") << "\n\n";

  const auto& g = c.gossip;
  std::vector<std::string> seeds;
  for (const auto& s : g.seeds) seeds.push_back(s.to_string());
  o << "[gossip]\n"
    << "bind = " << q(g.bind.to_string()) << "\n"
    << "advertise = " << q(g.advertise ? g.advertise->to_string() : "") << "\n"
    << "seeds = " << list(seeds) << "\n"
    << "seed_resolve_interval = " << dur(g.seed_resolve_interval) << "\n"
    << "profile = " << q(g.profile) << "\n"
    << "key_file = " << q(g.key_file) << "\n"
    << "key_env = " << q(g.key_env) << "\n"
    << "# keys loaded: " << g.keyring.size();
  if (!g.keyring.empty()) o << " from " << g.key_source << ", ids " << list(g.keyring.ids()) << " (primary first)";
  o << "\n"
    << "plaintext = " << (g.plaintext ? "true" : "false") << "\n"
    << "mtu = " << g.mtu << "\n";
  optional_line(o, "probe_interval", g.probe_interval, dur);
  optional_line(o, "probe_timeout", g.probe_timeout, dur);
  optional_line(o, "indirect_checks", g.indirect_checks, num);
  optional_line(o, "gossip_interval", g.gossip_interval, dur);
  optional_line(o, "gossip_fanout", g.gossip_fanout, num);
  optional_line(o, "push_pull_interval", g.push_pull_interval, dur);
  optional_line(o, "suspicion_mult", g.suspicion_mult, num);
  optional_line(o, "suspicion_max_mult", g.suspicion_max_mult, num);
  optional_line(o, "retransmit_mult", g.retransmit_mult, num);
  optional_line(o, "awareness_max", g.awareness_max, num);
  optional_line(o, "dead_retention", g.dead_retention, dur);
  optional_line(o, "reconnect_interval", g.reconnect_interval, dur);
  optional_line(o, "leave_timeout", g.leave_timeout, dur);

  const auto& h = c.http;
  o << "\n[http]\n"
    << "bind = " << q(h.bind.to_string()) << "\n"
    << "admin_token_file = " << q(h.admin_token_file) << "\n"
    << "admin_token_env = " << q(h.admin_token_env) << "\n"
    << "# admin token: " << h.admin_token.redacted() << "\n"
    << "tls_cert = " << q(h.tls_cert) << "\n"
    << "tls_key = " << q(h.tls_key) << "\n"
    << "max_connections = " << h.max_connections << "\n"
    << "max_header_bytes = " << h.max_header_bytes << "\n"
    << "max_body_bytes = " << h.max_body_bytes << "\n"
    << "header_timeout = " << dur(h.header_timeout) << "\n"
    << "idle_timeout = " << dur(h.idle_timeout) << "\n\n";

  const auto& s = c.server;
  o << "[server]\n"
    << "os_name = " << q(s.os_name) << "\n"
    << "os_version = " << q(s.os_version) << "\n"
    << "host_id_file = " << q(s.host_id_file) << "\n"
    << "addresses = " << list(s.addresses) << "\n"
    << "labels = {";
  bool first = true;
  for (const auto& [k, v] : s.labels) {
    o << (first ? " " : ", ") << k << " = " << q(v);
    first = false;
  }
  o << (first ? "}" : " }") << "\n\n";

  o << "[product]\n"
    << "fingerprint_salt = " << q(c.product.fingerprint_salt) << "\n";
  for (const auto& k : c.product.keys) {
    o << "\n[[product.keys]]\n"
      << "name = " << q(k.name) << "\n"
      << "env = " << q(k.env) << "\n"
      << "file = " << q(k.file) << "\n"
      << "# value: " << k.value.redacted() << "\n";
  }
  for (const auto& comp : c.components) {
    o << "\n[[component]]\n"
      << "kind = " << q(comp.kind) << "\n"
      << "version = " << q(comp.version) << "\n"
      << "endpoint = " << q(comp.endpoint) << "\n"
      << "check = " << q(comp.check) << "\n"
      << "check_interval = " << dur(comp.check_interval) << "\n"
      << "check_timeout = " << dur(comp.check_timeout) << "\n";
  }
  for (const auto& w : c.warnings) o << "# warning: " << w << "\n";
  return o.str();
}

}  // namespace rollcall::daemon::config
