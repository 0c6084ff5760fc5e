#include "daemon/cli/CheckListener.h"

#include <asio/ip/tcp.hpp>
#include <asio/io_context.hpp>
#include <thread>

namespace rollcall::daemon::cli {

struct CheckListener::State {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](std::error_code ec, asio::ip::tcp::socket s) {
      if (!ec) {
        std::error_code ignored;
        s.close(ignored);
      }
      if (ec != asio::error::operation_aborted) accept();
    });
  }
};

CheckListener::CheckListener() : state_(std::make_unique<State>()) {
  state_->accept();
  state_->thread = std::thread([s = state_.get()] { s->io.run(); });
}

CheckListener::~CheckListener() {
  state_->io.stop();
  state_->thread.join();
}

std::uint16_t CheckListener::port() const { return state_->acceptor.local_endpoint().port(); }

}  // namespace rollcall::daemon::cli
