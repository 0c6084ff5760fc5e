#include "daemon/cli/ApiClient.h"

#include <iostream>

#include "daemon/cli/JsonGet.h"
#include "daemon/http/Client.h"

namespace rollcall::daemon::cli {

std::ostream& ApiClient::out() const { return target_.out ? *target_.out : std::cout; }
std::ostream& ApiClient::err() const { return target_.err ? *target_.err : std::cerr; }

std::string ApiClient::base_url() const {
  std::string host = target_.host.find(':') != std::string::npos ? "[" + target_.host + "]" : target_.host;
  return std::string(target_.tls ? "https://" : "http://") + host + ":" + std::to_string(target_.port);
}

std::string ApiClient::encode_segment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s;
  for (char ch : segment) {
    auto c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      s += ch;
    } else {
      s += '%';
      s += kHex[c >> 4];
      s += kHex[c & 15];
    }
  }
  return s;
}

ApiReply ApiClient::call(std::string_view method, std::string_view path, std::string_view body, Auth auth,
                         bool expect_json) const {
  http::Headers headers;
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  if (auth == Auth::bearer && !target_.token.empty()) headers.emplace_back("Authorization", "Bearer " + target_.token);
  http::ClientOptions options;
  options.timeout = target_.timeout;
  options.tls = target_.tls;
  options.tls_verify = target_.tls_verify;
  options.tls_ca_file = target_.tls_ca_file;
  auto result = http::request(target_.host, target_.port, method, path, body, headers, options);

  ApiReply reply;
  if (!result) {
    const auto& e = result.error();
    bool no_answer = e.kind != http::ClientError::Kind::bad_response && e.kind != http::ClientError::Kind::too_large;
    reply.exit_code = no_answer ? ExitCode::unreachable : ExitCode::failed;
    if (no_answer) {
      err() << "rollcall: cannot reach the agent at " << base_url() << ": " << e.message
            << " (is `rollcall agent` running there? --http-addr selects another agent)\n";
    } else {
      err() << "rollcall: bad answer from the agent at " << base_url() << ": " << e.message << "\n";
    }
    return reply;
  }
  reply.status = result->status;
  reply.raw = std::move(result->body);
  reply.body = nlohmann::json::parse(reply.raw, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = nullptr;

  if (reply.status >= 200 && reply.status < 300) {
    if (expect_json && reply.body.is_null()) {
      reply.exit_code = ExitCode::failed;
      err() << "rollcall: " << method << " " << path << ": the agent answered " << reply.status
            << " with a body that is not JSON\n";
    }
    return reply;
  }
  reply.exit_code = ExitCode::failed;
  const auto& error = field(reply.body, "error");
  std::string code = get_str(error, "code");
  std::string message = get_str(error, "message");
  if (message.empty() && reply.body.is_null()) {
    message = reply.raw.substr(0, 200);
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
  }
  err() << "rollcall: " << method << " " << path << " refused: HTTP " << reply.status;
  if (!code.empty()) err() << " " << code;
  if (!message.empty()) err() << ": " << message;
  err() << "\n";
  if (reply.status == 401)
    err() << "rollcall: this needs the admin token: pass --token-file FILE or set ROLLCALL_ADMIN_TOKEN\n";
  return reply;
}

}  // namespace rollcall::daemon::cli
