// The configuration schema: one entry per key, with its type, range and validation. Units,
// defaults and ranges here must match configs/agent.example.toml (a test loads that file).
#include <algorithm>
#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "daemon/config/ConfigField.h"
#include "daemon/config/Duration.h"
#include "daemon/config/HostPort.h"

namespace rollcall::daemon::config {
namespace {

using ms = std::chrono::milliseconds;
using Error = std::optional<std::string>;

// ---- describing values in error messages (never secrets: no field here holds one) -------------
std::string show_text(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 80)) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += '?';
    else out += c;
  }
  if (s.size() > 80) out += "...";
  return out + "\"";
}

std::string shown(const ConfigValue& v) {
  if (auto s = std::get_if<std::string>(&v.value)) return show_text(*s);
  if (auto b = std::get_if<bool>(&v.value)) return *b ? "true" : "false";
  if (auto i = std::get_if<std::int64_t>(&v.value)) return std::to_string(*i);
  if (std::holds_alternative<std::vector<std::string>>(v.value)) return "an array";
  return "a table";
}

// ---- typed readers --------------------------------------------------------------------------------
Error read_string(const ConfigValue& v, std::string& out) {
  if (auto s = std::get_if<std::string>(&v.value)) {
    out = *s;
    return std::nullopt;
  }
  return "expected a string, got " + shown(v);
}

Error read_bool(const ConfigValue& v, bool& out) {
  if (auto b = std::get_if<bool>(&v.value)) {
    out = *b;
    return std::nullopt;
  }
  if (auto s = std::get_if<std::string>(&v.value); s && v.from_text) {
    if (*s == "true" || *s == "1" || *s == "yes" || *s == "on") {
      out = true;
      return std::nullopt;
    }
    if (*s == "false" || *s == "0" || *s == "no" || *s == "off") {
      out = false;
      return std::nullopt;
    }
  }
  return "expected true or false, got " + shown(v);
}

Error read_int(const ConfigValue& v, std::int64_t min, std::int64_t max, std::int64_t& out) {
  std::int64_t n = 0;
  if (auto i = std::get_if<std::int64_t>(&v.value)) {
    n = *i;
  } else if (auto s = std::get_if<std::string>(&v.value); s && v.from_text && !s->empty() && s->size() < 19 &&
                                                          std::all_of(s->begin(), s->end(), [](char c) {
                                                            return c >= '0' && c <= '9';
                                                          })) {
    n = std::stoll(*s);
  } else {
    return "expected an integer, got " + shown(v);
  }
  if (n < min || n > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " + std::to_string(n);
  }
  out = n;
  return std::nullopt;
}

Error read_bytes(const ConfigValue& v, std::uint64_t min, std::uint64_t max, std::uint64_t& out) {
  std::optional<std::uint64_t> n;
  if (auto i = std::get_if<std::int64_t>(&v.value)) {
    if (*i >= 0) n = static_cast<std::uint64_t>(*i);
  } else if (auto s = std::get_if<std::string>(&v.value)) {
    n = parse_byte_size(*s);
  }
  if (!n) return "expected a size in bytes like 16384 or \"16KiB\", got " + shown(v);
  if (*n < min || *n > max) {
    return "must be between " + std::to_string(min) + " and " + std::to_string(max) + " bytes, got " + std::to_string(*n);
  }
  out = *n;
  return std::nullopt;
}

Error read_duration(const ConfigValue& v, ms min, ms max, ms& out, bool zero_ok = false) {
  const std::string* s = std::get_if<std::string>(&v.value);
  std::optional<ms> d = s ? parse_duration(*s) : std::nullopt;
  if (!d) return "expected a duration like \"500ms\", \"30s\", \"2m\" or \"24h\", got " + shown(v);
  if (!(zero_ok && d->count() == 0) && (*d < min || *d > max)) {
    return "must be between " + format_duration(min) + " and " + format_duration(max) +
           (zero_ok ? " (or 0 to disable)" : "") + ", got " + show_text(*s);
  }
  out = *d;
  return std::nullopt;
}

