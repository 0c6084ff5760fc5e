#include "membership/TableBuilder.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "membership/ContentDigest.h"
#include "membership/Prevailing.h"
#include "membership/StateKeys.h"
#include "membership/WarningCatalog.h"

namespace rollcall::membership {

namespace {

using Severity = TableWarning::Severity;

std::int64_t age_ms(Instant now, Instant then) {
  const auto d = std::chrono::duration_cast<std::chrono::milliseconds>(now - then).count();
  return d < 0 ? 0 : d;
}

// A visible server while the table is being derived.
struct Work {
  ServerRow row;
  const std::map<std::string, StoredEntry>* entries = nullptr;
  std::map<std::string, std::string> fingerprints;  // key name -> published fingerprint ("" = not set)
  std::uint32_t recent_suspicions = 0;
  bool live() const { return is_live(row.state); }
  WarningCatalog::Named named() const { return {row.id, row.name}; }
};

template <class T>
const T* value_of(const std::map<std::string, StoredEntry>* entries, const std::string& key,
                  const StoredEntry** stored = nullptr) {
  if (entries == nullptr) return nullptr;
  auto it = entries->find(key);
  if (it == entries->end()) return nullptr;
  if (stored != nullptr) *stored = &it->second;
  return std::get_if<T>(&it->second.entry.value);
}

bool server_hidden(const Member& m, const ClusterItems& items) {
  const Removal* r = items.server_removal(m.id);
  return r != nullptr && m.incarnation.generation <= r->generation;
}

Work make_work(const Member& m, const TableInput& in) {
  Work w;
  ServerRow& row = w.row;
  row.id = m.id;
  row.name = m.name;
  row.gossip_address = m.address;
  row.state = m.state;
  row.incarnation = m.incarnation;
  row.is_self = m.id == in.self;
  if (row.is_self) {
    row.last_heard_ms = 0;
  } else {
    row.last_heard_ms = age_ms(in.now, m.last_heard);
  }
  if (m.rtt > Duration::zero()) row.rtt_ms = static_cast<double>(m.rtt.count()) / 1000.0;
  w.recent_suspicions = m.recent_suspicions;
  // Degraded: suspected (and refuted) lately, so alive or suspect right now; the memory fades after
  // kSuspicionMemory. A lossy server shows as degraded instead of flickering alive/suspect.
  row.degraded = m.recent_suspicions > 0 && (m.state == MemberState::alive || m.state == MemberState::suspect) &&
                 in.now - m.last_suspected < kSuspicionMemory;

  w.entries = in.store.owner(m.id);
  if (const auto* info = value_of<ServerInfo>(w.entries, std::string(StateKeys::kServer))) {
    row.has_info = true;
    if (!info->name.empty()) row.name = info->name;
    row.os_name = info->os_name;
    row.os_version = info->os_version;
    row.addresses = info->addresses;
    row.agent_version = info->agent_version;
    row.host_id = info->host_id;
    row.labels = info->labels;
  }
  if (w.entries == nullptr) return w;
  for (const auto& [key, stored] : *w.entries) {
    if (auto kind = StateKeys::suffix(key, StateKeys::kComponentPrefix)) {
      const auto* c = std::get_if<ComponentInfo>(&stored.entry.value);
      if (c == nullptr) continue;  // deleted
      const Removal* r = in.items.component_removal(m.id, *kind);
      if (r != nullptr && stored.entry.version <= r->owner_version) continue;  // removed, not re-reported
      ComponentRow comp;
      comp.kind = std::string(*kind);
      comp.version = c->version;
      comp.endpoint = c->endpoint;
      row.components.push_back(std::move(comp));
    } else if (auto name = StateKeys::suffix(key, StateKeys::kKeyPrefix)) {
      if (const auto* fp = std::get_if<KeyFingerprint>(&stored.entry.value))
        w.fingerprints[std::string(*name)] = fp->fingerprint;
    }
  }
  return w;
}

void derive_component(Work& w, ComponentRow& comp, const TableInput& in, const ClusterConfig& config,
                      const std::map<std::string, std::string>& prevailing_versions) {
  const auto named = w.named();
  const StoredEntry* hb_stored = nullptr;
  if (value_of<Heartbeat>(w.entries, StateKeys::heartbeat(comp.kind), &hb_stored) != nullptr)
    comp.heartbeat_age_ms = age_ms(in.now, hb_stored->received_at);
  const bool web = comp.kind == "web";
  const std::int64_t window = web ? config.web_stale_window_ms : config.stale_timeout_ms;
  comp.stale = comp.heartbeat_age_ms.has_value() && *comp.heartbeat_age_ms >= window;

  const StoredEntry* v_stored = nullptr;
  if (const auto* v = value_of<Verification>(w.entries, StateKeys::verify(comp.kind), &v_stored)) {
    comp.verification = v->result;
    comp.verification_detail = v->detail;
    comp.verification_age_ms = std::max<std::int64_t>(v->checked_age_ms, 0) + age_ms(in.now, v_stored->received_at);
  }

  auto pv = prevailing_versions.find(comp.kind);
  comp.prevailing_version = pv == prevailing_versions.end() ? std::string() : pv->second;
  comp.version_in_sync = comp.prevailing_version.empty() || comp.version.empty() ||
                         comp.version == comp.prevailing_version;

  const bool failed = comp.verification == Verification::Result::failed;
  if (failed) w.row.warnings.push_back(WarningCatalog::verification_failed(named, comp.kind, comp.verification_detail));
  if (comp.stale) {
    w.row.warnings.push_back(web ? WarningCatalog::stale_web(named, comp.kind, *comp.heartbeat_age_ms, window)
                                 : WarningCatalog::stale_service(named, comp.kind, *comp.heartbeat_age_ms, window));
  }
  if (!comp.version_in_sync)
    w.row.warnings.push_back(
        WarningCatalog::version_out_of_sync(named, comp.kind, comp.version, comp.prevailing_version));

  if (failed) {
    comp.status = ComponentRow::Status::error;
  } else if (comp.stale) {
    comp.status = ComponentRow::Status::stale;
  } else if (!comp.version_in_sync) {
    comp.status = ComponentRow::Status::warning;
  } else if (!comp.heartbeat_age_ms.has_value()) {
    comp.status = ComponentRow::Status::unknown;
  } else {
    comp.status = ComponentRow::Status::ok;
  }
}

void derive_state_warnings(Work& w) {
  const auto named = w.named();
  const std::string addr = w.row.gossip_address.valid() ? w.row.gossip_address.to_string() : "?";
  switch (w.row.state) {
    case MemberState::alive:
      if (w.row.degraded) w.row.warnings.push_back(WarningCatalog::server_degraded(named, w.recent_suspicions));
      break;
    case MemberState::suspect:
      w.row.warnings.push_back(WarningCatalog::server_suspect(named, addr));
      if (w.row.degraded) w.row.warnings.push_back(WarningCatalog::server_degraded(named, w.recent_suspicions));
      break;
    case MemberState::dead: w.row.warnings.push_back(WarningCatalog::server_unreachable(named, addr)); break;
    case MemberState::left: w.row.warnings.push_back(WarningCatalog::server_left(named)); break;
  }
}

Health health_of(Severity s) {
  switch (s) {
    case Severity::info: return Health::ok;
    case Severity::warning: return Health::warning;
    case Severity::error: return Health::error;
  }
  return Health::ok;
}

Health worst(const std::vector<TableWarning>& warnings, Health start = Health::ok) {
  Health h = start;
  for (const auto& w : warnings) h = std::max(h, health_of(w.severity));
  return h;
}

// Live servers grouped by `attr` (skipping empty values); adds a cluster warning per group of
// two or more, and a copy on each member's row.
template <class Attr, class Make>
void cross_server_warnings(std::vector<Work>& work, ClusterTable& t, Attr attr, Make make) {
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < work.size(); ++i)
    if (work[i].live() && !attr(work[i]).empty()) groups[attr(work[i])].push_back(i);
  for (const auto& [value, idx] : groups) {
    if (idx.size() < 2) continue;
    std::vector<WarningCatalog::Named> servers;
    for (auto i : idx) servers.push_back(work[i].named());
    std::sort(servers.begin(), servers.end(), [](const auto& a, const auto& b) {
      return a.name != b.name ? a.name < b.name : a.id < b.id;
    });
    t.warnings.push_back(make(value, servers, nullptr));
    for (auto i : idx) work[i].row.warnings.push_back(make(value, servers, &work[i].row.id));
  }
}

}  // namespace

