// The gossip UDP socket: receives datagrams (bounded size) and hands them to a callback on the
// io_context thread; sends datagrams without blocking (a full socket buffer drops, like the
// network would). Owned by EngineDriver.
#pragma once

#include <array>
#include <functional>
#include <span>
#include <system_error>

#include <asio.hpp>

#include "membership/Address.h"

namespace rollcall::daemon {

class UdpTransport {
 public:
  using OnDatagram = std::function<void(const membership::Address& from, std::span<const std::uint8_t> bytes)>;
  UdpTransport(asio::io_context& io, OnDatagram cb) : socket_(io), cb_(std::move(cb)) {}

  std::error_code open(const asio::ip::udp::endpoint& bind);
  void send(const membership::Address& to, std::span<const std::uint8_t> bytes);
  void close();
  asio::ip::udp::endpoint local_endpoint() const;
  std::uint64_t send_errors() const { return send_errors_; }

 private:
  void receive();

  asio::ip::udp::socket socket_;
  OnDatagram cb_;
  std::array<std::uint8_t, 65536> buf_{};
  asio::ip::udp::endpoint sender_;
  std::uint64_t send_errors_ = 0;
};

}  // namespace rollcall::daemon
