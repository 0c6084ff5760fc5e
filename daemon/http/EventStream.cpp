#include "daemon/http/EventStream.h"

#include "daemon/http/ConnectionBase.h"

namespace rollcall::daemon::http {
namespace {

void append_clean_line(std::string& out, std::string_view line) {
  for (char c : line) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
}

}  // namespace

std::string EventStream::frame(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 24);
  if (!event.empty()) {
    out += "event: ";
    append_clean_line(out, event);
    out += '\n';
  }
  // Every line of data becomes its own "data:" line; CRLF and lone CR count as line breaks.
  std::size_t start = 0;
  while (true) {
    std::size_t end = data.find_first_of("\r\n", start);
    out += "data: ";
    out.append(data.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
    if (start >= data.size()) break;
  }
  out += '\n';
  return out;
}

bool EventStream::send(std::string_view event, std::string_view data) { return send_framed(frame(event, data)); }

bool EventStream::comment(std::string_view text) {
  std::string out = ": ";
  append_clean_line(out, text);
  out += "\n\n";
  return send_framed(std::move(out));
}

bool EventStream::send_framed(std::string framed) {
  auto c = connection_.lock();
  if (!c || c->is_closed()) return false;
  return c->send_event(std::move(framed));
}

void EventStream::close() {
  if (auto c = connection_.lock()) c->finish_events();
}

bool EventStream::closed() const {
  auto c = connection_.lock();
  return !c || c->is_closed();
}

}  // namespace rollcall::daemon::http
