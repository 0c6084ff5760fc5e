// Test helper: an http::Server listening on 127.0.0.1 port 0 with its io_context running on a
// background thread. Anything touching the server or its event streams goes through run(), which
// executes on the io thread and waits for the result.
#pragma once

#include <gtest/gtest.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <future>
#include <optional>
#include <thread>

#include "daemon/http/Client.h"
#include "daemon/http/Server.h"

namespace rollcall::daemon::http::test {

class ServerThread {
 public:
  ServerThread(Limits limits, Handler handler) : server_(io_, limits, std::move(handler)) {
    auto ec = server_.listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    EXPECT_FALSE(ec) << ec.message();
    port_ = server_.local_endpoint().port();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ServerThread() {
    run([this] { server_.stop(); });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  template <class F>
  auto run(F f) -> decltype(f()) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  std::uint16_t port() const { return port_; }
  Server& server() { return server_; }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  Server server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

// Fails the test unless the server at 127.0.0.1:port still answers GET /hello with 200 within 2 s.
inline void expect_responsive(std::uint16_t port) {
  auto res = request("127.0.0.1", port, "GET", "/hello", {}, {}, std::chrono::milliseconds(2000));
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
}

}  // namespace rollcall::daemon::http::test
