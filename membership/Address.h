// A transport address (IPv4 or IPv6 plus port) as the pure layers see it: a comparable, hashable
// value. The daemon converts to and from Asio endpoints; the simulator invents addresses.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::membership {

class Address {
 public:
  enum class Family : std::uint8_t { none = 0, v4 = 4, v6 = 6 };

  constexpr Address() = default;
  static Address v4(std::uint32_t ip_host_order, std::uint16_t port);
  static Address v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port);
  // "1.2.3.4:7950", "[::1]:7950". nullopt if malformed (no DNS here: the daemon resolves names).
  static std::optional<Address> parse(std::string_view text);
  // Same, for a bare IP literal without port ("1.2.3.4", "::1", "[::1]").
  static std::optional<Address> parse_ip(std::string_view text, std::uint16_t port);

  Family family() const { return family_; }
  bool valid() const { return family_ != Family::none; }
  std::uint16_t port() const { return port_; }
  const std::array<std::uint8_t, 16>& ip_bytes() const { return ip_; }  // v4 uses the first 4
  std::string ip_string() const;  // "1.2.3.4" or "::1"
  std::string to_string() const;  // "1.2.3.4:7950" or "[::1]:7950"
  Address with_port(std::uint16_t p) const {
    Address a = *this;
    a.port_ = p;
    return a;
  }
  bool is_loopback() const;
  std::uint64_t hash() const;

  friend constexpr auto operator<=>(const Address&, const Address&) = default;

 private:
  Family family_ = Family::none;
  std::array<std::uint8_t, 16> ip_{};
  std::uint16_t port_ = 0;
};

}  // namespace rollcall::membership

template <>
struct std::hash<rollcall::membership::Address> {
  std::size_t operator()(const rollcall::membership::Address& a) const noexcept {
    return static_cast<std::size_t>(a.hash());
  }
};
