#include "daemon/config/ConfigLoader.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "daemon/config/ConfigField.h"
#include "daemon/config/ConfigSecrets.h"

namespace rollcall::daemon::config {
namespace {

namespace fs = std::filesystem;
constexpr std::uintmax_t kMaxConfigFileBytes = 1u << 20;
const std::vector<std::string_view> kSections = {"agent", "gossip", "http", "server", "product", "component"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

std::string env_name_of(std::string_view section, std::string_view key) {
  return "ROLLCALL_" + upper(section) + "_" + upper(key);
}

// Every key's environment variable name, and the field it sets: built once (the field table is static).
const std::map<std::string, const ConfigField<AgentConfig>*, std::less<>>& fields_by_env() {
  static const auto table = [] {
    std::map<std::string, const ConfigField<AgentConfig>*, std::less<>> m;
    for (const auto& f : agent_config_fields()) m[env_name_of(f.section, f.key)] = &f;
    return m;
  }();
  return table;
}

const std::vector<std::string_view>& env_names() {
  static const auto names = [] {
    std::vector<std::string_view> v;
    for (const auto& f : agent_config_fields())
      v.push_back(fields_by_env().find(env_name_of(f.section, f.key))->first);
    return v;
  }();
  return names;
}

template <class T>
const ConfigField<T>* find_field(const std::vector<ConfigField<T>>& fields, std::string_view section, std::string_view key) {
  for (const auto& f : fields) {
    if (f.section == section && f.key == key) return &f;
  }
  return nullptr;
}

template <class T>
std::vector<std::string_view> keys_of(const std::vector<ConfigField<T>>& fields, std::string_view section) {
  std::vector<std::string_view> out;
  for (const auto& f : fields) {
    if (f.section == section) out.push_back(f.key);
  }
  if (section == "product") out.push_back("keys");
  return out;
}

std::string hint(std::string_view key, const std::vector<std::string_view>& known) {
  std::string best = closest_key(key, known);
  return best.empty() ? "" : "; did you mean \"" + best + "\"?";
}

// Walks the sources in order of precedence and collects every problem.
class Loader {
 public:
  Loader(const Environ& env) : env_(env) {}

  void defaults() {
    cfg_.product.keys.push_back(ProductKeyConfig{"encryption", "PROGET_ENCRYPTION_KEY", "", {}});
  }

  void file(const fs::path& path) {
    label_ = path.string();
    cfg_.source_file = path;
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    if (ec) return problems_.push_back("cannot read configuration file " + label_ + ": " + ec.message());
    if (size > kMaxConfigFileBytes) return problems_.push_back("configuration file " + label_ + " is larger than 1 MiB");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof()) return problems_.push_back("cannot read configuration file " + label_);
    const std::string text = ss.str();
    toml::table root;
    try {
      root = toml::parse(text, label_);
    } catch (const toml::parse_error& e) {
      return problems_.push_back(label_ + ":" + std::to_string(e.source().begin.line) + ":" +
                                 std::to_string(e.source().begin.column) + ": " + std::string(e.description()));
    } catch (const std::exception& e) {
      return problems_.push_back(label_ + ": " + e.what());
    }
    for (auto&& [k, node] : root) {
      const std::string name(k.str());
      if (name == "component") {
        components(node);
      } else if (std::find(kSections.begin(), kSections.end(), name) != kSections.end()) {
        if (auto t = node.as_table()) {
          section(name, *t);
        } else {
          problem(name, "must be a table: write [" + name + "] above its keys", where(node));
        }
      } else {
        problem(name, "unknown section or key" + hint(name, kSections), where(node));
      }
    }
  }

  void environment() {
    const auto& by_env = fields_by_env();
    for (const auto& [name, value] : env_) {
      if (!name.starts_with("ROLLCALL_")) continue;
      auto it = by_env.find(name);
      if (it == by_env.end()) {
        unknown_env_.push_back(name);
        continue;
      }
      apply(*it->second, ConfigValue{value, true, "environment variable " + name});
    }
  }

  void overrides(const Overrides& list) {
    for (const auto& [key, value] : list) {
      auto dot = key.find('.');
      const std::string sec = key.substr(0, dot == std::string::npos ? 0 : dot);
      const std::string k = dot == std::string::npos ? key : key.substr(dot + 1);
      const auto* f = find_field(agent_config_fields(), sec, k);
      if (!f) {
        std::vector<std::string> all;
        for (const auto& g : agent_config_fields()) all.push_back(std::string(g.section) + "." + std::string(g.key));
        std::vector<std::string_view> views(all.begin(), all.end());
        problem(key, "unknown configuration key" + hint(key, views), "override");
        continue;
      }
      apply(*f, ConfigValue{value, true, "override " + key});
    }
  }

  void finish() {
    // Environment variables that are not keys are fine only if they are named secret sources.
    std::set<std::string, std::less<>> allowed(std::begin(kReservedEnv), std::end(kReservedEnv));
    allowed.insert(cfg_.gossip.key_env);
    allowed.insert(cfg_.http.admin_token_env);
    for (const auto& k : cfg_.product.keys) allowed.insert(k.env);
    const auto& views = env_names();  // in the documented order of the fields (the first of equals wins)
    for (const auto& name : unknown_env_) {
      if (allowed.contains(name)) continue;
      problems_.push_back("unknown environment variable " + name + ": not a configuration key" + hint(name, views) +
                          " (unset it, or name it in gossip.key_env / http.admin_token_env)");
    }
    derive_defaults();
    fs::path base_dir = cfg_.source_file ? cfg_.source_file->parent_path() : fs::path{};
    load_secrets(cfg_, env_, base_dir, problems_);
    validate();
  }

  Result<AgentConfig, ConfigError> result() && {
    if (!problems_.empty()) return ConfigError{std::move(problems_)};
    return std::move(cfg_);
  }

 private:
  std::string where(const toml::node& n) const {
    const auto& s = n.source();
    return label_ + ":" + std::to_string(s.begin.line) + ":" + std::to_string(s.begin.column);
  }

  void problem(const std::string& key, const std::string& what, const std::string& source) {
    problems_.push_back(key + ": " + what + (source.empty() ? "" : " (" + source + ")"));
  }

  static std::optional<ConfigValue> to_value(const toml::node& n, std::string where, std::string& err) {
    ConfigValue v;
    v.where = std::move(where);
    if (auto s = n.as_string()) {
      v.value = s->get();
    } else if (auto b = n.as_boolean()) {
      v.value = b->get();
    } else if (auto i = n.as_integer()) {
      v.value = i->get();
    } else if (auto a = n.as_array()) {
      std::vector<std::string> items;
      for (const auto& e : *a) {
        auto es = e.as_string();
        if (!es) {
          err = "expected an array of strings";
          return std::nullopt;
        }
        items.push_back(es->get());
      }
      v.value = std::move(items);
    } else if (auto t = n.as_table()) {
      ConfigValue::Map m;
      for (auto&& [k, e] : *t) {
        auto es = e.as_string();
        if (!es) {
          err = "expected a table of strings";
          return std::nullopt;
        }
        m[std::string(k.str())] = es->get();
      }
      v.value = std::move(m);
    } else {
      err = "unsupported value type (floating point, date or time)";
      return std::nullopt;
    }
    return v;
  }

  template <class T>
  void apply_to(T& target, const ConfigField<T>& f, const std::string& full_key, const ConfigValue& v) {
    if (auto e = f.apply(target, v)) problem(full_key, *e, v.where);
  }

  void apply(const ConfigField<AgentConfig>& f, const ConfigValue& v) {
    apply_to(cfg_, f, std::string(f.section) + "." + std::string(f.key), v);
  }

  void section(const std::string& name, const toml::table& t) {
    for (auto&& [k, node] : t) {
      const std::string key(k.str());
      const std::string full = name + "." + key;
      if (name == "product" && key == "keys") {
        product_keys(node);
        continue;
      }
      const auto* f = find_field(agent_config_fields(), name, key);
      if (!f) {
        problem(full, "unknown key" + hint(key, keys_of(agent_config_fields(), name)), where(node));
        continue;
      }
      std::string err;
      auto v = to_value(node, where(node), err);
      if (!v) {
        problem(full, err, where(node));
        continue;
      }
      apply(*f, *v);
    }
  }

  // Applies the keys of one [[component]] or [[product.keys]] table to `entry`.
  template <class T>
  void entry(T& target, const std::vector<ConfigField<T>>& fields, const std::string& prefix, const toml::table& t) {
    for (auto&& [k, node] : t) {
      const std::string key(k.str());
      const auto* f = find_field(fields, "", key);
      if (!f) {
        problem(prefix + "." + key, "unknown key" + hint(key, keys_of(fields, "")), where(node));
        continue;
      }
      std::string err;
      auto v = to_value(node, where(node), err);
      if (!v) {
        problem(prefix + "." + key, err, where(node));
        continue;
      }
      apply_to(target, *f, prefix + "." + key, *v);
    }
  }

  void components(const toml::node& node) {
    auto arr = node.as_array();
    if (!arr || !arr->is_array_of_tables()) {
      return problem("component", "must be an array of tables: write [[component]] above each one", where(node));
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& t = *arr->get(i)->as_table();
      const std::string prefix = "component[" + std::to_string(i) + "]";
      ComponentConfig c;
      entry(c, component_fields(), prefix, t);
      if (!t.contains("kind")) problem(prefix + ".kind", "is required (e.g. \"web\" or \"service\")", where(t));
      if (!t.contains("version")) problem(prefix + ".version", "is required", where(t));
      component_where_.push_back(where(t));
      cfg_.components.push_back(std::move(c));
    }
  }

  void product_keys(const toml::node& node) {
    auto arr = node.as_array();
    if (!arr || !(arr->empty() || arr->is_array_of_tables())) {
      return problem("product.keys", "must be an array of tables: write [[product.keys]] above each one", where(node));
    }
    cfg_.product.keys.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto& t = *arr->get(i)->as_table();
      const std::string prefix = "product.keys[" + std::to_string(i) + "]";
      ProductKeyConfig k;
      entry(k, product_key_fields(), prefix, t);
      if (!t.contains("name")) problem(prefix + ".name", "is required (e.g. \"encryption\")", where(t));
      if (k.env.empty() == k.file.empty()) problem(prefix, "set exactly one of env or file", where(t));
      cfg_.product.keys.push_back(std::move(k));
    }
  }

