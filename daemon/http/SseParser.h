// Incremental parser of a text/event-stream body (the client side of /v1/events): feed bytes as
// they arrive, get (event, data) per dispatched event. Follows the WHATWG rules that matter here:
// "event:", "data:" (joined with "\n"), comments ":" ignored, LF / CRLF / CR line ends, the event
// name defaults to "message". Bounded: a line longer than max_line_bytes is an error.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace rollcall::daemon::http {

class SseParser {
 public:
  // Return false to stop: feed() then returns false too.
  using OnEvent = std::function<bool(std::string_view event, std::string_view data)>;

  explicit SseParser(OnEvent on_event, std::size_t max_line_bytes = 1u << 20)
      : on_event_(std::move(on_event)), max_line_(max_line_bytes) {}

  // False when the callback asked to stop or a line was too long (see too_long()).
  bool feed(std::string_view bytes);
  bool too_long() const { return too_long_; }

 private:
  bool line(std::string_view l);

  OnEvent on_event_;
  std::size_t max_line_;
  std::string pending_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
  bool last_was_cr_ = false;
  bool too_long_ = false;
};

}  // namespace rollcall::daemon::http
