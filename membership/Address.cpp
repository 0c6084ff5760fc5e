#include "membership/Address.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace rollcall::membership {

Address Address::v4(std::uint32_t ip, std::uint16_t port) {
  Address a;
  a.family_ = Family::v4;
  a.ip_[0] = static_cast<std::uint8_t>(ip >> 24);
  a.ip_[1] = static_cast<std::uint8_t>(ip >> 16);
  a.ip_[2] = static_cast<std::uint8_t>(ip >> 8);
  a.ip_[3] = static_cast<std::uint8_t>(ip);
  a.port_ = port;
  return a;
}

Address Address::v6(const std::array<std::uint8_t, 16>& ip, std::uint16_t port) {
  Address a;
  a.family_ = Family::v6;
  a.ip_ = ip;
  a.port_ = port;
  return a;
}

std::optional<Address> Address::parse_ip(std::string_view text, std::uint16_t port) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[64];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Address a;
  a.port_ = port;
  if (text.find(':') == std::string_view::npos) {
    in_addr v4{};
    if (inet_pton(AF_INET, buf, &v4) != 1) return std::nullopt;
    a.family_ = Family::v4;
    std::memcpy(a.ip_.data(), &v4, 4);
  } else {
    in6_addr v6{};
    if (inet_pton(AF_INET6, buf, &v6) != 1) return std::nullopt;
    a.family_ = Family::v6;
    std::memcpy(a.ip_.data(), &v6, 16);
  }
  return a;
}

std::optional<Address> Address::parse(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = text.substr(0, close + 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc{} || ptr != port.data() + port.size() || p > 65535 || port.empty()) return std::nullopt;
  return parse_ip(host, static_cast<std::uint16_t>(p));
}

std::string Address::ip_string() const {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (family_ == Family::v4) {
    inet_ntop(AF_INET, ip_.data(), buf, sizeof buf);
  } else if (family_ == Family::v6) {
    inet_ntop(AF_INET6, ip_.data(), buf, sizeof buf);
  } else {
    return "?";
  }
  return buf;
}

std::string Address::to_string() const {
  std::string out;
  out.reserve(56);
  if (family_ == Family::v6) out.push_back('[');
  out.append(ip_string());
  if (family_ == Family::v6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(port_));
  return out;
}

bool Address::is_loopback() const {
  if (family_ == Family::v4) return ip_[0] == 127;
  if (family_ == Family::v6) {
    for (int i = 0; i < 15; ++i)
      if (ip_[static_cast<std::size_t>(i)] != 0) {
        // v4-mapped loopback ::ffff:127.x.x.x
        static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        return std::memcmp(ip_.data(), kMapped, 12) == 0 && ip_[12] == 127;
      }
    return ip_[15] == 1;
  }
  return false;
}

std::uint64_t Address::hash() const {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::uint8_t b) { h = (h ^ b) * 1099511628211ULL; };
  mix(static_cast<std::uint8_t>(family_));
  for (auto b : ip_) mix(b);
  mix(static_cast<std::uint8_t>(port_ >> 8));
  mix(static_cast<std::uint8_t>(port_));
  return h;
}

}  // namespace rollcall::membership
