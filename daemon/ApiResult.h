// The outcome of an API operation on the agent: an HTTP status and a JSON body, or an error with
// a stable code and a message for a person. Built by Agent, turned into a response by HttpApi.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rollcall::daemon {

struct ApiResult {
  int status = 200;
  nlohmann::json body;

  static ApiResult ok(nlohmann::json b, int status = 200) { return {status, std::move(b)}; }
  static ApiResult error(int status, std::string code, std::string message) {
    return {status, nlohmann::json{{"error", {{"code", std::move(code)}, {"message", std::move(message)}}}}};
  }
};

}  // namespace rollcall::daemon
