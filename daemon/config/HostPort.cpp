#include "daemon/config/HostPort.h"

#include <arpa/inet.h>

namespace rollcall::daemon::config {
namespace {

bool parse_port(std::string_view s, bool allow_zero, std::uint16_t& out) {
  if (s.empty() || s.size() > 5) return false;
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 65535 || (v == 0 && !allow_zero)) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

bool is_v6(const std::string& s) {
  in6_addr a;
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

bool is_v4(const std::string& s) {
  in_addr a;
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
              c == '_';
    if (!ok) return false;
  }
  return s.front() != '.' && s.front() != '-';
}

}  // namespace

std::optional<HostPort> HostPort::parse(std::string_view text, std::optional<std::uint16_t> default_port,
                                        bool allow_zero_port) {
  HostPort hp;
  std::string_view port_text;
  bool has_port = false;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hp.host = std::string(text.substr(1, close - 1));
    if (!is_v6(hp.host)) return std::nullopt;
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      // Several colons: a bare IPv6 address, allowed only without a port.
      hp.host = std::string(text);
      if (!is_v6(hp.host)) return std::nullopt;
    } else if (colon != std::string_view::npos) {
      hp.host = std::string(text.substr(0, colon));
      port_text = text.substr(colon + 1);
      has_port = true;
    } else {
      hp.host = std::string(text);
    }
    if (!is_v6(hp.host) && !valid_name(hp.host)) return std::nullopt;
  }
  if (has_port) {
    if (!parse_port(port_text, allow_zero_port, hp.port)) return std::nullopt;
  } else {
    if (!default_port) return std::nullopt;
    hp.port = *default_port;
  }
  return hp;
}

bool HostPort::is_ip_literal() const { return is_v4(host) || is_v6(host); }

std::string HostPort::to_string() const {
  bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace rollcall::daemon::config
