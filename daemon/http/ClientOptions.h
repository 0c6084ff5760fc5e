// Options of one blocking client call (Client.h): overall timeout, TLS, and a body size bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace rollcall::daemon::http {

struct ClientOptions {
  // Whole call: resolve + connect + TLS handshake + request + response. Default 5 s.
  std::chrono::milliseconds timeout{5000};
  bool tls = false;         // https
  bool tls_verify = true;   // verify the server certificate (against tls_ca_file or system CAs)
  std::string tls_ca_file;  // PEM bundle; empty = system default paths
  // Largest response body accepted (bad_response beyond). Default 64 MiB.
  std::size_t max_body_bytes = 64u << 20;
};

}  // namespace rollcall::daemon::http
