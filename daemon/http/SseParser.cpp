#include "daemon/http/SseParser.h"

namespace rollcall::daemon::http {

bool SseParser::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (c == '\n' && last_was_cr_) {  // second half of CRLF
      last_was_cr_ = false;
      continue;
    }
    last_was_cr_ = c == '\r';
    if (c == '\r' || c == '\n') {
      std::string l;
      l.swap(pending_);
      if (!line(l)) return false;
      continue;
    }
    if (pending_.size() >= max_line_) {
      too_long_ = true;
      return false;
    }
    pending_.push_back(c);
  }
  return true;
}

bool SseParser::line(std::string_view l) {
  if (l.empty()) {  // blank line: dispatch
    if (!has_data_) {
      event_.clear();
      return true;
    }
    std::string event = event_.empty() ? std::string("message") : event_;
    std::string data;
    data.swap(data_);
    event_.clear();
    has_data_ = false;
    return on_event_(event, data);
  }
  if (l.front() == ':') return true;
  std::size_t colon = l.find(':');
  std::string_view field = l.substr(0, colon);
  std::string_view value;
  if (colon != std::string_view::npos) {
    value = l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "event") {
    event_.assign(value);
  } else if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  }
  return true;  // "id", "retry" and unknown fields are ignored
}

}  // namespace rollcall::daemon::http
