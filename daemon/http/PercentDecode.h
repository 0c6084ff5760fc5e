// Percent-decoding of URL paths and query parts (RFC 3986), used by the server's request parsing
// and Request::query_param. Pure functions, callable from anywhere.
#pragma once

#include <string>
#include <string_view>

namespace rollcall::daemon::http {

// Appends the decoded form of `in` to `out` (after clearing it). False on a malformed escape
// ("%4", "%zz") or a decoded NUL byte. `plus_is_space` for query strings.
bool percent_decode(std::string_view in, std::string& out, bool plus_is_space = false);

// Encodes everything except unreserved characters and '/' (for building request paths).
std::string percent_encode_path(std::string_view in);

}  // namespace rollcall::daemon::http
