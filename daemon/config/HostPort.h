// A "host:port" as written in the configuration: an IP literal ("10.0.0.5", "[::1]") or a DNS name
// ("seed.rollcall.svc") plus a port. Parsing is pure (no DNS); the agent resolves names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::daemon::config {

struct HostPort {
  std::string host;  // without brackets: "::1"
  std::uint16_t port = 0;

  // "host:port", "[v6]:port", or a bare host when `default_port` is given. Ports 0..65535 (0 only
  // if allow_zero_port). nullopt when malformed: empty host, bad port, unbracketed IPv6 with port.
  static std::optional<HostPort> parse(std::string_view text, std::optional<std::uint16_t> default_port = std::nullopt,
                                       bool allow_zero_port = false);
  bool is_ip_literal() const;
  std::string to_string() const;  // "10.0.0.5:7950", "[::1]:7950"

  friend bool operator==(const HostPort&, const HostPort&) = default;
};

}  // namespace rollcall::daemon::config
