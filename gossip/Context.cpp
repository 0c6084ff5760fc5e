#include "gossip/Context.h"

#include "gossip/Formulas.h"
#include "gossip/wire/Codec.h"
#include "gossip/wire/PacketWriter.h"

namespace rollcall::gossip {

Context::Context(Config c, Identity s, crypto::Envelope env, std::uint64_t seed)
    : awareness(c.awareness_max),  // (declared before cfg: read from the argument, not yet moved)
      rng(seed),
      queue(c.broadcast_queue_limit),
      cfg(std::move(c)),
      self(std::move(s)),
      incarnation{self.generation, 0},
      table(self.id),
      envelope(std::move(env)) {}

Duration Context::probe_interval() const { return formulas::scale_by_health(cfg.probe_interval, awareness.score()); }
Duration Context::probe_timeout() const { return formulas::scale_by_health(cfg.probe_timeout, awareness.score()); }
std::uint32_t Context::transmit_limit() const {
  return formulas::retransmit_limit(cfg.retransmit_mult, table.live_count());
}
std::size_t Context::plaintext_limit() const { return cfg.mtu - envelope.overhead(); }

namespace {
// send()'s scratch, kept between datagrams so that packing one allocates nothing (only the sealed
// bytes handed to the driver are new). One per thread, shared by every engine the thread runs:
// a simulator drives hundreds, and one buffer stays in the cache where one per engine would not.
// send() never reenters itself.
struct SendScratch {
  wire::PacketWriter writer{0};
  Bytes message;
};
SendScratch& send_scratch() {
  thread_local SendScratch s;
  return s;
}
}  // namespace

void Context::send(const Address& to, std::span<const wire::Message> primaries, bool piggyback) {
  SendScratch& scratch = send_scratch();
  wire::PacketWriter& writer = scratch.writer;  // (not a structured binding: clang 14 cannot capture one)
  Bytes& encode_scratch = scratch.message;
  if (writer.limit() != plaintext_limit()) writer.reset(plaintext_limit());
  writer.clear();
  for (const auto& m : primaries) {
    encode_scratch.clear();
    wire::append_message(encode_scratch, m);
    if (!writer.add(encode_scratch)) return;  // a primary that cannot fit is a bug in the caller; drop
  }
  if (piggyback && !queue.empty()) {
    // Visit a bounded number of queued items: O(1) per packet whatever the queue size.
    queue.fill(transmit_limit(), 64, [&](std::span<const std::uint8_t> item) { return writer.add(item); });
  }
  if (writer.count() == 0) return;
  auto sealed = envelope.seal(writer.view());
  writer.clear();
  metrics.packets_out++;
  metrics.bytes_out += sealed.size();
  out.datagrams.push_back({to, std::move(sealed)});
}

Bytes Context::seal_stream(wire::Message m) {
  auto plain = wire::encode_packet(std::span<const wire::Message>(&m, 1));
  auto sealed = envelope.seal(plain);
  metrics.streams_out++;
  metrics.stream_bytes_out += sealed.size();
  return sealed;
}

void Context::broadcast_member(const wire::MemberUpdate& u, bool priority) {
  ++news;
  auto bytes = wire::encode_message(wire::Message{u});
  bytes.shrink_to_fit();  // queued for many gossip rounds: keep only what it needs
  queue.push(BroadcastQueue::member_key(u.id), u.id, std::move(bytes),
             priority ? BroadcastQueue::Tier::urgent : BroadcastQueue::Tier::member);
}

void Context::broadcast_state(const NodeId& owner, const membership::StateEntry& e) {
  if (is_lazy_key(e.key)) return;
  ++news;
  wire::StateDelta d{owner, {e}};
  auto bytes = wire::encode_message(wire::Message{std::move(d)});
  // Too large for one datagram: anti-entropy carries it.
  if (bytes.size() + 8 > plaintext_limit()) return;
  bytes.shrink_to_fit();
  queue.push(BroadcastQueue::state_key(owner, e.key), owner, std::move(bytes), BroadcastQueue::Tier::state);
}

void Context::broadcast_cluster(const membership::ClusterItem& item) {
  ++news;
  auto bytes = wire::encode_message(wire::Message{wire::ClusterItemMsg{item}});
  if (bytes.size() + 8 > plaintext_limit()) return;
  bytes.shrink_to_fit();
  queue.push(BroadcastQueue::cluster_key(item.key), NodeId{}, std::move(bytes), BroadcastQueue::Tier::state);
}

wire::MemberUpdate Context::self_update(membership::MemberState s) const {
  return wire::MemberUpdate{self.id, self.name, self.address, incarnation, s, self.id};
}

wire::MemberUpdate Context::to_update(const membership::Member& m, const NodeId& from) {
  return wire::MemberUpdate{m.id, m.name, m.address, m.incarnation, m.state, from};
}

membership::Member Context::new_member(const wire::MemberUpdate& u, Instant now) {
  membership::Member m;
  m.id = u.id;
  m.name = u.name;
  m.address = u.address;
  m.incarnation = u.incarnation;
  m.state = membership::MemberState::alive;
  m.state_since = now;
  return m;
}

void Context::write_local(membership::StateEntry e, Instant now) {
  e.version = ++local_version;
  const membership::StateEntry one[] = {e};
  store.apply(self.id, one, now);
  if (started) broadcast_state(self.id, e);
  emit(Event{Event::Kind::state_changed, self.id, self.name, membership::MemberState::alive, incarnation, e.key});
}

bool Context::is_lazy_key(const std::string& key) { return key.rfind("heartbeat/", 0) == 0; }

}  // namespace rollcall::gossip
