#include "daemon/HttpApi.h"

#include <vector>

#include "daemon/Agent.h"
#include "daemon/api/TableJson.h"
#include "daemon/web/Assets.h"

namespace rollcall::daemon {

namespace {

http::Response json_response(int status, const nlohmann::json& body) {
  http::Response r;
  r.status = status;
  r.body = api::to_text(body);
  return r;
}

void reply(const http::Responder& res, const ApiResult& r) { res.respond(json_response(r.status, r.body)); }

void error(const http::Responder& res, int status, std::string code, std::string message) {
  reply(res, ApiResult::error(status, std::move(code), std::move(message)));
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : path) {
    if (c == '/') {
      if (!cur.empty()) parts.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(std::move(cur));
  return parts;
}

bool parse_body(const http::Request& req, const http::Responder& res, nlohmann::json& out) {
  out = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded() || !out.is_object()) {
    error(res, 400, "BAD_JSON", "the request body must be a JSON object");
    return false;
  }
  return true;
}

}  // namespace

bool HttpApi::authorize(const http::Request& req, const http::Responder& res) {
  const auto& token = agent_.admin_token();
  if (token.empty()) {
    error(res, 403, "WRITES_DISABLED", "no admin token is configured on this agent ([http] admin_token_file or ROLLCALL_ADMIN_TOKEN)");
    return false;
  }
  auto h = req.header("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!h || h->size() <= kBearer.size() || h->substr(0, kBearer.size()) != kBearer) {
    http::Response r = json_response(401, ApiResult::error(401, "UNAUTHORIZED", "an admin token is required: Authorization: Bearer <token>").body);
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    res.respond(std::move(r));
    return false;
  }
  const auto given = h->substr(kBearer.size());
  if (!token.equals(given)) {
    error(res, 403, "FORBIDDEN", "the admin token is not valid");
    return false;
  }
  return true;
}

void HttpApi::handle(const http::Request& req, http::Responder res) {
  agent_.count_request();
  const auto parts = split_path(req.path);
  const std::string& m = req.method;
  auto is = [&](std::initializer_list<std::string_view> want) {
    if (parts.size() != want.size()) return false;
    std::size_t i = 0;
    for (auto w : want) {
      if (w != "*" && parts[i] != w) return false;
      ++i;
    }
    return true;
  };

  // Liveness of this agent only: never fails because of other servers' problems.
  if (is({"health"}) && m == "GET") return reply(res, ApiResult::ok({{"status", "ok"}}));
  if (is({"ready"}) && m == "GET") return reply(res, agent_.ready());
  if (is({"metrics"}) && m == "GET") {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = agent_.metrics_text();
    return res.respond(std::move(r));
  }
  if (parts.size() >= 1 && parts[0] == "v1") {
    if (is({"v1", "cluster"}) && m == "GET") {
      http::Response r;
      r.body = agent_.cluster_text();
      return res.respond(std::move(r));
    }
    if (is({"v1", "members"}) && m == "GET") return reply(res, ApiResult::ok(agent_.members_json()));
    if (is({"v1", "events"}) && m == "GET") return agent_.subscribe(res.start_events());
    if (is({"v1", "config"})) {
      if (m == "GET") return reply(res, ApiResult::ok(agent_.config_json()));
      if (m == "PUT") {
        if (!authorize(req, res)) return;
        nlohmann::json body;
        if (!parse_body(req, res, body)) return;
        return reply(res, agent_.put_config(body));
      }
      return error(res, 405, "METHOD_NOT_ALLOWED", "use GET or PUT on /v1/config");
    }
    if (is({"v1", "servers", "*"}) && m == "DELETE") {
      if (!authorize(req, res)) return;
      return reply(res, agent_.remove_server(parts[2]));
    }
    if (is({"v1", "servers", "*", "components", "*"}) && m == "DELETE") {
      if (!authorize(req, res)) return;
      return reply(res, agent_.remove_component(parts[2], parts[4]));
    }
    if (is({"v1", "keys"}) && m == "GET") return reply(res, agent_.keys_json());
    if (parts.size() == 3 && parts[1] == "keys" && m == "POST") {
      if (!authorize(req, res)) return;
      nlohmann::json body;
      if (!parse_body(req, res, body)) return;
      return reply(res, agent_.keys_op(parts[2], body));
    }
    if (is({"v1", "leave"}) && m == "POST") {
      if (!req.remote_is_loopback) return error(res, 403, "LOCAL_ONLY", "this endpoint only accepts loopback clients");
      return reply(res, agent_.leave());
    }
    if (parts.size() == 4 && parts[1] == "local") {
      if (!req.remote_is_loopback) return error(res, 403, "LOCAL_ONLY", "this endpoint only accepts loopback clients");
      if (parts[2] == "heartbeat" && m == "POST") return reply(res, agent_.heartbeat(parts[3]));
      if (parts[2] == "components" && m == "PUT") {
        nlohmann::json body;
        if (!parse_body(req, res, body)) return;
        return reply(res, agent_.update_component(parts[3], body));
      }
    }
    return error(res, 404, "NOT_FOUND", "no such endpoint: " + m + " " + req.path);
  }
  if (m == "GET" || m == "HEAD") {
    if (const auto* asset = web::find_asset(req.path)) {
      http::Response r;
      r.content_type = std::string(asset->content_type);
      r.body = std::string(asset->body);
      r.headers.emplace_back("ETag", std::string(asset->etag));
      r.headers.emplace_back("Cache-Control", "no-cache");
      r.headers.emplace_back("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'");
      return res.respond(std::move(r));
    }
  }
  error(res, 404, "NOT_FOUND", "no such endpoint: " + m + " " + req.path);
}

}  // namespace rollcall::daemon
