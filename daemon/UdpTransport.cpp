#include "daemon/UdpTransport.h"

#include "daemon/Endpoints.h"

namespace rollcall::daemon {

std::error_code UdpTransport::open(const asio::ip::udp::endpoint& bind) {
  std::error_code ec;
  socket_.open(bind.protocol(), ec);
  if (ec) return ec;
  if (bind.address().is_v6()) socket_.set_option(asio::ip::v6_only(false), ec);
  socket_.set_option(asio::socket_base::receive_buffer_size(4 << 20), ec);
  socket_.set_option(asio::socket_base::send_buffer_size(4 << 20), ec);
  ec.clear();
  socket_.bind(bind, ec);
  if (ec) return ec;
  socket_.non_blocking(true, ec);
  receive();
  return {};
}

void UdpTransport::receive() {
  socket_.async_receive_from(asio::buffer(buf_), sender_, [this](std::error_code ec, std::size_t n) {
    if (ec == asio::error::operation_aborted || !socket_.is_open()) return;
    if (!ec) cb_(from_endpoint(sender_), std::span<const std::uint8_t>(buf_.data(), n));
    receive();
  });
}

void UdpTransport::send(const membership::Address& to, std::span<const std::uint8_t> bytes) {
  if (!socket_.is_open()) return;
  std::error_code ec;
  auto ep = to_endpoint<asio::ip::udp::endpoint>(to);
  if (socket_.local_endpoint(ec).address().is_v6() && ep.address().is_v4())
    ep = asio::ip::udp::endpoint(asio::ip::make_address_v6(asio::ip::v4_mapped, ep.address().to_v4()), ep.port());
  socket_.send_to(asio::buffer(bytes.data(), bytes.size()), ep, 0, ec);
  if (ec) ++send_errors_;
}

void UdpTransport::close() {
  std::error_code ec;
  socket_.close(ec);
}

asio::ip::udp::endpoint UdpTransport::local_endpoint() const {
  std::error_code ec;
  return socket_.local_endpoint(ec);
}

}  // namespace rollcall::daemon