Error read_list(const ConfigValue& v, std::vector<std::string>& out) {
  if (auto a = std::get_if<std::vector<std::string>>(&v.value)) {
    out = *a;
    return std::nullopt;
  }
  if (auto s = std::get_if<std::string>(&v.value); s && v.from_text) {  // "a, b,c"
    out.clear();
    std::string_view rest = *s;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    return std::nullopt;
  }
  return "expected an array of strings, got " + shown(v);
}

Error read_map(const ConfigValue& v, ConfigValue::Map& out) {
  if (auto m = std::get_if<ConfigValue::Map>(&v.value)) {
    out = *m;
    return std::nullopt;
  }
  if (auto s = std::get_if<std::string>(&v.value); s && v.from_text) {  // "zone=a,rack=3"
    out.clear();
    std::string_view rest = *s;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      if (!item.empty()) {
        auto eq = item.find('=');
        if (eq == std::string_view::npos) return "expected key=value pairs separated by commas, got " + show_text(*s);
        out[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
      }
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
    return std::nullopt;
  }
  return "expected a table of strings, got " + shown(v);
}

// ---- string validators ----------------------------------------------------------------------------
bool charset(std::string_view s, std::string_view extra, bool upper) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (upper && c >= 'A' && c <= 'Z') ||
           extra.find(c) != std::string_view::npos;
  });
}
bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}
bool ip_literal(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

using Check = std::function<Error(const std::string&)>;

Check one_of(std::vector<std::string_view> allowed) {
  return [allowed](const std::string& s) -> Error {
    if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return std::nullopt;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : "|") + std::string(a);
    return "must be one of " + list + ", got " + show_text(s);
  };
}
Check identifier(std::size_t max) {  // [a-z0-9_-]{1,max}
  return [max](const std::string& s) -> Error {
    if (!s.empty() && s.size() <= max && charset(s, "_-", false)) return std::nullopt;
    return "must be 1 to " + std::to_string(max) + " characters of a-z, 0-9, _ and -, got " + show_text(s);
  };
}
Check text(std::size_t min, std::size_t max) {
  return [min, max](const std::string& s) -> Error {
    if (s.size() >= min && s.size() <= max && printable(s)) return std::nullopt;
    return "must be " + std::to_string(min) + " to " + std::to_string(max) + " printable characters, got " + show_text(s);
  };
}
Check env_name() {  // "" or [A-Za-z_][A-Za-z0-9_]*
  return [](const std::string& s) -> Error {
    if (s.empty() || (charset(s, "_", true) && !(s[0] >= '0' && s[0] <= '9'))) return std::nullopt;
    return "must be an environment variable name (letters, digits, _), got " + show_text(s);
  };
}
Check check_url() {
  return [](const std::string& s) -> Error {
    if (s.empty()) return std::nullopt;
    const bool http = s.starts_with("http://"), tcp = s.starts_with("tcp://");
    if (!http && !tcp) return "must be \"\", \"http://host[:port]/path\" or \"tcp://host:port\", got " + show_text(s);
    std::string_view rest = std::string_view(s).substr(http ? 7 : 6);
    std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (tcp && authority.size() != rest.size()) return "a tcp:// check is only host:port, got " + show_text(s);
    if (!HostPort::parse(authority, http ? std::optional<std::uint16_t>(80) : std::nullopt)) {
      return "has no valid host" + std::string(tcp ? ":port" : "[:port]") + ", got " + show_text(s);
    }
    return std::nullopt;
  };
}

