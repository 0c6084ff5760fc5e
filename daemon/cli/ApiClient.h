// The client side of the agent's HTTP API for the `rollcall` subcommands: sends one request to the
// Target (adding the Bearer token when asked), parses the JSON answer and maps failures to exit
// codes, printing one clear line to target.err (never the token). Used by Commands.cpp.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "daemon/cli/ApiReply.h"
#include "daemon/cli/Target.h"

namespace rollcall::daemon::cli {

class ApiClient {
 public:
  enum class Auth { none, bearer };

  explicit ApiClient(const Target& target) : target_(target) {}

  // `path` must already be percent-encoded (see encode_segment). A 2xx answer whose body is not
  // JSON is a failure only when `expect_json`.
  ApiReply call(std::string_view method, std::string_view path, std::string_view body = {},
                Auth auth = Auth::none, bool expect_json = true) const;

  std::ostream& out() const;
  std::ostream& err() const;
  std::string base_url() const;  // "http://127.0.0.1:7951" for messages

  // One path segment percent-encoded (RFC 3986 unreserved characters kept).
  static std::string encode_segment(std::string_view segment);

 private:
  const Target& target_;
};

}  // namespace rollcall::daemon::cli
