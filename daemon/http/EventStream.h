// A Server-Sent Events response kept open on its connection (GET /v1/events). The agent keeps the
// shared_ptr and calls send() from the io_context thread; a reader whose unsent queue exceeds
// Limits::max_event_queue_bytes is dropped (send() then returns false and closed() is true).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace rollcall::daemon::http {

class ConnectionBase;

class EventStream {
 public:
  explicit EventStream(std::weak_ptr<ConnectionBase> connection) : connection_(std::move(connection)) {}

  // Sends "event: <event>\ndata: <line>\n...\n\n" (one data line per line of `data`; an empty
  // event name omits the event line). False if the stream is closed or was just dropped.
  bool send(std::string_view event, std::string_view data);
  // Sends ": <text>\n\n", a comment readers ignore: a keep-alive that also detects dead readers.
  bool comment(std::string_view text);
  // Ends the stream after what is queued has been written.
  void close();
  bool closed() const;

  // The SSE framing send() uses (exposed for tests and for pre-framing one event for many streams).
  static std::string frame(std::string_view event, std::string_view data);
  // Sends an already framed event (from frame()).
  bool send_framed(std::string framed);

 private:
  std::weak_ptr<ConnectionBase> connection_;
};

}  // namespace rollcall::daemon::http