  void derive_defaults() {
    if (cfg_.agent.name.empty()) {
      char host[256] = {};
      if (::gethostname(host, sizeof host - 1) == 0) cfg_.agent.name = host;
      if (cfg_.agent.name.empty()) cfg_.agent.name = "localhost";
    }
    if (cfg_.product.fingerprint_salt.empty()) cfg_.product.fingerprint_salt = cfg_.agent.cluster;
    if (cfg_.server.os_name.empty() || cfg_.server.os_version.empty()) {
      std::map<std::string, std::string> rel;
      for (const char* p : {"/etc/os-release", "/usr/lib/os-release"}) {
        std::ifstream in(p);
        std::string line;
        while (std::getline(in, line)) {
          auto eq = line.find('=');
          if (eq == std::string::npos) continue;
          std::string v = line.substr(eq + 1);
          if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
          rel[line.substr(0, eq)] = v;
        }
        if (!rel.empty()) break;
      }
      utsname u{};
      const bool have_uname = ::uname(&u) == 0;
      if (cfg_.server.os_name.empty()) cfg_.server.os_name = rel.count("NAME") ? rel["NAME"] : have_uname ? u.sysname : "";
      if (cfg_.server.os_version.empty()) {
        cfg_.server.os_version = rel.count("VERSION_ID") ? rel["VERSION_ID"] : have_uname ? u.release : "";
      }
    }
  }

