// Resource bounds of the HTTP server; every connection is held to them (see Server.h). Filled by the
// agent from the [http] config section; tests use short timeouts.
#pragma once

#include <chrono>
#include <cstddef>

namespace rollcall::daemon::http {

struct Limits {
  // Bytes of request line + headers. Default 16 KiB, range 1 KiB..1 MiB. Over it: 431, close.
  std::size_t max_header_bytes = 16384;
  // Bytes of request body (Content-Length). Default 1 MiB, range 0..64 MiB. Over it: 413, close.
  std::size_t max_body_bytes = 1 << 20;
  // Open connections. Default 256, range 1..65536. Further accepts get a canned 503 and are closed.
  std::size_t max_connections = 256;
  // From the first byte of a request until its headers are complete, and again for its body.
  // Default 10 s, range 100 ms..5 min. Over it: 408, close (slowloris).
  std::chrono::milliseconds header_timeout{10000};
  // Keep-alive wait for the next request, also the bound on a stalled response write and on a
  // handler that never answers (503). Default 30 s, range 1 s..1 h.
  std::chrono::milliseconds idle_timeout{30000};
  // Bytes queued for one Server-Sent Events reader. Default 1 MiB. Over it the reader is dropped.
  std::size_t max_event_queue_bytes = 1 << 20;
};

}  // namespace rollcall::daemon::http
