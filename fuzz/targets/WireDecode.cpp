// Target wire_decode: decode_packet on arbitrary bytes (stream and datagram limits, fresh and
// reused result), and for every packet that decodes: encode it again and decode that, which must
// give the same messages (the codec is its own inverse on everything it accepts).
#include "fuzz/Targets.h"
#include "gossip/wire/Codec.h"

namespace rollcall::fuzz {

int wire_decode(Input in) {
  namespace wire = gossip::wire;
  const auto r = wire::decode_packet(in, wire::kMaxStream);
  check(!r.ok() || r.detail.empty(), "wire_decode", "detail is empty on success");
  check(r.ok() || r.messages.empty(), "wire_decode", "a failed decode returns no messages");

  static wire::DecodeResult reused;  // decode_packet_into must not depend on what `out` held
  wire::decode_packet_into(in, reused, wire::kMaxStream);
  check(reused.error == r.error && reused.messages == r.messages, "wire_decode", "decode_packet_into differs");

  const auto d = wire::decode_packet(in, wire::kMaxDatagram);
  if (in.size() <= wire::kMaxDatagram) check(d.error == r.error, "wire_decode", "datagram limit changed the result");

  if (r.ok()) {
    const auto again = wire::encode_packet(r.messages);
    const auto r2 = wire::decode_packet(again, wire::kMaxStream);
    check(r2.ok(), "wire_decode", "re-encoded packet does not decode");
    check(r2.messages == r.messages, "wire_decode", "round trip changed the messages");
    check(r2.unknown_skipped == 0, "wire_decode", "re-encoded packet has unknown messages");
  }
  return 0;
}

}  // namespace rollcall::fuzz
