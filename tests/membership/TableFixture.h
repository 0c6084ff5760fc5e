// Test helper: builds one observer's view (members, replicated state, cluster items) the way the
// engine would feed it, with explicit instants on the observer's clock, and derives the table.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "membership/ClusterItems.h"
#include "membership/Member.h"
#include "membership/StateKeys.h"
#include "membership/StateStore.h"
#include "membership/TableBuilder.h"

namespace rollcall::membership::testing {

inline Instant at_ms(std::int64_t ms) { return Instant{} + std::chrono::milliseconds(ms); }

struct View {
  NodeId self = NodeId::from_words(1, 1);
  std::vector<Member> members;
  StateStore store;
  ClusterItems items;
  std::map<NodeId, std::uint64_t> counters;  // each owner's version counter
  Duration epoch{};                          // shifts every instant (observer clock offset)

  static NodeId id(int n) { return NodeId::from_words(static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n)); }

  Member& add_member(NodeId id, std::string name, MemberState state = MemberState::alive, std::uint64_t generation = 1) {
    Member m;
    m.id = id;
    m.name = std::move(name);
    m.address = Address::v4(0x7f000001, static_cast<std::uint16_t>(7950 + id.hash() % 1000));
    m.incarnation = {generation, 0};
    m.state = state;
    m.last_heard = t(0);
    members.push_back(m);
    return members.back();
  }
  Member* member(NodeId id) {
    for (auto& m : members)
      if (m.id == id) return &m;
    return nullptr;
  }
  Instant t(std::int64_t ms) const { return at_ms(ms) + epoch; }

  // The owner writes `key` (version = its counter + 1) and this observer receives it at `ms`.
  std::uint64_t put(NodeId owner, std::string key, StateValue value, std::int64_t ms = 0) {
    const std::uint64_t v = ++counters[owner];
    std::vector<StateEntry> e{StateEntry{std::move(key), v, std::move(value)}};
    store.apply(owner, e, t(ms));
    return v;
  }
  void server(NodeId owner, std::string name, std::string host_id = "", std::int64_t ms = 0) {
    ServerInfo info;
    info.name = std::move(name);
    info.os_name = "Debian GNU/Linux";
    info.os_version = "12";
    info.addresses = {"10.0.0.1"};
    info.agent_version = "0.1.0";
    info.protocol_version = 1;
    info.host_id = std::move(host_id);
    put(owner, std::string(StateKeys::kServer), info, ms);
  }
  std::uint64_t component(NodeId owner, std::string kind, std::string version, std::int64_t ms = 0) {
    return put(owner, StateKeys::component(kind), ComponentInfo{kind, std::move(version), "http://x"}, ms);
  }
  void heartbeat(NodeId owner, std::string kind, std::int64_t ms) {
    const auto* prev = store.find(owner, StateKeys::heartbeat(kind));
    std::uint64_t counter = prev ? std::get<Heartbeat>(prev->entry.value).counter + 1 : 1;
    put(owner, StateKeys::heartbeat(kind), Heartbeat{counter}, ms);
  }
  void key(NodeId owner, std::string name, std::string fp, std::int64_t ms = 0) {
    put(owner, StateKeys::key(name), KeyFingerprint{std::move(fp)}, ms);
  }
  // A full, healthy server: info, web + service at `version`, encryption key `fp`, heartbeats at `ms`.
  NodeId healthy(int n, std::string version = "2024.3", std::string fp = "aaaa1111bbbb2222", std::int64_t ms = 0) {
    NodeId i = id(n);
    add_member(i, "node-" + std::to_string(n));
    server(i, "node-" + std::to_string(n), "host-" + std::to_string(n), ms);
    component(i, "web", version, ms);
    component(i, "service", version, ms);
    heartbeat(i, "web", ms);
    heartbeat(i, "service", ms);
    key(i, "encryption", fp, ms);
    return i;
  }

  ClusterTable table(std::int64_t now_ms) const {
    return derive_table(TableInput{self, "demo", members, store, items, t(now_ms)});
  }
};

inline const ServerRow* row(const ClusterTable& t, NodeId id) {
  for (const auto& s : t.servers)
    if (s.id == id) return &s;
  return nullptr;
}
inline const ComponentRow* comp(const ServerRow& r, std::string_view kind) {
  for (const auto& c : r.components)
    if (c.kind == kind) return &c;
  return nullptr;
}
inline int count_code(const std::vector<TableWarning>& ws, std::string_view code) {
  int n = 0;
  for (const auto& w : ws) n += w.code == code ? 1 : 0;
  return n;
}
inline int count_code(const ClusterTable& t, std::string_view code) {
  int n = count_code(t.warnings, code);
  for (const auto& s : t.servers) n += count_code(s.warnings, code);
  return n;
}

}  // namespace rollcall::membership::testing
