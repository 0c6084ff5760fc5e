#include "daemon/StreamTransport.h"

#include <asio/experimental/as_tuple.hpp>

#include "daemon/Endpoints.h"

namespace rollcall::daemon {

namespace {
constexpr std::size_t kMaxIncoming = 64;  // concurrent incoming exchanges
constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

std::array<std::uint8_t, 4> header(std::size_t n) {
  return {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
          static_cast<std::uint8_t>(n)};
}

// Reads one frame; empty optional on any error or an oversized length (never trusted).
asio::awaitable<std::optional<std::vector<std::uint8_t>>> read_frame(asio::ip::tcp::socket& s, std::size_t max) {
  std::array<std::uint8_t, 4> h{};
  auto [ec, n] = co_await asio::async_read(s, asio::buffer(h), use_tuple);
  if (ec) co_return std::nullopt;
  const std::size_t len = (std::size_t{h[0]} << 24) | (std::size_t{h[1]} << 16) | (std::size_t{h[2]} << 8) | h[3];
  if (len == 0 || len > max) co_return std::nullopt;
  // Never trust the announced length with memory: grow the buffer only as bytes actually arrive.
  constexpr std::size_t kChunk = 64 * 1024;
  std::vector<std::uint8_t> body;
  body.reserve(std::min(len, kChunk));
  while (body.size() < len) {
    const std::size_t at = body.size();
    const std::size_t want = std::min(kChunk, len - at);
    body.resize(at + want);
    auto [ec2, n2] = co_await asio::async_read(s, asio::buffer(body.data() + at, want), use_tuple);
    if (ec2) co_return std::nullopt;
  }
  co_return body;
}

asio::awaitable<bool> write_frame(asio::ip::tcp::socket& s, const std::vector<std::uint8_t>& body) {
  auto h = header(body.size());
  const std::array<asio::const_buffer, 2> bufs{asio::buffer(h), asio::buffer(body)};
  auto [ec, n] = co_await asio::async_write(s, bufs, use_tuple);
  co_return !ec;
}
}  // namespace

StreamTransport::StreamTransport(asio::io_context& io, std::size_t max_frame, std::chrono::milliseconds accept_timeout,
                                 OnFrame on_frame, OnReply on_reply, OnFailed on_failed)
    : io_(io),
      acceptor_(io),
      max_frame_(max_frame),
      accept_timeout_(accept_timeout),
      on_frame_(std::move(on_frame)),
      on_reply_(std::move(on_reply)),
      on_failed_(std::move(on_failed)) {}

StreamTransport::~StreamTransport() {
  *alive_ = false;
  close();
}

std::error_code StreamTransport::listen(const asio::ip::tcp::endpoint& bind) {
  std::error_code ec;
  acceptor_.open(bind.protocol(), ec);
  if (ec) return ec;
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (bind.address().is_v6()) acceptor_.set_option(asio::ip::v6_only(false), ec);
  ec.clear();
  acceptor_.bind(bind, ec);
  if (ec) return ec;
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  asio::co_spawn(io_, accept_loop(), asio::detached);
  return {};
}

void StreamTransport::close() {
  std::error_code ec;
  acceptor_.close(ec);
}

asio::awaitable<void> StreamTransport::accept_loop() {
  auto alive = alive_;
  while (*alive && acceptor_.is_open()) {
    auto [ec, sock] = co_await acceptor_.async_accept(use_tuple);
    if (!*alive) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      continue;
    }
    if (active_ >= kMaxIncoming) {
      ++rejected_;
      std::error_code ignored;
      sock.close(ignored);
      continue;
    }
    asio::co_spawn(io_, serve(std::move(sock)), asio::detached);
  }
}

asio::awaitable<void> StreamTransport::serve(asio::ip::tcp::socket sock) {
  auto alive = alive_;
  ++active_;
  auto s = std::make_shared<asio::ip::tcp::socket>(std::move(sock));
  asio::steady_timer deadline(io_);
  deadline.expires_after(accept_timeout_);
  deadline.async_wait([s](std::error_code ec) {
    if (!ec) {
      std::error_code ignored;
      s->close(ignored);
    }
  });
  std::error_code ec;
  const auto peer = s->remote_endpoint(ec);
  auto frame = co_await read_frame(*s, max_frame_);
  if (*alive && frame && !ec) {
    auto reply = on_frame_(from_endpoint(peer), *frame);
    if (reply && *alive) co_await write_frame(*s, *reply);
  }
  deadline.cancel();
  std::error_code ignored;
  s->close(ignored);
  if (*alive) --active_;
}

void StreamTransport::open(std::uint64_t id, const membership::Address& to, Bytes bytes, bool expect_reply,
                           membership::Duration timeout) {
  asio::co_spawn(io_, exchange(id, to, std::move(bytes), expect_reply, timeout), asio::detached);
}

asio::awaitable<void> StreamTransport::exchange(std::uint64_t id, membership::Address to, Bytes bytes, bool expect_reply,
                                                membership::Duration timeout) {
  auto alive = alive_;
  auto s = std::make_shared<asio::ip::tcp::socket>(io_);
  asio::steady_timer deadline(io_);
  deadline.expires_after(timeout);
  deadline.async_wait([s](std::error_code ec) {
    if (!ec) {
      std::error_code ignored;
      s->close(ignored);
    }
  });
  bool ok = false;
  std::optional<Bytes> reply;
  auto [ec] = co_await s->async_connect(to_endpoint<asio::ip::tcp::endpoint>(to), use_tuple);
  if (!ec && co_await write_frame(*s, bytes)) {
    if (expect_reply) {
      reply = co_await read_frame(*s, max_frame_);
      ok = reply.has_value();
    } else {
      ok = true;
    }
  }
  deadline.cancel();
  std::error_code ignored;
  s->close(ignored);
  if (!*alive || !expect_reply) co_return;
  if (ok) {
    on_reply_(id, *reply);
  } else {
    on_failed_(id);
  }
}

}  // namespace rollcall::daemon
