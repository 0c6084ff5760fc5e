// What a Server shares with its connections: limits, handler, statistics, the registry of open
// connections and the TLS context. Internal to daemon/http; connections keep it alive, so a
// connection finishing after its Server was destroyed touches nothing freed.
#pragma once

#include <asio/io_context.hpp>
#include <memory>
#include <unordered_map>

#include "daemon/http/ConnectionBase.h"
#include "daemon/http/Server.h"

namespace asio::ssl {
class context;
}

namespace rollcall::daemon::http {

class ServerState {
 public:
  ServerState(asio::io_context& io_context, Limits l, Handler h)
      : io(io_context), limits(l), handler(std::move(h)) {}

  void count_response(int status) {
    ++stats.requests;
    if (status >= 200 && status < 300) ++stats.responses_2xx;
    else if (status >= 400 && status < 500) ++stats.responses_4xx;
    else if (status >= 500) ++stats.responses_5xx;
  }

  asio::io_context& io;
  Limits limits;
  Handler handler;
  Server::Stats stats;
  std::unordered_map<ConnectionBase*, std::weak_ptr<ConnectionBase>> connections;
  std::shared_ptr<asio::ssl::context> tls;
  bool stopped = false;
};

}  // namespace rollcall::daemon::http
