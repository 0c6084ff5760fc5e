// What the engine asks of its driver after each input. The driver drains it (Engine::drain) after
// every call into the engine: sends each datagram, opens each stream, writes each stream reply,
// arms each timer, publishes each event. Nothing in here refers to a socket or a clock.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "gossip/Timer.h"
#include "membership/Address.h"
#include "membership/Incarnation.h"
#include "membership/MemberState.h"
#include "membership/NodeId.h"
#include "membership/Time.h"

namespace rollcall::gossip {

using membership::Address;
using membership::Duration;
using membership::Instant;
using membership::NodeId;
using Bytes = std::vector<std::uint8_t>;

// A sealed UDP datagram, never larger than the configured MTU.
struct Datagram {
  Address to;
  Bytes bytes;
};

// Open a stream (TCP) to `to`, write `bytes` as one length-prefixed frame. If `expect_reply`, read
// one frame back and hand it to Engine::on_stream_reply(id, ...), or call on_stream_failed(id, ...)
// on any error or after `timeout`. Otherwise close after writing.
struct StreamOpen {
  std::uint64_t id = 0;
  Address to;
  Bytes bytes;
  bool expect_reply = true;
  Duration timeout{};
};

// Reply on an incoming stream connection (the `conn` given to Engine::on_stream). An incoming
// stream that gets no reply during on_stream is closed by the driver.
struct StreamReply {
  std::uint64_t conn = 0;
  Bytes bytes;
};

struct TimerArm {
  Instant at;
  Timer timer;
};

// Membership events, for logs, metrics and live pages.
struct Event {
  enum class Kind : std::uint8_t {
    member_joined,      // first heard of a member (alive)
    member_updated,     // name/address/incarnation changed while alive
    member_suspect,
    member_alive,       // back to alive from suspect/dead (refuted or restarted)
    member_dead,
    member_left,
    member_forgotten,   // dead/left member reaped after the retention time
    state_changed,      // a node's replicated state changed (subject = owner)
    cluster_changed,    // a cluster item (config, removal) changed (detail = key)
    name_conflict,      // two live ids claim one name (detail = name)
    refuted,            // we refuted a suspicion about ourselves
    join_completed,     // first successful push-pull after join()
    join_failed,        // a seed could not be reached (detail = address)
    decrypt_failed,     // a packet failed authentication (detail = from address)
    malformed_packet,   // a packet failed to decode (detail = reason)
    leave_completed,
  };
  Kind kind;
  NodeId subject;
  std::string name;
  membership::MemberState state = membership::MemberState::alive;
  membership::Incarnation incarnation;
  std::string detail;
};

struct Outbox {
  std::vector<Datagram> datagrams;
  std::vector<StreamOpen> streams;
  std::vector<StreamReply> replies;
  std::vector<TimerArm> timers;
  std::vector<Event> events;

  bool empty() const {
    return datagrams.empty() && streams.empty() && replies.empty() && timers.empty() && events.empty();
  }
  void clear() {
    datagrams.clear();
    streams.clear();
    replies.clear();
    timers.clear();
    events.clear();
  }
};

}  // namespace rollcall::gossip
