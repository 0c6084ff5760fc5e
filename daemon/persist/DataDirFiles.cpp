#include "daemon/persist/DataDirFiles.h"

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/JsonFields.h"
#include "daemon/persist/ModelJson.h"

namespace rollcall::daemon::persist {

namespace fs = std::filesystem;
using nlohmann::json;
namespace m = rollcall::membership;

Result<m::NodeId> DataDirFiles::identity(std::string_view text, const fs::path& file) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  JsonFields f(*body, "");
  std::string hex;
  std::int64_t created = 0;
  f.str("id", hex) && f.i64("created_unix_ms", created, false);
  if (!f.ok()) return Result<m::NodeId>::failure(file.string() + ": " + f.error());
  auto id = m::NodeId::parse(hex);
  if (!id || id->is_nil()) return Result<m::NodeId>::failure(file.string() + ": id: expected 32 hex digits, not all zero");
  return *id;
}

std::string DataDirFiles::identity_text(const m::NodeId& id, std::int64_t created_unix_ms) {
  return ChecksummedJson::encode(json{{"id", id.hex()}, {"created_unix_ms", created_unix_ms}});
}

Result<std::uint64_t> DataDirFiles::generation(std::string_view text, const fs::path& file) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  JsonFields f(*body, "");
  std::uint64_t g = 0;
  if (!f.u64("generation", g)) return Result<std::uint64_t>::failure(file.string() + ": " + f.error());
  return g;
}

std::string DataDirFiles::generation_text(std::uint64_t generation) {
  return ChecksummedJson::encode(json{{"generation", generation}});
}

Result<LocalState> DataDirFiles::local_state(std::string_view text, const fs::path& file, const m::NodeId& owner) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  LocalState out;
  JsonFields fields(*body, "");
  std::string owner_hex;
  fields.str("node_id", owner_hex) && fields.u64("counter", out.counter) && fields.field("entries") &&
      fields.only({"node_id", "counter", "entries"});
  if (!fields.ok()) return Result<LocalState>::failure(file.string() + ": " + fields.error());
  if (owner_hex != owner.hex())
    return Result<LocalState>::failure(file.string() + ": belongs to node " + owner_hex + ", not to this node " +
                                       owner.hex());
  const json& list = (*body)["entries"];
  if (!list.is_array()) return Result<LocalState>::failure(file.string() + ": entries: expected an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto e = ModelJson::state_entry(list[i], "entries[" + std::to_string(i) + "]");
    if (!e) return Result<LocalState>::failure(file.string() + ": " + e.error());
    if (e->version > out.counter)
      return Result<LocalState>::failure(file.string() + ": entries[" + std::to_string(i) + "]: version " +
                                         std::to_string(e->version) + " above the counter " +
                                         std::to_string(out.counter));
    out.entries.push_back(std::move(*e));
  }
  return out;
}

Result<std::string> DataDirFiles::local_state_text(const m::NodeId& owner, std::uint64_t counter,
                                                   std::span<const m::StateEntry> entries, const fs::path& file) {
  json list = json::array();
  for (const auto& e : entries) {
    if (e.version > counter)
      return Result<std::string>::failure("cannot write " + file.string() + ": entry " + e.key + " has version " +
                                          std::to_string(e.version) + " above the counter " + std::to_string(counter));
    list.push_back(ModelJson::to_json(e));
  }
  return ChecksummedJson::encode(json{{"node_id", owner.hex()}, {"counter", counter}, {"entries", std::move(list)}});
}

Result<std::vector<m::ClusterItem>> DataDirFiles::cluster_items(std::string_view text, const fs::path& file) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  std::vector<m::ClusterItem> out;
  JsonFields fields(*body, "");
  const json* list = fields.field("items");
  fields.only({"items"});
  if (!fields.ok()) return Result<std::vector<m::ClusterItem>>::failure(file.string() + ": " + fields.error());
  if (!list->is_array()) return Result<std::vector<m::ClusterItem>>::failure(file.string() + ": items: expected an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = ModelJson::cluster_item((*list)[i], "items[" + std::to_string(i) + "]");
    if (!item) return Result<std::vector<m::ClusterItem>>::failure(file.string() + ": " + item.error());
    out.push_back(std::move(*item));
  }
  return out;
}

std::string DataDirFiles::cluster_items_text(std::span<const m::ClusterItem> items) {
  json list = json::array();
  for (const auto& item : items) list.push_back(ModelJson::to_json(item));
  return ChecksummedJson::encode(json{{"items", std::move(list)}});
}

Result<std::vector<m::Address>> DataDirFiles::peers(std::string_view text, const fs::path& file) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  std::vector<m::Address> out;
  JsonFields fields(*body, "");
  const json* list = fields.field("peers");
  fields.only({"peers"});
  if (!fields.ok()) return Result<std::vector<m::Address>>::failure(file.string() + ": " + fields.error());
  if (!list->is_array()) return Result<std::vector<m::Address>>::failure(file.string() + ": peers: expected an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto a = ModelJson::address((*list)[i], "peers[" + std::to_string(i) + "]");
    if (!a) return Result<std::vector<m::Address>>::failure(file.string() + ": " + a.error());
    out.push_back(*a);
  }
  return out;
}

std::string DataDirFiles::peers_text(std::span<const m::Address> peers) {
  json list = json::array();
  for (const auto& a : peers) list.push_back(ModelJson::to_json(a));
  return ChecksummedJson::encode(json{{"peers", std::move(list)}});
}

}  // namespace rollcall::daemon::persist
