// A complete HTTP response as the blocking client (Client.h) returns it; used by the CLI and tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rollcall::daemon::http {

struct ClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // First header with this name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace rollcall::daemon::http
