// The `rollcall` command-line client: one function per subcommand, each talking to an agent's HTTP
// API (GET/PUT/POST/DELETE on the Target) and returning an exit code from ExitCode.h. Called by
// daemon/main.cpp after flag parsing; each prints results to target.out and errors to target.err,
// never throws, never prints a secret (token, gossip key) in full.
#pragma once

#include <string>

#include "daemon/cli/DemoOptions.h"
#include "daemon/cli/ExitCode.h"
#include "daemon/cli/Target.h"

namespace rollcall::daemon::cli {

int members(const Target&);  // table of the SWIM view (GET /v1/members)
int cluster(const Target&);  // the cluster table as a person reads it (GET /v1/cluster)
int config_get(const Target&, const std::string& key /* "" = all */);
// KEY: load_balancing | automatic_failover | heartbeat_interval_ms | stale_timeout_ms |
// web_stale_window_ms (also without the _ms suffix). VALUE: on/off/true/false/yes/no/1/0 for
// booleans; for durations a number of ms or "500ms", "30s", "5m", "24h", "1d".
int config_set(const Target&, const std::string& key, const std::string& value);
int remove(const Target&, const std::string& server, const std::string& component /* "" = whole server */);
int keys_list(const Target&);
// key_b64 "-" = read one line from stdin (keeps the key out of the process list). Validated
// locally first (usage error); only the key id is printed.
int keys_install(const Target&, const std::string& key_b64);
int keys_use(const Target&, const std::string& id);
int keys_remove(const Target&, const std::string& id);
int leave(const Target&);                            // POST /v1/leave (loopback only)
int heartbeat(const Target&, const std::string& kind);  // POST /v1/local/heartbeat/{kind}
int health(const Target&);  // exit 0 iff GET /health answers 200 (Docker HEALTHCHECK)
int keygen();               // prints a new base64 32-byte gossip key on stdout
int version();              // prints "rollcall <version>"
int demo(const DemoOptions&);  // see Demo.cpp and docs/cli.md

}  // namespace rollcall::daemon::cli
