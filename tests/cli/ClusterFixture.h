// A /v1/cluster answer in the shape of docs/api.md: three servers, one on an older version (a
// warning), one without a product key (an error with a remedy). Used by the format and command tests.
#pragma once

#include <nlohmann/json.hpp>

namespace rollcall::daemon::cli::test {

inline nlohmann::json cluster_fixture() {
  return nlohmann::json::parse(R"({
  "cluster": {"name": "demo", "servers": 3, "servers_alive": 3, "status": "error", "digest": "9f3a0c1d2e3f4a5b",
    "config": {"load_balancing": true, "automatic_failover": false, "heartbeat_interval_ms": 30000,
               "stale_timeout_ms": 300000, "web_stale_window_ms": 86400000, "lamport": 3, "writer": "ab12cd34"},
    "warnings": []},
  "served_by": {"id": "00000000000000000000000000000001", "name": "node-1"},
  "servers": [
    {"id": "00000000000000000000000000000001", "name": "node-1", "os": {"name": "Debian GNU/Linux", "version": "12"},
     "addresses": ["10.0.0.5"], "gossip_address": "10.0.0.5:7950",
     "heartbeat": {"state": "alive", "last_heard_ms": 0, "incarnation": "1.0", "degraded": false, "rtt_ms": null},
     "status": "ok", "version_in_sync": true, "key_in_sync": true,
     "components": [
       {"kind": "web", "version": "2024.3", "status": "ok", "verification": {"result": "ok", "detail": "HTTP 200"},
        "heartbeat_age_ms": 1200, "stale": false, "version_in_sync": true, "prevailing_version": "2024.3"},
       {"kind": "service", "version": "2024.3", "status": "ok", "verification": {"result": "ok", "detail": "ok"},
        "heartbeat_age_ms": 900, "stale": false, "version_in_sync": true, "prevailing_version": "2024.3"}],
     "keys": [{"name": "encryption", "fingerprint": "ab12cd34", "in_sync": true}], "warnings": []},
    {"id": "00000000000000000000000000000002", "name": "node-2-long-name", "os": {"name": "Ubuntu", "version": "22.04"},
     "addresses": ["10.0.0.6", "fe80::2"], "gossip_address": "10.0.0.6:7950",
     "heartbeat": {"state": "suspect", "last_heard_ms": 4200, "incarnation": "2.1", "degraded": true, "rtt_ms": 0.4},
     "status": "warning", "version_in_sync": false, "key_in_sync": true,
     "components": [
       {"kind": "web", "version": "2024.2", "status": "warning", "verification": {"result": "ok", "detail": "HTTP 200"},
        "heartbeat_age_ms": 1000, "stale": false, "version_in_sync": false, "prevailing_version": "2024.3"}],
     "keys": [{"name": "encryption", "fingerprint": "ab12cd34", "in_sync": true}],
     "warnings": [{"code": "VERSION_OUT_OF_SYNC", "severity": "warning", "message": "web runs 2024.2; the cluster runs 2024.3.",
                   "remedy": "Upgrade this server to the version the rest of the cluster runs.", "component": "web"}]},
    {"id": "00000000000000000000000000000003", "name": "node-3", "os": {"name": "Debian GNU/Linux", "version": "12"},
     "addresses": [], "gossip_address": "10.0.0.7:7950",
     "heartbeat": {"state": "alive", "last_heard_ms": 300, "incarnation": "1.0", "degraded": false, "rtt_ms": 0.3},
     "status": "error", "version_in_sync": true, "key_in_sync": false,
     "components": [
       {"kind": "web", "version": "2024.3", "status": "stale", "verification": {"result": "unknown", "detail": ""},
        "heartbeat_age_ms": null, "stale": true, "version_in_sync": true, "prevailing_version": "2024.3"},
       {"kind": "service", "version": "2024.3", "status": "error", "verification": {"result": "failed", "detail": "refused"},
        "heartbeat_age_ms": 800, "stale": false, "version_in_sync": true, "prevailing_version": "2024.3"}],
     "keys": [{"name": "encryption", "fingerprint": null, "in_sync": false}],
     "warnings": [{"code": "KEY_NOT_SET", "severity": "error", "message": "No encryption key is set on this server.",
                   "remedy": "Set the encryption key on this server to the same value as on the others."}]}
  ]})");
}

}  // namespace rollcall::daemon::cli::test
