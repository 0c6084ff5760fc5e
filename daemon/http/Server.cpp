#include "daemon/http/Server.h"

#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <vector>

#include "daemon/http/Connection.h"
#include "daemon/http/ServerState.h"

namespace rollcall::daemon::http {
namespace {

using tcp = asio::ip::tcp;

// Answer for a connection over max_connections: written without waiting, then closed.
constexpr std::string_view kBusy =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: 37\r\n"
    "Retry-After: 1\r\nConnection: close\r\n\r\n{\"error\":\"too many open connections\"}";

// Asio reports socket errors in its own category; callers compare with std::errc.
std::error_code portable(const asio::error_code& ec) {
  if (ec.category() == asio::error::get_system_category()) return {ec.value(), std::system_category()};
  return ec;
}

void reject(tcp::socket& socket) {
  asio::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(asio::buffer(kBusy.data(), kBusy.size()), ec);
  socket.shutdown(tcp::socket::shutdown_both, ec);
  socket.close(ec);
}

}  // namespace

Server::Server(asio::io_context& io, Limits limits, Handler handler)
    : state_(std::make_shared<ServerState>(io, limits, std::move(handler))), acceptor_(io) {}

Server::~Server() { stop(); }

std::error_code Server::listen(const asio::ip::tcp::endpoint& endpoint) {
  asio::error_code ec;
  if (acceptor_.is_open()) return std::make_error_code(std::errc::already_connected);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    asio::error_code ignored;
    acceptor_.close(ignored);
    return portable(ec);
  }
  state_->stopped = false;
  accept_next();
  return {};
}

std::error_code Server::enable_tls(const std::string& cert_file, const std::string& key_file) {
  try {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    asio::error_code ec;
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                     ec);
    if (ec) return ec;
    ctx->use_certificate_chain_file(cert_file, ec);
    if (ec) return portable(ec);
    ctx->use_private_key_file(key_file, asio::ssl::context::pem, ec);
    if (ec) return portable(ec);
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) return std::make_error_code(std::errc::invalid_argument);
    state_->tls = std::move(ctx);
    return {};
  } catch (const std::system_error& e) {
    return e.code();
  } catch (...) {
    return std::make_error_code(std::errc::invalid_argument);
  }
}

asio::ip::tcp::endpoint Server::local_endpoint() const {
  asio::error_code ec;
  auto ep = acceptor_.local_endpoint(ec);
  return ec ? asio::ip::tcp::endpoint{} : ep;
}

void Server::accept_next() {
  acceptor_.async_accept([this, state = state_](const asio::error_code& ec, tcp::socket socket) {
    if (state->stopped || ec == asio::error::operation_aborted) return;  // `this` may be gone
    if (ec) {
      // Out of descriptors or similar: pause accepting briefly instead of spinning.
      auto timer = std::make_shared<asio::steady_timer>(state->io, std::chrono::milliseconds(50));
      timer->async_wait([this, state, timer](const asio::error_code&) {
        if (!state->stopped) accept_next();
      });
      return;
    }
    if (state->connections.size() >= state->limits.max_connections) {
      ++state->stats.rejected_connections;
      reject(socket);
    } else {
      start_connection(state, std::move(socket));
    }
    accept_next();
  });
}

void Server::stop() {
  state_->stopped = true;
  asio::error_code ec;
  acceptor_.close(ec);
  std::vector<std::shared_ptr<ConnectionBase>> open;
  open.reserve(state_->connections.size());
  for (auto& [ptr, weak] : state_->connections) {
    if (auto c = weak.lock()) open.push_back(std::move(c));
  }
  for (auto& c : open) c->close();
}

Server::Stats Server::stats() const {
  Stats s = state_->stats;
  s.open_connections = state_->connections.size();
  return s;
}

}  // namespace rollcall::daemon::http
