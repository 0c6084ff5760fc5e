#include "membership/WarningCatalog.h"

namespace rollcall::membership {

namespace {

using Severity = TableWarning::Severity;

std::string s(std::string_view v) { return std::string(v); }

std::string label(const WarningCatalog::Named& n) {
  if (n.name.empty()) return "server " + n.id.short_hex();
  return "\"" + n.name + "\" (" + n.id.short_hex() + ")";
}

std::string list(const std::vector<WarningCatalog::Named>& servers) {
  std::string out;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    if (i > 0) out += i + 1 == servers.size() ? " and " : ", ";
    out += label(servers[i]);
  }
  return out;
}

TableWarning make(std::string_view code, Severity sev, std::string message, std::string remedy,
                  const NodeId* server, std::string_view component) {
  TableWarning w;
  w.code = s(code);
  w.severity = sev;
  w.message = std::move(message);
  w.remedy = std::move(remedy);
  if (server != nullptr) w.server = *server;
  w.component = s(component);
  return w;
}

std::string short_fp(std::string_view fp) { return s(fp.substr(0, 8)); }

}  // namespace

std::string WarningCatalog::human_duration(std::int64_t ms) {
  if (ms < 0) ms = 0;
  const std::int64_t sec = ms / 1000;
  if (sec < 120) return std::to_string(sec) + " s";
  if (sec < 2 * 3600) return std::to_string(sec / 60) + " min";
  if (sec < 2 * 86400) return std::to_string(sec / 3600) + " h";
  return std::to_string(sec / 86400) + " d";
}

TableWarning WarningCatalog::stale_web(const Named& server, std::string_view kind, std::int64_t age_ms,
                                       std::int64_t window_ms) {
  return make(kStaleWebComponent, Severity::warning,
              "The " + s(kind) + " component on " + label(server) + " has not moved its heartbeat for " +
                  human_duration(age_ms) + " (web window: " + human_duration(window_ms) +
                  "). The web heartbeat only moves when web requests arrive on this server, so a quiet period "
                  "(such as a weekend) or a load balancer with sticky sessions that routes no traffic to it makes "
                  "it look stale: it is not necessarily down.",
              "Check that the load balancer routes traffic to this server (sticky sessions may be pinning all "
              "users elsewhere) and open the web application on this server directly: the status clears with "
              "the next web request. If it does not, check that the web application is running.",
              &server.id, kind);
}

TableWarning WarningCatalog::stale_service(const Named& server, std::string_view kind, std::int64_t age_ms,
                                           std::int64_t timeout_ms) {
  return make(kStaleServiceComponent, Severity::error,
              "The " + s(kind) + " component on " + label(server) + " has not reported a heartbeat for " +
                  human_duration(age_ms) + " (stale timeout: " + human_duration(timeout_ms) +
                  "): it is probably stopped or hung, and automatic failover cannot count on it.",
              "Check that the " + s(kind) + " service is running on this server and restart it if it is stuck. "
              "If the component was uninstalled, remove it from the cluster.",
              &server.id, kind);
}

TableWarning WarningCatalog::verification_failed(const Named& server, std::string_view kind,
                                                 std::string_view detail) {
  return make(kVerificationFailed, Severity::error,
              "Verification of the " + s(kind) + " component on " + label(server) + " failed" +
                  (detail.empty() ? s(".") : ": " + s(detail) + "."),
              "Verify that the component's configured port is open and reachable from the other servers (for "
              "the service messenger the default is 33237; check firewalls), restart the " + s(kind) +
                  " service, then reconnect (the \"reconnect\" button in the product).",
              &server.id, kind);
}

TableWarning WarningCatalog::version_out_of_sync(const Named& server, std::string_view kind,
                                                 std::string_view version, std::string_view prevailing) {
  return make(kVersionOutOfSync, Severity::warning,
              "The " + s(kind) + " component on " + label(server) + " runs version " +
                  (version.empty() ? s("(unknown)") : s(version)) + ", but the cluster's prevailing version is " +
                  s(prevailing) + ".",
              "Upgrade the " + s(kind) + " component on this server to version " + s(prevailing) +
                  " so that every server runs the same software version.",
              &server.id, kind);
}

