// The answer slot of one request, handed to a Handler. Exactly one of respond() / start_events()
// per request; further calls are ignored. Cheap to copy and safe to keep past the handler call
// (e.g. to answer later on the same io_context thread); it does nothing once the connection closed.
#pragma once

#include <cstdint>
#include <memory>

#include "daemon/http/Response.h"

namespace rollcall::daemon::http {

class ConnectionBase;
class EventStream;

class Responder {
 public:
  Responder() = default;
  Responder(std::weak_ptr<ConnectionBase> connection, std::uint64_t serial)
      : connection_(std::move(connection)), serial_(serial) {}

  void respond(Response response) const;
  // Sends "200 text/event-stream" and returns the stream; the returned stream is already closed()
  // if the request was answered before or the client went away. Never null.
  std::shared_ptr<EventStream> start_events() const;

 private:
  std::weak_ptr<ConnectionBase> connection_;
  std::uint64_t serial_ = 0;
};

}  // namespace rollcall::daemon::http
