// Drives one gossip engine on an Asio io_context (one thread): feeds it datagrams, stream frames
// and fired timers with the monotonic time, and after every call drains its outbox into the UDP
// socket, the TCP stream transport, Asio timers and the event callback. The agent owns it.
#pragma once

#include <functional>
#include <memory>

#include <asio.hpp>

#include "daemon/Clock.h"
#include "daemon/StreamTransport.h"
#include "daemon/UdpTransport.h"
#include "gossip/Engine.h"

namespace rollcall::daemon {

class EngineDriver {
 public:
  using OnEvent = std::function<void(const gossip::Event&)>;
  EngineDriver(asio::io_context& io, const Clock& clock, std::unique_ptr<gossip::Engine> engine, OnEvent on_event);
  ~EngineDriver();

  // Binds UDP and TCP on the same address and port.
  std::error_code open(const asio::ip::address& bind_ip, unsigned short port);

  // Runs `f(engine, now)` then drains the outbox. The only way anything touches the engine.
  template <class F>
  auto call(F&& f) {
    if constexpr (std::is_void_v<decltype(f(*engine_, clock_.now()))>) {
      f(*engine_, clock_.now());
      drain();
    } else {
      auto r = f(*engine_, clock_.now());
      drain();
      return r;
    }
  }
  const gossip::Engine& engine() const { return *engine_; }
  gossip::Engine& engine_mut() { return *engine_; }
  membership::Instant now() const { return clock_.now(); }
  std::uint64_t udp_send_errors() const { return udp_.send_errors(); }
  std::uint64_t streams_rejected() const { return streams_.rejected(); }
  void close();

 private:
  void drain();
  void arm(const gossip::TimerArm& t);

  asio::io_context& io_;
  const Clock& clock_;
  std::unique_ptr<gossip::Engine> engine_;
  OnEvent on_event_;
  UdpTransport udp_;
  StreamTransport streams_;
  std::uint64_t next_conn_ = 1;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rollcall::daemon