  void validate() {
    const auto& g = cfg_.gossip;
    if (g.plaintext && !g.keyring.empty()) {
      problems_.push_back("gossip.plaintext: true, but a gossip key is configured (" + g.key_source +
                          "): remove the key or set plaintext = false");
    }
    if (g.probe_interval && g.probe_timeout && *g.probe_timeout >= *g.probe_interval) {
      problems_.push_back("gossip.probe_timeout: must be shorter than gossip.probe_interval");
    }
    if (cfg_.http.tls_cert.empty() != cfg_.http.tls_key.empty()) {
      problems_.push_back("http.tls_cert / http.tls_key: set both (HTTPS) or neither (HTTP)");
    }
    std::set<std::string> kinds;
    for (std::size_t i = 0; i < cfg_.components.size(); ++i) {
      const auto& c = cfg_.components[i];
      const std::string prefix = "component[" + std::to_string(i) + "]";
      const std::string& w = i < component_where_.size() ? component_where_[i] : label_;
      if (!c.kind.empty() && !kinds.insert(c.kind).second) {
        problems_.push_back(prefix + ".kind: \"" + c.kind + "\" is declared twice (" + w + ")");
      }
      if (c.check_timeout >= c.check_interval) {
        problems_.push_back(prefix + ".check_timeout: must be shorter than check_interval (" + w + ")");
      }
    }
    std::set<std::string> names;
    for (const auto& k : cfg_.product.keys) {
      if (!k.name.empty() && !names.insert(k.name).second) {
        problems_.push_back("product.keys: \"" + k.name + "\" is declared twice");
      }
    }
  }

  const Environ& env_;
  AgentConfig cfg_;
  std::vector<std::string> problems_;
  std::vector<std::string> unknown_env_;
  std::vector<std::string> component_where_;
  std::string label_;
};

}  // namespace

Result<AgentConfig, ConfigError> load_config(const std::optional<fs::path>& file, const Environ& env,
                                             const Overrides& overrides) {
  try {
    Loader loader(env);
    loader.defaults();
    if (file) loader.file(*file);
    loader.environment();
    loader.overrides(overrides);
    loader.finish();
    return std::move(loader).result();
  } catch (const std::exception& e) {  // allocation failure or a library surprise: still a value
    return ConfigError{{std::string("configuration: ") + e.what()}};
  }
}

}  // namespace rollcall::daemon::config
