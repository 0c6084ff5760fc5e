// Why an HTTP client call (Client.h) failed, as a value: a kind a program can branch on (the CLI
// maps kinds to exit codes) and a message a person can read ("connect 127.0.0.1:7951: connection
// refused"). Messages never contain request headers or bodies (they may carry tokens).
#pragma once

#include <string>

namespace rollcall::daemon::http {

struct ClientError {
  enum class Kind { resolve, connection_refused, connect, timeout, tls, io, bad_response, too_large, http_status };
  Kind kind = Kind::io;
  std::string message;
  int status = 0;  // for http_status (stream_events on a non-200 answer)
};

}  // namespace rollcall::daemon::http
