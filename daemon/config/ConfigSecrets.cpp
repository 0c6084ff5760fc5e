#include "daemon/config/ConfigSecrets.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace rollcall::daemon::config {
namespace {

namespace fs = std::filesystem;
constexpr std::uintmax_t kMaxSecretFileBytes = 64 * 1024;

fs::path resolve(const std::string& p, const fs::path& base) {
  fs::path path(p);
  return path.is_relative() && !base.empty() ? base / path : path;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Reads a small secret file. On failure returns the reason (never the content); `warning` gets a
// note when the file is readable by group or others.
std::optional<std::string> read_secret_file(const fs::path& path, std::string& out, std::string& warning) {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return "cannot read " + path.string() + ": " + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return path.string() + " is not a regular file";
  if (static_cast<std::uintmax_t>(st.st_size) > kMaxSecretFileBytes) return path.string() + " is larger than 64 KiB";
  std::ifstream in(path, std::ios::binary);
  if (!in) return "cannot read " + path.string() + ": " + std::strerror(errno);
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    warning = path.string() + " is readable by other users (mode " + mode + "); chmod 600 it";
  }
  return std::nullopt;
}

void load_gossip_keys(AgentConfig& c, const Environ& env, const fs::path& base, std::vector<std::string>& problems) {
  auto& g = c.gossip;
  g.keyring = {};
  g.key_source.clear();
  if (!g.key_file.empty()) {
    const fs::path path = resolve(g.key_file, base);
    std::string content, warning;
    if (auto e = read_secret_file(path, content, warning)) {
      problems.push_back("gossip.key_file: " + *e);
      return;
    }
    if (!warning.empty()) c.warnings.push_back("gossip.key_file: " + warning);
    std::istringstream lines(content);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
      ++n;
      std::string_view t = trim(line);
      if (t.empty() || t.front() == '#') continue;
      auto key = gossip::crypto::Keyring::parse_key(t);
      if (!key) {
        problems.push_back("gossip.key_file: line " + std::to_string(n) + " of " + path.string() +
                           " is not a base64-encoded 32-byte key (`rollcall keygen` prints one)");
        continue;
      }
      g.keyring.install(*key);
    }
    if (g.keyring.empty()) problems.push_back("gossip.key_file: " + path.string() + " holds no key");
    g.key_source = "file " + path.string();
    return;
  }
  if (g.key_env.empty()) return;
  auto it = env.find(g.key_env);
  if (it == env.end() || trim(it->second).empty()) return;
  std::string_view rest = it->second;
  int n = 0;
  while (!rest.empty()) {
    auto sep = rest.find_first_of(", \t\r\n");
    std::string_view item = rest.substr(0, sep);
    rest = sep == std::string_view::npos ? std::string_view{} : rest.substr(sep + 1);
    if (item.empty()) continue;
    ++n;
    auto key = gossip::crypto::Keyring::parse_key(item);
    if (!key) {
      problems.push_back("gossip.key_env: entry " + std::to_string(n) + " of environment variable " + g.key_env +
                         " is not a base64-encoded 32-byte key (`rollcall keygen` prints one)");
      continue;
    }
    g.keyring.install(*key);
  }
  g.key_source = "environment variable " + g.key_env;
}

void load_admin_token(AgentConfig& c, const Environ& env, const fs::path& base, std::vector<std::string>& problems) {
  auto& h = c.http;
  h.admin_token = Secret{};
  std::string value;
  if (!h.admin_token_file.empty()) {
    const fs::path path = resolve(h.admin_token_file, base);
    std::string content, warning;
    if (auto e = read_secret_file(path, content, warning)) {
      problems.push_back("http.admin_token_file: " + *e);
      return;
    }
    if (!warning.empty()) c.warnings.push_back("http.admin_token_file: " + warning);
    value = std::string(trim(content));
    if (value.empty()) problems.push_back("http.admin_token_file: " + path.string() + " is empty");
  } else if (!h.admin_token_env.empty()) {
    auto it = env.find(h.admin_token_env);
    if (it != env.end()) value = std::string(trim(it->second));
  }
  if (value.find_first_of("\r\n") != std::string::npos) {
    problems.push_back("http.admin_token: the token must be a single line");
    return;
  }
  if (!value.empty() && value.size() < 16) {
    c.warnings.push_back("http: the admin token is shorter than 16 characters; `rollcall keygen` makes a strong one");
  }
  h.admin_token = Secret(std::move(value));
}

void load_product_keys(AgentConfig& c, const Environ& env, const fs::path& base, std::vector<std::string>& problems) {
  for (std::size_t i = 0; i < c.product.keys.size(); ++i) {
    auto& k = c.product.keys[i];
    const std::string label = "product.keys[" + std::to_string(i) + "] (" + k.name + ")";
    k.value = Secret{};
    if (!k.file.empty()) {
      std::string content, warning;
      if (auto e = read_secret_file(resolve(k.file, base), content, warning)) {
        problems.push_back(label + ".file: " + *e);
        continue;
      }
      k.value = Secret(std::string(trim(content)));
    } else if (!k.env.empty()) {
      auto it = env.find(k.env);
      if (it != env.end()) k.value = Secret(it->second);
    }
  }
}

}  // namespace

void load_secrets(AgentConfig& config, const Environ& env, const fs::path& base_dir, std::vector<std::string>& problems) {
  load_gossip_keys(config, env, base_dir, problems);
  load_admin_token(config, env, base_dir, problems);
  load_product_keys(config, env, base_dir, problems);
}

}  // namespace rollcall::daemon::config
