// The gossip TCP side: length-prefixed frames (u32 big-endian length + sealed bytes) for
// anti-entropy push-pull, state pushes and fallback pings. Accepts connections (bounded count,
// bounded frame size, deadline per exchange) and opens outgoing exchanges with a timeout.
// Owned by EngineDriver; everything runs on the io_context thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <asio.hpp>

#include "membership/Address.h"
#include "membership/Time.h"

namespace rollcall::daemon {

class StreamTransport {
 public:
  using Bytes = std::vector<std::uint8_t>;
  // Incoming frame: returns the reply frame to write back, if any.
  using OnFrame = std::function<std::optional<Bytes>(const membership::Address& from, std::span<const std::uint8_t>)>;
  using OnReply = std::function<void(std::uint64_t id, std::span<const std::uint8_t>)>;
  using OnFailed = std::function<void(std::uint64_t id)>;

  StreamTransport(asio::io_context& io, std::size_t max_frame, std::chrono::milliseconds accept_timeout, OnFrame on_frame,
                  OnReply on_reply, OnFailed on_failed);
  ~StreamTransport();

  std::error_code listen(const asio::ip::tcp::endpoint& bind);
  void open(std::uint64_t id, const membership::Address& to, Bytes bytes, bool expect_reply, membership::Duration timeout);
  void close();
  std::uint64_t rejected() const { return rejected_; }

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket sock);
  asio::awaitable<void> exchange(std::uint64_t id, membership::Address to, Bytes bytes, bool expect_reply,
                                 membership::Duration timeout);

  asio::io_context& io_;
  asio::ip::tcp::acceptor acceptor_;
  std::size_t max_frame_;
  std::chrono::milliseconds accept_timeout_;
  OnFrame on_frame_;
  OnReply on_reply_;
  OnFailed on_failed_;
  std::size_t active_ = 0;
  std::uint64_t rejected_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rollcall::daemon
