// The outcome of one client call to the agent's HTTP API (ApiClient::call): the exit code it maps
// to (ExitCode.h), the HTTP status and the body, parsed as JSON when it is JSON. Used by
// Commands.cpp only.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "daemon/cli/ExitCode.h"

namespace rollcall::daemon::cli {

struct ApiReply {
  int exit_code = ExitCode::ok;  // ok (2xx), failed (4xx/5xx, bad answer) or unreachable
  int status = 0;                // HTTP status; 0 when there was no answer
  nlohmann::json body;           // parsed body; null when empty or not JSON
  std::string raw;               // body as received

  bool ok() const { return exit_code == ExitCode::ok; }
};

}  // namespace rollcall::daemon::cli
