// The [http] section: where the status endpoint listens, the admin token for writes, optional TLS,
// and the server limits. Plain data filled by load_config(); admin_token is read from
// admin_token_file or the environment variable named by admin_token_env.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "daemon/config/HostPort.h"
#include "daemon/config/Secret.h"

namespace rollcall::daemon::config {

struct HttpSettings {
  HostPort bind{"127.0.0.1", 7951};                   // an IP literal
  std::string admin_token_file;                       // path of a file holding the token
  std::string admin_token_env = "ROLLCALL_ADMIN_TOKEN";  // variable NAME holding the token
  Secret admin_token;                                 // loaded; empty = no token configured
  std::string tls_cert;                               // PEM chain; both or neither with tls_key
  std::string tls_key;                                // PEM private key
  std::size_t max_connections = 256;                  // 1..65536
  std::size_t max_header_bytes = 16384;               // 1KiB..1MiB
  std::size_t max_body_bytes = 1 << 20;               // 1KiB..64MiB
  std::chrono::milliseconds header_timeout{10000};    // 100ms..5m
  std::chrono::milliseconds idle_timeout{30000};      // 1s..1h
};

}  // namespace rollcall::daemon::config
