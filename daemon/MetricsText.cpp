#include "daemon/MetricsText.h"

#include <fmt/format.h>

namespace rollcall::daemon {

namespace {
class Writer {
 public:
  void counter(std::string_view name, std::string_view help, std::uint64_t v) { family(name, help, "counter", v); }
  void gauge(std::string_view name, std::string_view help, double v) { family(name, help, "gauge", v); }
  void header(std::string_view name, std::string_view help, std::string_view type) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  }
  void sample(std::string_view name, std::string_view labels, double v) {
    out_ += fmt::format("{}{{{}}} {}\n", name, labels, v);
  }
  std::string take() { return std::move(out_); }

 private:
  template <class T>
  void family(std::string_view name, std::string_view help, std::string_view type, T v) {
    header(name, help, type);
    out_ += fmt::format("{} {}\n", name, v);
  }
  std::string out_;
};
}  // namespace

std::string render_metrics(const gossip::Engine& engine, const http::Server::Stats& http, const AgentCounters& agent) {
  const auto& m = engine.metrics();
  Writer w;
  std::uint64_t by_state[4] = {0, 0, 0, 0};
  engine.members().for_each([&](const membership::Member& mem) { by_state[static_cast<int>(mem.state)]++; });
  w.header("rollcall_members", "Members known to this agent, by SWIM state (self included).", "gauge");
  for (int s = 0; s < 4; ++s)
    w.sample("rollcall_members", fmt::format("state=\"{}\"", membership::to_string(static_cast<membership::MemberState>(s))),
             static_cast<double>(by_state[s]));
  w.gauge("rollcall_health_multiplier", "Lifeguard local health score (0 = healthy); probe timing is scaled by score+1.",
          engine.health());
  w.gauge("rollcall_broadcast_queue_depth", "Updates waiting to be piggybacked.", static_cast<double>(engine.queue_depth()));
  w.gauge("rollcall_open_suspicions", "Members currently suspected by this agent.", static_cast<double>(engine.open_suspicions()));
  w.gauge("rollcall_incarnation", "This agent's incarnation counter (bumped on every refutation).",
          static_cast<double>(engine.incarnation().counter));
  w.gauge("rollcall_generation", "This agent's generation (bumped at every start).",
          static_cast<double>(engine.incarnation().generation));
  w.counter("rollcall_probes_sent_total", "Direct probes (pings) sent.", m.probes_sent);
  w.counter("rollcall_probes_failed_total", "Probe periods that ended without any ack.", m.probes_failed);
  w.counter("rollcall_indirect_probes_total", "Probes that needed ping-req relays.", m.indirect_probes);
  w.counter("rollcall_tcp_fallback_probes_total", "TCP fallback pings opened.", m.tcp_fallback_probes);
  w.counter("rollcall_acks_received_total", "Acks received.", m.acks_received);
  w.counter("rollcall_nacks_received_total", "Nacks received from relays.", m.nacks_received);
  w.counter("rollcall_nacks_sent_total", "Nacks sent as a relay.", m.nacks_sent);
  w.counter("rollcall_suspicions_raised_total", "Suspicions this agent started.", m.suspicions_raised);
  w.counter("rollcall_suspicions_heard_total", "Suspicions this agent learned from any source.", m.suspicions_heard);
  w.counter("rollcall_refutations_total", "Times this agent refuted a suspicion about itself.", m.refutations);
  w.counter("rollcall_dead_declared_total", "Members this agent declared dead.", m.dead_declared);
  w.counter("rollcall_packets_in_total", "UDP datagrams received.", m.packets_in);
  w.counter("rollcall_packets_out_total", "UDP datagrams sent.", m.packets_out);
  w.counter("rollcall_bytes_in_total", "UDP bytes received.", m.bytes_in);
  w.counter("rollcall_bytes_out_total", "UDP bytes sent.", m.bytes_out);
  w.counter("rollcall_stream_bytes_in_total", "TCP gossip bytes received.", m.stream_bytes_in);
  w.counter("rollcall_stream_bytes_out_total", "TCP gossip bytes sent.", m.stream_bytes_out);
  w.counter("rollcall_decrypt_failures_total", "Packets or frames that failed authentication (wrong key, other cluster, tampering).",
            m.decrypt_failures);
  w.counter("rollcall_malformed_packets_total", "Packets that failed to decode.", m.malformed_packets);
  w.counter("rollcall_unknown_messages_total", "Messages of unknown type skipped.", m.unknown_messages);
  w.counter("rollcall_anti_entropy_rounds_total", "Push-pull exchanges started.", m.push_pulls);
  w.counter("rollcall_anti_entropy_failures_total", "Push-pull exchanges that failed.", m.push_pull_failures);
  w.counter("rollcall_state_entries_applied_total", "Replicated state entries accepted from peers.", m.state_entries_applied);
  w.counter("rollcall_eager_gossip_rounds_total", "Gossip rounds sent at once for fresh news instead of at the next tick.",
            m.eager_rounds);
  w.counter("rollcall_anti_entropy_in_sync_total", "Hash-first push-pulls that found the peer identical (hashes only sent).",
            m.push_pulls_in_sync);
  w.counter("rollcall_repair_pulls_total", "Push-pulls opened because a peer spoke of a member missing here.", m.repair_pulls);
  w.counter("rollcall_catch_up_pulls_total", "Push-pulls opened because the broadcast queue held news about most members.", m.catch_up_pulls);
  w.counter("rollcall_suspicion_checks_total",
            "Direct pings sent to a suspect just before its suspicion would expire (the last check).",
            m.suspicion_checks);
  w.counter("rollcall_suspicion_reprieves_total",
            "Suspects that answered the last check: not declared dead, the suspicion waits again.",
            m.suspicion_reprieves);
  w.counter("rollcall_watermark_resets_total", "Anti-entropy watermarks forgotten after two exchanges that found different state and brought nothing.",
            m.watermark_resets);
  w.counter("rollcall_early_suspicions_total", "Probes concluded before the period's end: every relay nacked and the TCP fallback failed.",
            m.early_suspicions);
  w.counter("rollcall_udp_send_errors_total", "UDP sends that failed locally.", agent.udp_send_errors);
  w.counter("rollcall_streams_rejected_total", "Incoming gossip TCP connections refused (over the limit).", agent.streams_rejected);
  w.counter("rollcall_persist_failures_total", "Failed writes to the data directory.", agent.persist_failures);
  w.counter("rollcall_http_requests_total", "HTTP requests handled.", agent.http_requests);
  w.header("rollcall_http_responses_total", "HTTP responses by status class.", "counter");
  w.sample("rollcall_http_responses_total", "class=\"2xx\"", static_cast<double>(http.responses_2xx));
  w.sample("rollcall_http_responses_total", "class=\"4xx\"", static_cast<double>(http.responses_4xx));
  w.sample("rollcall_http_responses_total", "class=\"5xx\"", static_cast<double>(http.responses_5xx));
  w.counter("rollcall_http_rejected_connections_total", "HTTP connections refused (over the limit or failed TLS).",
            http.rejected_connections);
  w.gauge("rollcall_http_open_connections", "Open HTTP connections.", static_cast<double>(http.open_connections));
  w.gauge("rollcall_event_stream_clients", "Connected /v1/events clients.", static_cast<double>(agent.sse_clients));
  return w.take();
}

}  // namespace rollcall::daemon
