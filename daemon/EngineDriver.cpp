#include "daemon/EngineDriver.h"

namespace rollcall::daemon {

EngineDriver::EngineDriver(asio::io_context& io, const Clock& clock, std::unique_ptr<gossip::Engine> engine, OnEvent on_event)
    : io_(io),
      clock_(clock),
      engine_(std::move(engine)),
      on_event_(std::move(on_event)),
      udp_(io,
           [this](const membership::Address& from, std::span<const std::uint8_t> bytes) {
             call([&](gossip::Engine& e, membership::Instant now) { e.on_packet(from, bytes, now); });
           }),
      streams_(
          io, engine_->config().max_stream_bytes,
          std::chrono::duration_cast<std::chrono::milliseconds>(engine_->config().stream_timeout),
          [this](const membership::Address& from, std::span<const std::uint8_t> bytes) -> std::optional<gossip::Bytes> {
            const std::uint64_t conn = next_conn_++;
            std::optional<gossip::Bytes> reply;
            call([&](gossip::Engine& e, membership::Instant now) {
              e.on_stream(conn, from, bytes, now);
              auto& replies = e.outbox().replies;
              for (auto it = replies.begin(); it != replies.end(); ++it) {
                if (it->conn == conn) {
                  reply = std::move(it->bytes);
                  replies.erase(it);
                  break;
                }
              }
            });
            return reply;
          },
          [this](std::uint64_t id, std::span<const std::uint8_t> bytes) {
            call([&](gossip::Engine& e, membership::Instant now) { e.on_stream_reply(id, bytes, now); });
          },
          [this](std::uint64_t id) { call([&](gossip::Engine& e, membership::Instant now) { e.on_stream_failed(id, now); }); }) {}

EngineDriver::~EngineDriver() {
  *alive_ = false;
  close();
}

std::error_code EngineDriver::open(const asio::ip::address& bind_ip, unsigned short port) {
  if (auto ec = udp_.open(asio::ip::udp::endpoint(bind_ip, port))) return ec;
  return streams_.listen(asio::ip::tcp::endpoint(bind_ip, port));
}

void EngineDriver::close() {
  udp_.close();
  streams_.close();
}

void EngineDriver::drain() {
  gossip::Outbox& out = engine_->outbox();
  // Take everything out first: a send can fail at once and call back into the engine (through
  // call(), which drains again), appending to the outbox while we walk it. Found by fuzz_api_agent:
  // a stream open that failed synchronously reallocated out.streams under this loop.
  auto datagrams = std::move(out.datagrams);
  auto streams = std::move(out.streams);
  auto timers = std::move(out.timers);
  auto events = std::move(out.events);
  out.clear();
  for (auto& d : datagrams) udp_.send(d.to, d.bytes);
  for (auto& s : streams) streams_.open(s.id, s.to, std::move(s.bytes), s.expect_reply, s.timeout);
  for (auto& t : timers) arm(t);
  // Events last: handlers may call back into the engine (through call()).
  for (const auto& e : events) on_event_(e);
}

void EngineDriver::arm(const gossip::TimerArm& t) {
  auto timer = std::make_shared<asio::steady_timer>(io_);
  timer->expires_at(clock_.to_steady(t.at));
  timer->async_wait([this, timer, tm = t.timer, alive = alive_](std::error_code ec) {
    if (ec || !*alive) return;
    call([&](gossip::Engine& e, membership::Instant now) { e.on_timer(tm, now); });
  });
}

}  // namespace rollcall::daemon
