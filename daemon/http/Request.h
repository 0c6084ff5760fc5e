// One parsed HTTP request as the server hands it to a Handler: method, percent-decoded path, raw
// query, headers in arrival order, body, and who sent it. Built by Connection; handlers read it
// (on the io_context thread) and must copy what they keep past the handler call.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::daemon::http {

struct Request {
  std::string method;  // "GET", "POST", ... (upper case, as sent)
  std::string path;    // percent-decoded path, no query ("/v1/servers/node 1")
  std::string query;   // raw query string without '?', not decoded ("a=1&b=%20")
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent
  std::string body;
  std::string remote_ip;            // "127.0.0.1", "::1"
  bool remote_is_loopback = false;  // 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104

  // First header with this name, compared case-insensitively; nullopt if absent.
  std::optional<std::string_view> header(std::string_view name) const;
  // Value of a query parameter (percent-decoded, '+' as space); nullopt if absent.
  std::optional<std::string> query_param(std::string_view name) const;
};

}  // namespace rollcall::daemon::http
