// Blocking HTTP/1.1 client for the CLI and the tests: one request per connection, a private
// io_context per call, an overall timeout, responses parsed with http-parser, errors as values
// (connection refused, timeout, bad response...). Callable from any thread that is not running an
// io_context the target server depends on (it would deadlock against itself).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/http/ClientError.h"
#include "daemon/http/ClientOptions.h"
#include "daemon/http/ClientResponse.h"
#include "daemon/http/Result.h"
#include "daemon/http/SseParser.h"
#include "daemon/http/StreamEnd.h"

namespace rollcall::daemon::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

// `path` is sent as given (already percent-encoded, may include "?query"). A body is sent with
// Content-Length when non-empty or when the method is POST/PUT/PATCH. Host, User-Agent, Accept and
// Connection: close are added unless given in `headers`.
Result<ClientResponse, ClientError> request(const std::string& host, std::uint16_t port, std::string_view method,
                                            std::string_view path, std::string_view body = {},
                                            const Headers& headers = {},
                                            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));
Result<ClientResponse, ClientError> request(const std::string& host, std::uint16_t port, std::string_view method,
                                            std::string_view path, std::string_view body, const Headers& headers,
                                            const ClientOptions& options);

// GETs `path` as text/event-stream and calls `on_event(event, data)` for each event until it
// returns false (stopped), the server closes (closed_by_server) or `deadline` passes (deadline).
// options.timeout bounds connecting and waiting for the response head. A non-200 answer is an
// error of kind http_status.
Result<StreamEnd, ClientError> stream_events(const std::string& host, std::uint16_t port, std::string_view path,
                                             const Headers& headers, const SseParser::OnEvent& on_event,
                                             std::chrono::steady_clock::time_point deadline,
                                             const ClientOptions& options = {});

}  // namespace rollcall::daemon::http