// ---- field builders ----------------------------------------------------------------------------------
template <class T, class Get>
ConfigField<T> string_field(std::string_view sec, std::string_view key, Get get, Check check = {}) {
  return {sec, key, [get, check](T& t, const ConfigValue& v) -> Error {
            std::string s;
            if (auto e = read_string(v, s)) return e;
            if (check) {
              if (auto e = check(s)) return e;
            }
            get(t) = std::move(s);
            return std::nullopt;
          }};
}
template <class T, class Get>
ConfigField<T> bool_field(std::string_view sec, std::string_view key, Get get) {
  return {sec, key, [get](T& t, const ConfigValue& v) { return read_bool(v, get(t)); }};
}
template <class T, class Get>
ConfigField<T> int_field(std::string_view sec, std::string_view key, Get get, std::int64_t min, std::int64_t max) {
  return {sec, key, [get, min, max](T& t, const ConfigValue& v) -> Error {
            std::int64_t n = 0;
            if (auto e = read_int(v, min, max, n)) return e;
            get(t) = static_cast<std::remove_reference_t<decltype(get(t))>>(n);
            return std::nullopt;
          }};
}
template <class T, class Get>
ConfigField<T> opt_int_field(std::string_view sec, std::string_view key, Get get, std::int64_t min, std::int64_t max) {
  return {sec, key, [get, min, max](T& t, const ConfigValue& v) -> Error {
            std::int64_t n = 0;
            if (auto e = read_int(v, min, max, n)) return e;
            get(t) = static_cast<int>(n);
            return std::nullopt;
          }};
}
template <class T, class Get>
ConfigField<T> bytes_field(std::string_view sec, std::string_view key, Get get, std::uint64_t min, std::uint64_t max) {
  return {sec, key, [get, min, max](T& t, const ConfigValue& v) -> Error {
            std::uint64_t n = 0;
            if (auto e = read_bytes(v, min, max, n)) return e;
            get(t) = static_cast<std::size_t>(n);
            return std::nullopt;
          }};
}
template <class T, class Get>
ConfigField<T> duration_field(std::string_view sec, std::string_view key, Get get, ms min, ms max, bool zero_ok = false) {
  return {sec, key, [get, min, max, zero_ok](T& t, const ConfigValue& v) -> Error {
            ms d{};
            if (auto e = read_duration(v, min, max, d, zero_ok)) return e;
            get(t) = d;
            return std::nullopt;
          }};
}
template <class T, class Get>
ConfigField<T> address_field(std::string_view sec, std::string_view key, Get get) {
  return {sec, key, [get](T& t, const ConfigValue& v) -> Error {
            using Stored = std::remove_reference_t<decltype(get(t))>;
            constexpr bool kOptional = !std::is_same_v<Stored, HostPort>;
            std::string s;
            if (auto e = read_string(v, s)) return e;
            if constexpr (kOptional) {
              if (s.empty()) {
                get(t) = std::nullopt;
                return std::nullopt;
              }
            }
            // A bind address may use port 0 (a free port, for tests); an advertised one may not.
            auto hp = HostPort::parse(s, std::nullopt, !kOptional);
            if (!hp || !hp->is_ip_literal()) {
              return "must be an IP address and port like \"10.0.0.5:7950\" or \"[::1]:7950\", got " + show_text(s);
            }
            get(t) = *hp;
            return std::nullopt;
          }};
}

using A = AgentConfig;
#define FIELD(path) [](A& c) -> auto& { return c.path; }

}  // namespace