TableWarning WarningCatalog::key_not_set(const Named& server, std::string_view key_name) {
  return make(kKeyNotSet, Severity::error,
              "The " + s(key_name) + " key is not set on " + label(server) +
                  ". Without it the product falls back to the machine key, which is unique to each server: "
                  "authentication cookies created on one server are invalid on another, so users are "
                  "repeatedly prompted to log in when requests are routed between servers.",
              "Set the same " + s(key_name) +
                  " key in the configuration file of every server (for containers, the same value in every "
                  "pod), then restart the product on this server.",
              &server.id, "");
}

TableWarning WarningCatalog::key_not_synchronized(const Named& server, std::string_view key_name,
                                                  std::string_view fingerprint, std::string_view prevailing) {
  return make(kKeyNotSynchronized, Severity::error,
              "The " + s(key_name) + " key on " + label(server) + " (fingerprint " + short_fp(fingerprint) +
                  ") differs from the one most servers use (" + short_fp(prevailing) +
                  "). Data encrypted on one server cannot be decrypted on another: expect decryption failures "
                  "and users repeatedly prompted to log in.",
              "Make the " + s(key_name) +
                  " key identical in every server's configuration file, then restart the product on this "
                  "server.",
              &server.id, "");
}

TableWarning WarningCatalog::server_suspect(const Named& server, std::string_view gossip_address) {
  return make(kServerSuspect, Severity::warning,
              label(server) + " did not answer recent probes and is suspected to have failed; it will be "
                              "declared unreachable unless it answers soon.",
              "Check that the server is up and that its gossip port (" + s(gossip_address) +
                  ", UDP and TCP) is reachable from the other servers.",
              &server.id, "");
}

TableWarning WarningCatalog::server_unreachable(const Named& server, std::string_view gossip_address) {
  return make(kServerUnreachable, Severity::error,
              label(server) + " is unreachable: it stopped answering probes and the cluster declared it dead.",
              "Check that the server and its rollcall agent are running and that its gossip port (" +
                  s(gossip_address) +
                  ", UDP and TCP) is reachable. If the server was retired, remove it from the cluster.",
              &server.id, "");
}

TableWarning WarningCatalog::server_degraded(const Named& server, std::uint32_t recent_suspicions) {
  return make(kServerDegraded, Severity::warning,
              label(server) + " was suspected " + std::to_string(recent_suspicions) +
                  " times recently but answered again: its network path is flapping or lossy.",
              "Check for packet loss, an overloaded host or a saturated network card on this server.", &server.id,
              "");
}

TableWarning WarningCatalog::server_left(const Named& server) {
  return make(kServerLeft, Severity::info, label(server) + " left the cluster gracefully.",
              "Nothing to do if this was planned. Remove it from the cluster if it will not come back.",
              &server.id, "");
}

TableWarning WarningCatalog::name_conflict(std::string_view name, const std::vector<Named>& servers,
                                           const NodeId* about) {
  return make(kNameConflict, Severity::warning,
              "Several live servers use the name \"" + s(name) + "\": " + list(servers) +
                  ". They are different nodes (different ids), so the table cannot tell them apart by name.",
              "Give each server a unique name (the agent's name setting, by default the host name). If one "
              "of them is a copy of the other (a cloned disk or data directory), stop it and give it a fresh "
              "data directory.",
              about, "");
}

TableWarning WarningCatalog::shared_host(std::string_view host_id, const std::vector<Named>& servers,
                                         const NodeId* about) {
  return make(kSharedHost, Severity::warning,
              list(servers) + " run on the same physical host (host id " + short_fp(host_id) +
                  "). This defeats load balancing: the host's network card is the bottleneck, and one "
                  "host failure takes all of them down.",
              "Run each server (or pod) on a different physical host.", about, "");
}

}  // namespace rollcall::membership
