// The agent's HTTP routes: the cluster table, the SWIM view, live events, config and removal
// writes (admin token), the local product endpoints (loopback only), keys, health, readiness,
// metrics and the embedded page. Translates requests into Agent calls; holds no state of its own.
#pragma once

#include <string>

#include "daemon/http/Request.h"
#include "daemon/http/Responder.h"

namespace rollcall::daemon {

class Agent;

class HttpApi {
 public:
  explicit HttpApi(Agent& agent) : agent_(agent) {}
  void handle(const http::Request& req, http::Responder res);

 private:
  // nullopt if authorized; else the error response (401 without a token, 403 with a wrong one).
  bool authorize(const http::Request& req, const http::Responder& res);
  Agent& agent_;
};

}  // namespace rollcall::daemon
