// The wire codec: Messages.h structs <-> msgpack bytes. Pure functions, no I/O, thread-safe (the
// decoder keeps one scratch zone per thread). Called by the gossip engine (per packet) and by
// tests/benchmarks; the daemon and the simulator only see sealed bytes. The decoder never throws
// and never trusts a length: every failure is a DecodeError value.
//
// Layout (everything after the first byte is MessagePack; "u8" etc. are msgpack uints that the
// packer stores in the smallest form, "bin N" a msgpack bin of exactly N bytes):
//
//   packet        +------------+---------------------------------------------+
//                 | 0x01 (raw) | msgpack array [ message, message, ... ]     |
//                 +------------+---------------------------------------------+
//                  kProtocolVersion      N messages (fixarray/array16/array32)
//
//   message       [ u8 MsgType, field1, field2, ... ]          fields in struct order
//     Ping        [ 1, u32 seq, NodeId target, NodeId source, Address source_addr ]
//     PingReq     [ 2, u32 seq, NodeId target, Address target_addr, NodeId source,
//                      Address source_addr, bool want_nack ]
//     Ack         [ 3, u32 seq, NodeId source ]
//     Nack        [ 4, u32 seq, NodeId source ]
//     MemberUpdate[ 5, NodeId id, str name, Address, Incarnation, u8 state(0..3), NodeId from ]
//     StateDelta  [ 6, NodeId owner, [ StateEntry... ] ]
//     ClusterItem [ 7, ClusterItem ]
//     PushPullReq [ 8, bool join, [ Member... ], [ Digest... ], [ ClusterDigest... ]
//                      (, [ u64 summary... ]) ]     summary only when non-empty (ADR 0005)
//     PushPullResp[ 9, [ Member... ], [ Delta... ], [ ClusterItem... ], [ Digest... ],
//                      [ ClusterDigest... ] (, [ u64 summary... ]) ]
//     StatePush   [10, [ Delta... ], [ ClusterItem... ], [ Digest... ] ]
//   nested (no type byte):
//     Member        = [ NodeId id, str name, Address, Incarnation, u8 state, NodeId from ]
//     Delta         = [ NodeId owner, [ StateEntry... ] ]
//     Digest        = [ NodeId owner, u64 version ]
//     ClusterDigest = [ str key, u64 lamport, NodeId writer ]
//   NodeId        = bin 16
//   Address       = [ u8 family 0|4|6, bin 0|4|16 ip, u16 port ]
//   Incarnation   = [ u64 generation, u64 counter ]
//   StateEntry    = [ str key, u64 version, u8 tag, value ]       tag = index in StateValue
//     0 deleted        nil
//     1 ServerInfo     [ str name, str os_name, str os_version, [str addresses...],
//                        str agent_version, u32 protocol_version, str host_id, {str: str} labels ]
//     2 ComponentInfo  [ str kind, str version, str endpoint ]
//     3 Heartbeat      [ u64 counter ]
//     4 Verification   [ u8 result(0..2), str detail, i64 checked_age_ms ]
//     5 KeyFingerprint [ str fingerprint ]
//     6 KeyringInfo    [ [str installed...], str primary ]
//   ClusterItem   = [ str key, u64 lamport, NodeId writer, u8 tag, value array ]
//     0 ClusterConfig  [ bool load_balancing, bool automatic_failover, i64 heartbeat_interval_ms,
//                        i64 stale_timeout_ms, i64 web_stale_window_ms ]
//     1 Removal        [ NodeId server, str component, u64 owner_version, u64 generation,
//                        i64 removed_age_ms ]
//
// Compatibility rules: message types are append-only; a message of an unknown type is skipped
// (counted in DecodeResult::unknown_skipped) and the rest of the packet still decodes; trailing
// extra elements in any array above are ignored, so fields may only be appended; a missing field,
// a wrong type, an out-of-range enum or tag, or bytes after the array make the packet malformed.
// Limits: input <= max_bytes; arrays and maps <= min(kMaxElements, input size); nesting <=
// kMaxDepth; str and bin <= kMaxStr bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "gossip/wire/DecodeResult.h"
#include "gossip/wire/Messages.h"

namespace rollcall::gossip::wire {

using Bytes = std::vector<std::uint8_t>;

// Input size limits for decode_packet (bytes).
constexpr std::size_t kMaxDatagram = 64 * 1024;        // UDP path
constexpr std::size_t kMaxStream = 32 * 1024 * 1024;   // TCP push-pull path
// Structural limits applied while parsing (see the layout above).
constexpr std::size_t kMaxElements = 100'000;          // per array or map
constexpr std::size_t kMaxStr = 64 * 1024;             // per str, bin or ext
constexpr std::size_t kMaxDepth = 10;                  // deepest real nesting is 8 (PushPullResponse
                                                       // > delta > entries > ServerInfo > labels)

// One message, msgpack-encoded, without the version byte: the unit the engine queues and packs.
Bytes encode_message(const Message& m);
// Same, appended to `out` (lets hot paths reuse a buffer).
void append_message(Bytes& out, const Message& m);

// A whole plaintext packet (version byte + array of all `messages`).
Bytes encode_packet(std::span<const Message> messages);

// Decodes a plaintext packet. Never throws. `max_bytes`: kMaxDatagram for UDP, kMaxStream for
// streams.
DecodeResult decode_packet(std::span<const std::uint8_t> bytes, std::size_t max_bytes = kMaxDatagram);
// Same, into `out` (cleared first; its vector capacity is reused).
//
// Packets made only of pings, acks, ping-reqs and nacks in the packer's canonical form (nearly
// every datagram of a stable cluster) are read straight from the bytes; every other packet goes
// through msgpack's object tree. The fast path accepts a strict subset of the general decoder's
// input and gives the same result on it: a test compares them on mutated packets, and Debug and
// fuzz builds compare them on every packet.
void decode_packet_into(std::span<const std::uint8_t> bytes, DecodeResult& out,
                        std::size_t max_bytes = kMaxDatagram);
// The general decoder alone, without the fast path: the reference the fast path is checked against.
void decode_packet_general_into(std::span<const std::uint8_t> bytes, DecodeResult& out,
                                std::size_t max_bytes = kMaxDatagram);

}  // namespace rollcall::gossip::wire
