// The [gossip] section: addresses, seeds, profile, keyring and optional engine timing overrides
// (unset = the profile's default). Plain data filled by load_config(); the keyring holds key
// material read from gossip.key_file or the environment variable named by gossip.key_env.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "daemon/config/HostPort.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::daemon::config {

struct GossipSettings {
  HostPort bind{"0.0.0.0", 7950};    // UDP + TCP; an IP literal; port 0 = any (tests)
  std::optional<HostPort> advertise;  // unset = derived by the agent; an IP literal
  std::vector<HostPort> seeds;        // IP literals or DNS names (every A/AAAA record), port default 7950
  std::chrono::milliseconds seed_resolve_interval{30000};  // 1s..24h
  std::string profile = "lan";                              // lan|local|wan
  std::string key_file;                                     // keyring file, one base64 key per line
  std::string key_env = "ROLLCALL_GOSSIP_KEY";              // variable NAME holding base64 key(s)
  bool plaintext = false;                                   // only with no key at all
  gossip::crypto::Keyring keyring;                          // loaded; empty if no key configured
  std::string key_source;  // "file /etc/rollcall/keyring", "environment variable X", "" (none)
  std::size_t mtu = 1200;  // bytes, 576..9000

  // Engine overrides (gossip::Config); unset = the profile's value. Ranges follow gossip/Config.h.
  std::optional<std::chrono::milliseconds> probe_interval;      // 50ms..60s
  std::optional<std::chrono::milliseconds> probe_timeout;       // 10ms..60s, < probe_interval
  std::optional<int> indirect_checks;                           // 0..16
  std::optional<std::chrono::milliseconds> gossip_interval;     // 10ms..60s
  std::optional<int> gossip_fanout;                             // 1..16
  std::optional<std::chrono::milliseconds> push_pull_interval;  // 0 (off) or 1s..1h
  std::optional<int> suspicion_mult;                            // 1..20
  std::optional<int> suspicion_max_mult;                        // 1..20 (max suspicion timeout = this x min)
  std::optional<int> retransmit_mult;                           // 1..16
  std::optional<int> awareness_max;                             // 0..16
  std::optional<std::chrono::milliseconds> dead_retention;      // 1m..30d
  std::optional<std::chrono::milliseconds> reconnect_interval;  // 0 (off) or 1s..1h
  std::optional<std::chrono::milliseconds> leave_timeout;       // 0..60s
};

}  // namespace rollcall::daemon::config
