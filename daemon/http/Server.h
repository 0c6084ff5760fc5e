// HTTP/1.1 server on Asio, parsing with http-parser: keep-alive, pipelining (answered in order),
// optional TLS, Server-Sent Events, and hard limits (Limits.h) so a slow or hostile client gets a
// 4xx or a closed connection and never stalls the agent. Single-threaded: construct, call and
// destroy it on the thread that runs the io_context; the Handler is called on that thread too.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "daemon/http/Limits.h"
#include "daemon/http/Request.h"
#include "daemon/http/Responder.h"

namespace rollcall::daemon::http {

class ServerState;

// Called once per request; must call exactly one of responder.respond() / start_events(), now or
// later. An exception escaping it becomes a 500. A request left unanswered for idle_timeout gets 503.
using Handler = std::function<void(const Request&, Responder)>;

class Server {
 public:
  struct Stats {
    std::uint64_t requests = 0;  // requests answered or rejected with an HTTP status
    std::uint64_t responses_2xx = 0;
    std::uint64_t responses_4xx = 0;
    std::uint64_t responses_5xx = 0;
    std::uint64_t rejected_connections = 0;  // over max_connections, or failed TLS handshakes
    std::uint64_t open_connections = 0;
  };

  Server(asio::io_context& io, Limits limits, Handler handler);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting (port 0 picks a free port: see local_endpoint()). Errors as values
  // (address in use, permission denied). Call enable_tls() first for HTTPS.
  std::error_code listen(const asio::ip::tcp::endpoint& endpoint);
  // Serves HTTPS with this PEM certificate chain and private key. Errors as values (missing file,
  // key not matching the certificate).
  std::error_code enable_tls(const std::string& cert_file, const std::string& key_file);
  asio::ip::tcp::endpoint local_endpoint() const;
  // Stops accepting and closes every connection (event streams included). Idempotent.
  void stop();
  Stats stats() const;

 private:
  void accept_next();

  std::shared_ptr<ServerState> state_;
  asio::ip::tcp::acceptor acceptor_;
};

}  // namespace rollcall::daemon::http
