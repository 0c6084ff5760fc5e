#pragma once
// Small text helpers shared by the HTTP server and client: header names compare without case, and
// "host:port" with IPv6 literals bracketed.

#include <cstdint>
#include <string>
#include <string_view>

namespace rollcall::daemon::http {

// ASCII case-insensitive equality (header names, tokens such as "100-continue").
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

// "host:port"; an IPv6 literal (one that contains ':' and is not already bracketed) gets brackets.
inline std::string host_port(const std::string& host, std::uint16_t port) {
  bool v6 = host.find(':') != std::string::npos && host.front() != '[';
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace rollcall::daemon::http
