// Target config_load: config::load_config with the input written as the agent's TOML file, next to
// a valid gossip key file, admin token file and product key file (so relative *_file keys reach
// the secret loaders). Lines "#%env NAME=VALUE" and "#%set section.key=value" (TOML comments) add
// environment variables and command-line overrides. On success describe() runs, and no secret
// loaded from a file may appear in its output (secrets are shown redacted, keys by id).
#include <filesystem>
#include <fstream>
#include <string>

#include "daemon/config/ConfigLoader.h"
#include "fuzz/Targets.h"
#include "fuzz/support/Scratch.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::fuzz {

namespace {

namespace fs = std::filesystem;
namespace config = daemon::config;
constexpr std::string_view kName = "config_load";

// Secret file contents (also written by fuzz/tools/MakeSeeds.cpp's seeds as file names only).
constexpr std::string_view kGossipKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr std::string_view kAdminToken = "fuzz-admin-token-4f1c2e9a7b";
constexpr std::string_view kProductKey = "fuzz-product-key-93be01d6";

void write_file(const fs::path& p, std::string_view text, fs::perms mode) {
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  std::error_code ec;
  fs::permissions(p, mode, ec);
}

const fs::path& dir() {
  static const fs::path d = [] {
    auto p = scratch_dir("config");
    const auto owner = fs::perms::owner_read | fs::perms::owner_write;
    write_file(p / "gossip.key", std::string(kGossipKey) + "\n", owner);
    write_file(p / "admin.token", std::string(kAdminToken) + "\n", owner);
    write_file(p / "product.key", kProductKey, owner | fs::perms::group_read);
    return p;
  }();
  return d;
}

}  // namespace

int config_load(Input in) {
  const std::string text(reinterpret_cast<const char*>(in.data()), in.size());
  const fs::path file = dir() / "agent.toml";
  write_file(file, text, fs::perms::owner_read | fs::perms::owner_write);

  config::Environ env;
  config::Overrides overrides;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    for (auto [tag, is_env] : {std::pair{std::string_view("#%env "), true}, std::pair{std::string_view("#%set "), false}}) {
      if (!line.starts_with(tag)) continue;
      const auto kv = line.substr(tag.size());
      const auto eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      if (is_env) {
        env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
      } else if (overrides.size() < 16) {
        overrides.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
      }
    }
    pos = end + 1;
  }

  auto result = config::load_config(file, env, overrides);
  std::string shown;
  auto hidden = [&](std::string_view secret) {
    if (secret.size() < 8 || text.find(secret) != std::string::npos) return true;  // the input itself holds it
    for (const auto& [k, v] : env)
      if (v.find(secret) != std::string::npos) return true;
    return shown.find(secret) == std::string::npos;
  };
  if (!result) {
    check(!result.error().problems.empty(), kName, "a failed load lists no problem");
    shown = result.error().message();
    for (auto secret : {kGossipKey, kAdminToken, kProductKey})
      check(hidden(secret), kName, "an error message shows the content of a secret file");
    return 0;
  }
  const auto& cfg = result.value();
  shown = config::describe(cfg);
  for (const auto& w : cfg.warnings) shown += "\n" + w;
  check(hidden(cfg.http.admin_token.reveal()), kName, "describe() shows the admin token");
  for (const auto& k : cfg.product.keys) check(hidden(k.value.reveal()), kName, "describe() shows a product key");
  for (const auto& key : cfg.gossip.keyring.keys())
    check(hidden(gossip::crypto::Keyring::encode_key(key)), kName, "describe() shows a gossip key");
  return 0;
}

}  // namespace rollcall::fuzz
