#include "daemon/cli/TargetSetup.h"

#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iostream>

namespace rollcall::daemon::cli {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> parse_http_addr(std::string_view addr, Target& target) {
  std::string_view a = trim(addr);
  bool tls = false;
  if (a.starts_with("https://")) {
    tls = true;
    a.remove_prefix(8);
  } else if (a.starts_with("http://")) {
    a.remove_prefix(7);
  }
  if (!a.empty() && a.back() == '/') a.remove_suffix(1);
  if (a.empty()) return "empty --http-addr (expected host:port)";
  if (a.find('/') != std::string_view::npos) return "--http-addr \"" + std::string(addr) + "\": a path is not allowed";
  std::string_view host = a, port_text;
  if (a.front() == '[') {
    auto close = a.find(']');
    if (close == std::string_view::npos) return "--http-addr \"" + std::string(addr) + "\": missing ']'";
    host = a.substr(1, close - 1);
    std::string_view rest = a.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "--http-addr \"" + std::string(addr) + "\": expected ':' after ']'";
      port_text = rest.substr(1);
      if (port_text.empty()) return "--http-addr \"" + std::string(addr) + "\": empty port";
    }
  } else {
    auto colon = a.rfind(':');
    if (colon != std::string_view::npos) {
      if (a.find(':') != colon) return "--http-addr \"" + std::string(addr) + "\": write IPv6 addresses as [addr]:port";
      host = a.substr(0, colon);
      port_text = a.substr(colon + 1);
      if (port_text.empty()) return "--http-addr \"" + std::string(addr) + "\": empty port";
    }
  }
  if (host.empty()) return "--http-addr \"" + std::string(addr) + "\": empty host";
  std::uint16_t port = 7951;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return "--http-addr \"" + std::string(addr) + "\": port must be a number in 1..65535";
    port = static_cast<std::uint16_t>(value);
  }
  target.host = std::string(host);
  target.port = port;
  target.tls = tls;
  return std::nullopt;
}

std::optional<std::string> load_token(const std::string& token_file, const char* env_value, Target& target) {
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!in) return "cannot read the token file " + token_file;
    std::string line;
    std::getline(in, line);
    std::string_view t = trim(line);
    if (t.empty()) return "the token file " + token_file + " is empty";
    target.token = std::string(t);
    return std::nullopt;
  }
  if (env_value) target.token = std::string(trim(env_value));
  return std::nullopt;
}

std::optional<std::string> make_target(const std::string& http_addr, const std::string& token_file,
                                       Target& target) {
  std::string addr = http_addr;
  if (addr.empty()) {
    const char* env = std::getenv("ROLLCALL_HTTP_ADDR");
    if (env && *env) addr = env;
  }
  if (!addr.empty())
    if (auto error = parse_http_addr(addr, target)) return error;
  return load_token(token_file, std::getenv("ROLLCALL_ADMIN_TOKEN"), target);
}

bool use_color(const Target& target) {
  if (!target.color_auto) return false;
  if (target.out != nullptr && target.out != &std::cout) return false;
  if (!::isatty(STDOUT_FILENO)) return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return true;
}

}  // namespace rollcall::daemon::cli