const std::vector<ConfigField<AgentConfig>>& agent_config_fields() {
  static const std::vector<ConfigField<AgentConfig>> fields = {
      // [agent]
      string_field<A>("agent", "name", FIELD(agent.name), text(0, 253)),
      string_field<A>("agent", "cluster", FIELD(agent.cluster),
                      [](const std::string& s) -> Error {
                        if (!s.empty() && s.size() <= 64 && charset(s, "._-", true)) return std::nullopt;
                        return "must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_' and '-', got " + show_text(s);
                      }),
      {"agent", "data_dir",
       [](A& c, const ConfigValue& v) -> Error {
         std::string s;
         if (auto e = read_string(v, s)) return e;
         if (s.empty()) return "must not be empty";
         c.agent.data_dir = s;
         return std::nullopt;
       }},
      string_field<A>("agent", "log_level", FIELD(agent.log_level), one_of({"trace", "debug", "info", "warn", "error"})),
      string_field<A>("agent", "log_format", FIELD(agent.log_format), one_of({"text", "json"})),
      bool_field<A>("agent", "allow_reset", FIELD(agent.allow_reset)),
      // [gossip]
      address_field<A>("gossip", "bind", FIELD(gossip.bind)),
      address_field<A>("gossip", "advertise", FIELD(gossip.advertise)),
      {"gossip", "seeds",
       [](A& c, const ConfigValue& v) -> Error {
         std::vector<std::string> items;
         if (auto e = read_list(v, items)) return e;
         std::vector<HostPort> seeds;
         for (const auto& item : items) {
           auto hp = HostPort::parse(item, std::uint16_t{7950});
           if (!hp) return "each seed must be \"host:port\", \"[v6]:port\" or a DNS name, got " + show_text(item);
           seeds.push_back(*hp);
         }
         c.gossip.seeds = std::move(seeds);
         return std::nullopt;
       }},
      duration_field<A>("gossip", "seed_resolve_interval", FIELD(gossip.seed_resolve_interval), ms(1000), ms(86'400'000)),
      string_field<A>("gossip", "profile", FIELD(gossip.profile), one_of({"lan", "local", "wan"})),
      string_field<A>("gossip", "key_file", FIELD(gossip.key_file)),
      string_field<A>("gossip", "key_env", FIELD(gossip.key_env), env_name()),
      bool_field<A>("gossip", "plaintext", FIELD(gossip.plaintext)),
      int_field<A>("gossip", "mtu", FIELD(gossip.mtu), 576, 9000),
      duration_field<A>("gossip", "probe_interval", FIELD(gossip.probe_interval), ms(50), ms(60'000)),
      duration_field<A>("gossip", "probe_timeout", FIELD(gossip.probe_timeout), ms(10), ms(60'000)),
      opt_int_field<A>("gossip", "indirect_checks", FIELD(gossip.indirect_checks), 0, 16),
      duration_field<A>("gossip", "gossip_interval", FIELD(gossip.gossip_interval), ms(10), ms(60'000)),
      opt_int_field<A>("gossip", "gossip_fanout", FIELD(gossip.gossip_fanout), 1, 16),
      duration_field<A>("gossip", "push_pull_interval", FIELD(gossip.push_pull_interval), ms(1000), ms(3'600'000), true),
      opt_int_field<A>("gossip", "suspicion_mult", FIELD(gossip.suspicion_mult), 1, 20),
      opt_int_field<A>("gossip", "suspicion_max_mult", FIELD(gossip.suspicion_max_mult), 1, 20),
      opt_int_field<A>("gossip", "retransmit_mult", FIELD(gossip.retransmit_mult), 1, 16),
      opt_int_field<A>("gossip", "awareness_max", FIELD(gossip.awareness_max), 0, 16),
      duration_field<A>("gossip", "dead_retention", FIELD(gossip.dead_retention), ms(60'000), ms(30LL * 86'400'000)),
      duration_field<A>("gossip", "reconnect_interval", FIELD(gossip.reconnect_interval), ms(1000), ms(3'600'000), true),
      duration_field<A>("gossip", "leave_timeout", FIELD(gossip.leave_timeout), ms(0), ms(60'000)),
      // [http]
      address_field<A>("http", "bind", FIELD(http.bind)),
      string_field<A>("http", "admin_token_file", FIELD(http.admin_token_file)),
      string_field<A>("http", "admin_token_env", FIELD(http.admin_token_env), env_name()),
      string_field<A>("http", "tls_cert", FIELD(http.tls_cert)),
      string_field<A>("http", "tls_key", FIELD(http.tls_key)),
      int_field<A>("http", "max_connections", FIELD(http.max_connections), 1, 65536),
      bytes_field<A>("http", "max_header_bytes", FIELD(http.max_header_bytes), 1024, 1 << 20),
      bytes_field<A>("http", "max_body_bytes", FIELD(http.max_body_bytes), 1024, 64u << 20),
      duration_field<A>("http", "header_timeout", FIELD(http.header_timeout), ms(100), ms(300'000)),
      duration_field<A>("http", "idle_timeout", FIELD(http.idle_timeout), ms(1000), ms(3'600'000)),
      // [server]
      string_field<A>("server", "os_name", FIELD(server.os_name), text(0, 128)),
      string_field<A>("server", "os_version", FIELD(server.os_version), text(0, 128)),
      string_field<A>("server", "host_id_file", FIELD(server.host_id_file)),
      {"server", "addresses",
       [](A& c, const ConfigValue& v) -> Error {
         std::vector<std::string> items;
         if (auto e = read_list(v, items)) return e;
         for (const auto& a : items) {
           if (!ip_literal(a)) return "each address must be an IP address like \"10.0.0.5\" or \"fe80::1\", got " + show_text(a);
         }
         c.server.addresses = std::move(items);
         return std::nullopt;
       }},
      {"server", "labels",
       [](A& c, const ConfigValue& v) -> Error {
         ConfigValue::Map m;
         if (auto e = read_map(v, m)) return e;
         for (const auto& [k, val] : m) {
           if (k.empty() || k.size() > 63 || !charset(k, "_.-", false)) {
             return "label names must be 1 to 63 characters of a-z, 0-9, '_', '.' and '-', got " + show_text(k);
           }
           if (val.size() > 256 || !printable(val)) return "label " + show_text(k) + " must be at most 256 printable characters";
         }
         c.server.labels = std::move(m);
         return std::nullopt;
       }},
      // [product] (product.keys is an array of tables, handled by the loader)
      string_field<A>("product", "fingerprint_salt", FIELD(product.fingerprint_salt), text(0, 256)),
  };
  return fields;
}

#undef FIELD
#define FIELD(T, member) [](T& c) -> auto& { return c.member; }

const std::vector<ConfigField<ComponentConfig>>& component_fields() {
  using C = ComponentConfig;
  static const std::vector<ConfigField<C>> fields = {
      string_field<C>("", "kind", FIELD(C, kind), identifier(32)),
      string_field<C>("", "version", FIELD(C, version), text(1, 64)),
      string_field<C>("", "endpoint", FIELD(C, endpoint), text(0, 512)),
      string_field<C>("", "check", FIELD(C, check), check_url()),
      duration_field<C>("", "check_interval", FIELD(C, check_interval), ms(1000), ms(86'400'000)),
      duration_field<C>("", "check_timeout", FIELD(C, check_timeout), ms(100), ms(300'000)),
  };
  return fields;
}

const std::vector<ConfigField<ProductKeyConfig>>& product_key_fields() {
  using P = ProductKeyConfig;
  static const std::vector<ConfigField<P>> fields = {
      string_field<P>("", "name", FIELD(P, name), identifier(32)),
      string_field<P>("", "env", FIELD(P, env), env_name()),
      string_field<P>("", "file", FIELD(P, file)),
  };
  return fields;
}

#undef FIELD

std::string closest_key(std::string_view key, const std::vector<std::string_view>& known) {
  // A suggestion is offered within edit distance 2. Only distances up to the best so far matter, so
  // the Levenshtein table is computed in a band of that width around its diagonal (Ukkonen), after
  // skipping keys whose length alone is too far off: each comparison costs O(length), and a file or
  // environment full of long unknown names cannot make the loader quadratic.
  constexpr std::size_t kMaxSuggestDistance = 2;
  constexpr std::size_t kFar = std::numeric_limits<std::size_t>::max() / 4;
  std::string best;
  std::size_t best_d = kMaxSuggestDistance + 1;
  std::vector<std::size_t> prev, cur;
  for (auto k : known) {
    const std::size_t n = key.size(), m = k.size();
    if ((n > m ? n - m : m - n) >= best_d) continue;
    const std::size_t band = best_d - 1;  // cells farther than this from the diagonal are >= best_d
    prev.assign(m + 2, kFar);
    cur.assign(m + 2, kFar);
    for (std::size_t j = 0; j <= std::min(m, band); ++j) prev[j] = j;
    bool beyond = false;
    for (std::size_t i = 1; i <= n && !beyond; ++i) {
      const std::size_t lo = i > band ? i - band : 1;
      const std::size_t hi = std::min(m, i + band);
      cur[lo - 1] = lo == 1 ? i : kFar;
      std::size_t row_min = cur[lo - 1];
      for (std::size_t j = lo; j <= hi; ++j) {
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (key[i - 1] == k[j - 1] ? 0 : 1)});
        row_min = std::min(row_min, cur[j]);
      }
      cur[hi + 1] = kFar;  // the next row's band reaches one further
      std::swap(prev, cur);
      beyond = row_min >= best_d;
    }
    if (!beyond && prev[m] < best_d) {
      best_d = prev[m];
      best = std::string(k);
    }
  }
  return best;
}

}  // namespace rollcall::daemon::config
