// Conversions between the pure layers' Address and Asio endpoints. Used by the transports.
#pragma once

#include <asio.hpp>

#include "membership/Address.h"

namespace rollcall::daemon {

inline asio::ip::address to_asio_ip(const membership::Address& a) {
  if (a.family() == membership::Address::Family::v4) {
    asio::ip::address_v4::bytes_type b{};
    for (std::size_t i = 0; i < 4; ++i) b[i] = a.ip_bytes()[i];
    return asio::ip::address_v4(b);
  }
  asio::ip::address_v6::bytes_type b{};
  for (std::size_t i = 0; i < 16; ++i) b[i] = a.ip_bytes()[i];
  return asio::ip::address_v6(b);
}

inline membership::Address from_asio(const asio::ip::address& ip, unsigned short port) {
  if (ip.is_v4()) return membership::Address::v4(ip.to_v4().to_uint(), port);
  auto v6 = ip.to_v6();
  if (v6.is_v4_mapped()) return membership::Address::v4(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_uint(), port);
  std::array<std::uint8_t, 16> b{};
  auto bytes = v6.to_bytes();
  for (std::size_t i = 0; i < 16; ++i) b[i] = bytes[i];
  return membership::Address::v6(b, port);
}

template <class Endpoint>
membership::Address from_endpoint(const Endpoint& ep) {
  return from_asio(ep.address(), ep.port());
}

template <class Endpoint>
Endpoint to_endpoint(const membership::Address& a) {
  return Endpoint(to_asio_ip(a), a.port());
}

}  // namespace rollcall::daemon
