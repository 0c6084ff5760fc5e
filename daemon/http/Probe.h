// Asynchronous verification probes of local components on the agent's io_context: an HTTP GET of
// an http:// URL (ok = 2xx or 3xx; redirects are not followed) or a TCP connect. Names resolved
// with the Asio resolver. The callback runs exactly once, on the io_context thread, never inside
// the probe_* call itself; it is dropped (not called) if the io_context is destroyed first.
#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "daemon/http/ProbeResult.h"

namespace rollcall::daemon::http {

using ProbeCallback = std::function<void(ProbeResult)>;

// `url` like "http://127.0.0.1:8624/health" (port defaults to 80, path to "/"). Reads only the
// response head (at most 64 KiB). Timeout covers resolve + connect + request + response head.
void probe_http(asio::io_context& io, const std::string& url, std::chrono::milliseconds timeout, ProbeCallback callback);

// Connects to host:port and closes at once: "connected to 127.0.0.1:33237 in 1 ms".
void probe_tcp(asio::io_context& io, const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
               ProbeCallback callback);

}  // namespace rollcall::daemon::http
