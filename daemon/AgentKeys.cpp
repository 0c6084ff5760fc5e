// Agent: the gossip keyring — loaded from the data directory (after a rotation) or the config,
// persisted as base64 lines (primary first, owner-only file), and rotated through the API.
#include <spdlog/spdlog.h>

#include <sstream>

#include "daemon/Agent.h"
#include "daemon/EngineDriver.h"
#include "daemon/persist/AtomicFile.h"
#include "daemon/persist/DataDir.h"
#include "gossip/crypto/Keyring.h"

namespace rollcall::daemon {

namespace {
constexpr const char* kKeyringFile = "keyring";
}

std::optional<std::string> Agent::load_keyring() {
  const auto path = data_->path() / kKeyringFile;
  std::vector<std::string> keys;
  if (persist::AtomicFile::exists(path)) {
    auto text = persist::AtomicFile::read(path, 1 << 20);
    if (!text) return "keyring: " + text.error();
    std::istringstream in(text.value());
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (line.empty()) continue;
      if (!gossip::crypto::Keyring::parse_key(line)) return path.string() + ":" + std::to_string(n) + ": not a base64 32-byte key";
      keys.push_back(line);
    }
  }
  if (keys.empty()) {
    for (const auto& k : cfg_.gossip.keyring.keys()) keys.push_back(gossip::crypto::Keyring::encode_key(k));
  }
  gossip_keys_ = std::move(keys);
  return std::nullopt;
}

std::optional<std::string> Agent::save_keyring() {
  std::string text;
  for (const auto& k : gossip_keys_) text += k + "\n";
  auto st = persist::AtomicFile::write(data_->path() / kKeyringFile, text);
  if (!st) {
    counters_.persist_failures++;
    return st.message();
  }
  return std::nullopt;
}

void Agent::apply_keyring() {
  gossip::crypto::Keyring ring;
  for (const auto& k : gossip_keys_) ring.install(*gossip::crypto::Keyring::parse_key(k));
  driver_->engine_mut().envelope().set_keyring(std::move(ring));
  if (auto err = save_keyring()) spdlog::error("could not save the keyring: {}", *err);
  publish_keyring();
}

ApiResult Agent::keys_json() const {
  const auto& ring = driver_->engine_mut().envelope().keyring();
  nlohmann::json members = nlohmann::json::array();
  const auto& e = driver_->engine();
  e.members().for_each([&](const membership::Member& m) {
    if (!membership::is_live(m.state)) return;
    nlohmann::json row{{"name", m.name}, {"id", m.id.short_hex()}};
    if (const auto* se = e.state().find(m.id, "keyring")) {
      if (const auto* info = std::get_if<membership::KeyringInfo>(&se->entry.value)) {
        row["primary"] = info->primary;
        row["installed"] = info->installed;
      }
    }
    if (!row.contains("installed")) row["installed"] = nlohmann::json::array();
    members.push_back(std::move(row));
  });
  return ApiResult::ok({{"primary", ring.primary_id()}, {"installed", ring.ids()}, {"members", members}});
}

ApiResult Agent::keys_op(const std::string& op, const nlohmann::json& body) {
  if (driver_->engine_mut().envelope().encrypted() == false)
    return ApiResult::error(409, "PLAINTEXT", "this agent runs without encryption; configure a gossip key first");
  auto field = [&](const char* name) -> std::optional<std::string> {
    auto it = body.find(name);
    if (it == body.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto ids = [&] {
    std::vector<std::string> out;
    for (const auto& k : gossip_keys_) out.push_back(gossip::crypto::Keyring::key_id(*gossip::crypto::Keyring::parse_key(k)));
    return out;
  }();
  if (op == "install") {
    auto key = field("key");
    if (!key) return ApiResult::error(400, "MISSING_FIELD", "body must be {\"key\": \"<base64 of 32 bytes>\"}");
    auto parsed = gossip::crypto::Keyring::parse_key(*key);
    if (!parsed) return ApiResult::error(400, "INVALID_KEY", "the key must be base64 of exactly 32 bytes (`rollcall keygen`)");
    const auto id = gossip::crypto::Keyring::key_id(*parsed);
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      gossip_keys_.push_back(gossip::crypto::Keyring::encode_key(*parsed));
      apply_keyring();
      spdlog::info("gossip key {} installed", id);
    }
    return ApiResult::ok({{"installed", id}});
  }
  auto id = field("id");
  if (!id) return ApiResult::error(400, "MISSING_FIELD", "body must be {\"id\": \"<key id>\"}");
  auto pos = std::find(ids.begin(), ids.end(), *id);
  if (pos == ids.end()) return ApiResult::error(404, "UNKNOWN_KEY", "no installed key has id " + *id);
  const auto index = static_cast<std::size_t>(pos - ids.begin());
  if (op == "use") {
    // Cluster-wide safety: every live member must already accept the key.
    std::vector<std::string> missing;
    const auto& e = driver_->engine();
    e.members().for_each([&](const membership::Member& m) {
      if (!membership::is_live(m.state) || m.id == e.identity().id) return;
      const auto* se = e.state().find(m.id, "keyring");
      const auto* info = se ? std::get_if<membership::KeyringInfo>(&se->entry.value) : nullptr;
      if (!info || std::find(info->installed.begin(), info->installed.end(), *id) == info->installed.end())
        missing.push_back(m.name);
    });
    if (!missing.empty()) {
      std::string list;
      for (const auto& n : missing) list += (list.empty() ? "" : ", ") + n;
      return ApiResult::error(409, "KEY_NOT_EVERYWHERE",
                              "key " + *id + " is not installed on every live member yet (missing: " + list +
                                  "); run `rollcall keys install` on them first");
    }
    std::rotate(gossip_keys_.begin(), gossip_keys_.begin() + static_cast<long>(index), gossip_keys_.begin() + static_cast<long>(index) + 1);
    apply_keyring();
    spdlog::info("gossip key {} is now primary", *id);
    return ApiResult::ok({{"primary", *id}});
  }
  if (op == "remove") {
    if (index == 0) return ApiResult::error(409, "KEY_IS_PRIMARY", "key " + *id + " is the primary key; `use` another key first");
    gossip_keys_.erase(gossip_keys_.begin() + static_cast<long>(index));
    apply_keyring();
    spdlog::info("gossip key {} removed", *id);
    return ApiResult::ok({{"removed", *id}});
  }
  return ApiResult::error(404, "NOT_FOUND", "unknown keys operation: " + op);
}

}  // namespace rollcall::daemon
