// A complete HTTP response a Handler gives to Responder::respond(). The server adds
// Content-Length, Connection, X-Content-Type-Options: nosniff, and Cache-Control: no-store on JSON
// (unless the handler set Cache-Control itself). Header values with CR or LF are dropped.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rollcall::daemon::http {

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. WWW-Authenticate
};

}  // namespace rollcall::daemon::http
