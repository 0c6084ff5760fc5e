// One accepted HTTP connection (the Connection class template in Connection.cpp, instantiated for
// plain TCP and for TLS): reads with a fixed buffer, parses with http-parser, answers requests in
// order, enforces Limits with one lazy deadline timer, and serves event streams. Only Server calls
// start_connection(), on the io_context thread; the connection owns itself through its pending I/O.
#pragma once

#include <asio/ip/tcp.hpp>
#include <memory>

#include "daemon/http/ConnectionBase.h"

namespace rollcall::daemon::http {

class ServerState;

// Wraps the accepted socket (in TLS when state->tls is set), registers it in state->connections
// and starts serving. Returns the connection (already closed if the socket was unusable).
std::shared_ptr<ConnectionBase> start_connection(const std::shared_ptr<ServerState>& state,
                                                 asio::ip::tcp::socket socket);

}  // namespace rollcall::daemon::http