ClusterTable derive_table(const TableInput& in) {
  ClusterTable t;
  t.name = in.cluster_name;
  t.config = in.items.config();
  if (const ClusterItem* c = in.items.get(ClusterItems::kConfigKey);
      c != nullptr && std::holds_alternative<ClusterConfig>(c->value)) {
    t.config_lamport = c->lamport;
    t.config_writer = c->writer;
  }
  t.served_by = in.self;
  t.digest = ContentDigest::hex(in.members, in.store, in.items);

  std::vector<Work> work;
  work.reserve(in.members.size());
  for (const Member& m : in.members) {
    if (m.id == in.self) t.served_by_name = m.name;
    if (server_hidden(m, in.items)) continue;
    work.push_back(make_work(m, in));
    if (m.id == in.self) t.served_by_name = work.back().row.name;
  }

  // Votes among live servers.
  std::map<std::string, Prevailing> version_votes;
  std::map<std::string, Prevailing> key_votes;
  std::set<std::string> key_names;
  for (const Work& w : work) {
    if (!w.live()) continue;
    for (const auto& comp : w.row.components)
      if (!comp.version.empty())
        version_votes.try_emplace(comp.kind, Prevailing::TieBreak::newest_version).first->second.vote(comp.version);
    for (const auto& [name, fp] : w.fingerprints) {
      key_names.insert(name);
      if (!fp.empty()) key_votes.try_emplace(name, Prevailing::TieBreak::smallest).first->second.vote(fp);
    }
  }
  std::map<std::string, std::string> prevailing_versions, prevailing_keys;
  for (const auto& [kind, votes] : version_votes) prevailing_versions[kind] = votes.winner();
  for (const auto& [name, votes] : key_votes) prevailing_keys[name] = votes.winner();

  for (Work& w : work) {
    derive_state_warnings(w);
    std::sort(w.row.components.begin(), w.row.components.end(),
              [](const ComponentRow& a, const ComponentRow& b) { return a.kind < b.kind; });
    for (auto& comp : w.row.components) {
      derive_component(w, comp, in, t.config, prevailing_versions);
      w.row.version_in_sync = w.row.version_in_sync && comp.version_in_sync;
    }
    if (w.row.has_info || !w.fingerprints.empty()) {
      for (const auto& name : key_names) {
        KeyRow key;
        key.name = name;
        auto fp = w.fingerprints.find(name);
        key.fingerprint = fp == w.fingerprints.end() ? std::string() : fp->second;
        auto pk = prevailing_keys.find(name);
        key.prevailing = pk == prevailing_keys.end() ? std::string() : pk->second;
        key.in_sync = !key.fingerprint.empty() && key.fingerprint == key.prevailing;
        if (key.fingerprint.empty()) {
          w.row.warnings.push_back(WarningCatalog::key_not_set(w.named(), name));
        } else if (!key.in_sync) {
          w.row.warnings.push_back(
              WarningCatalog::key_not_synchronized(w.named(), name, key.fingerprint, key.prevailing));
        }
        w.row.key_in_sync = w.row.key_in_sync && key.in_sync;
        w.row.keys.push_back(std::move(key));
      }
    }
  }

  cross_server_warnings(
      work, t, [](const Work& w) -> const std::string& { return w.row.name; },
      [](const std::string& v, const auto& servers, const NodeId* about) {
        return WarningCatalog::name_conflict(v, servers, about);
      });
  cross_server_warnings(
      work, t, [](const Work& w) -> const std::string& { return w.row.host_id; },
      [](const std::string& v, const auto& servers, const NodeId* about) {
        return WarningCatalog::shared_host(v, servers, about);
      });

  t.status = worst(t.warnings);
  t.servers.reserve(work.size());
  for (Work& w : work) {
    w.row.status = worst(w.row.warnings);
    t.status = std::max(t.status, w.row.status);
    if (w.live()) ++t.servers_alive;
    t.servers.push_back(std::move(w.row));
  }
  std::sort(t.servers.begin(), t.servers.end(), [](const ServerRow& a, const ServerRow& b) {
    return a.name != b.name ? a.name < b.name : a.id < b.id;
  });
  t.server_count = t.servers.size();
  return t;
}

}  // namespace rollcall::membership
