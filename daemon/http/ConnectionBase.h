// The transport-independent face of one server connection (plain TCP or TLS), through which
// Responder and EventStream reach it. Internal to daemon/http; everything runs on the io_context
// thread. A request is identified by a serial so a stale Responder can never answer a later request.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "daemon/http/Response.h"

namespace rollcall::daemon::http {

class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  virtual ~ConnectionBase() = default;

  // Answers request `serial` (ignored if that request was already answered or the connection is gone).
  virtual void respond(std::uint64_t serial, Response&& response) = 0;
  // Turns request `serial` into an event stream (sends the 200 text/event-stream head). False if
  // the request was already answered or the connection is closed.
  virtual bool start_events(std::uint64_t serial) = 0;
  // Queues one pre-framed event; false (and the connection dropped) if the reader is too slow,
  // false if the stream is closed.
  virtual bool send_event(std::string&& framed) = 0;
  // Closes after queued events are written (bounded by the write timeout).
  virtual void finish_events() = 0;
  // Closes now.
  virtual void close() = 0;
  virtual bool is_closed() const = 0;
};

}  // namespace rollcall::daemon::http
