// Sample messages for the wire tests: every message type with non-trivial values, every StateValue
// and ClusterValue alternative, IPv4, IPv6 and unset addresses, extreme integers.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "gossip/wire/Messages.h"

namespace rollcall::gossip::wire::samples {

using namespace membership;

inline NodeId id(std::uint64_t n) { return NodeId::from_words(0xA1B2C3D4E5F60718ULL ^ n, n * 0x9E3779B97F4A7C15ULL); }
inline Address v4(std::uint16_t port = 7946) { return Address::v4(0x0A000001, port); }
inline Address v6(std::uint16_t port = 7946) {
  return Address::v6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef}, port);
}

inline MemberUpdate member(std::uint64_t n, MemberState st, Address a) {
  return MemberUpdate{id(n), "server-" + std::to_string(n) + "-é", a, Incarnation{n + 7, n * 3}, st, id(n + 100)};
}

inline std::vector<StateEntry> all_state_entries() {
  ServerInfo si{"web-01.example.com", "Debian GNU/Linux", "12", {"10.0.0.1", "2001:db8::1"}, "0.1.0", 1,
                "0123456789abcdef", {{"rack", "r7"}, {"zone", "eu-west-1a"}, {"", ""}}};
  return {
      StateEntry{"gone", 1, std::monostate{}},
      StateEntry{"server", 2, si},
      StateEntry{"server", 3, ServerInfo{}},
      StateEntry{"component/web", 4, ComponentInfo{"web", "2024.3", "http://10.0.0.5:8624"}},
      StateEntry{"heartbeat/web", std::numeric_limits<std::uint64_t>::max(),
                 Heartbeat{std::numeric_limits<std::uint64_t>::max()}},
      StateEntry{"verify/web", 6, Verification{Verification::Result::failed, "connect: refused", -12345}},
      StateEntry{"verify/service", 7,
                 Verification{Verification::Result::ok, "HTTP 200", std::numeric_limits<std::int64_t>::min()}},
      StateEntry{"key/encryption", 8, KeyFingerprint{"0123456789abcdef"}},
      StateEntry{"keyring", 9, KeyringInfo{{"deadbeef", "cafebabe"}, "cafebabe"}},
  };
}

inline std::vector<ClusterItem> all_cluster_items() {
  ClusterConfig cfg;
  cfg.load_balancing = false;
  cfg.heartbeat_interval_ms = 15'000;
  cfg.web_stale_window_ms = std::numeric_limits<std::int64_t>::max();
  return {
      ClusterItem{"config", 42, id(1), cfg},
      ClusterItem{"removal/x/web", 43, id(2), Removal{id(3), "web", 17, 0, 60'000}},
      ClusterItem{"removal/x", std::numeric_limits<std::uint64_t>::max(), id(4), Removal{id(5), "", 0, 9, -1}},
  };
}

inline std::vector<Message> all_messages() {
  std::vector<Message> out;
  out.push_back(Ping{std::numeric_limits<std::uint32_t>::max(), id(1), id(2), v4()});
  out.push_back(Ping{0, id(1), id(2), v6(0)});
  out.push_back(Ping{7, NodeId{}, id(2), Address{}.with_port(9)});
  out.push_back(PingReq{123456, id(3), v6(65535), id(4), v4(1), false});
  out.push_back(PingReq{1, id(3), v4(), id(4), v6(), true});
  out.push_back(Ack{99, id(5)});
  out.push_back(Nack{100, id(6)});
  out.push_back(member(1, MemberState::alive, v4()));
  out.push_back(member(2, MemberState::suspect, v6()));
  out.push_back(member(3, MemberState::dead, v4(1)));
  out.push_back(member(4, MemberState::left, v6(2)));
  out.push_back(StateDelta{id(7), all_state_entries()});
  out.push_back(StateDelta{id(8), {}});
  for (const auto& c : all_cluster_items()) out.push_back(ClusterItemMsg{c});
  out.push_back(PushPullRequest{true,
                                {member(10, MemberState::alive, v4()), member(11, MemberState::dead, v6())},
                                {DigestEntry{id(12), 5}, DigestEntry{id(13), std::numeric_limits<std::uint64_t>::max()}},
                                {ClusterDigestEntry{"config", 3, id(14)}}});
  out.push_back(PushPullRequest{});
  out.push_back(PushPullResponse{{member(20, MemberState::suspect, v4())},
                                 {StateDelta{id(21), all_state_entries()}, StateDelta{id(22), {}}},
                                 all_cluster_items(),
                                 {DigestEntry{id(23), 0}},
                                 {ClusterDigestEntry{"removal/x", 1, id(24)}, ClusterDigestEntry{"", 0, NodeId{}}}});
  out.push_back(PushPullResponse{});
  out.push_back(StatePush{{StateDelta{id(30), all_state_entries()}}, all_cluster_items(), {DigestEntry{id(30), 9}}});
  out.push_back(StatePush{});
  return out;
}

}  // namespace rollcall::gossip::wire::samples
