#include "daemon/persist/DataDirFiles.h"

#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/JsonFields.h"
#include "daemon/persist/ModelJson.h"

namespace rollcall::daemon::persist {

namespace fs = std::filesystem;
using nlohmann::json;
namespace m = rollcall::membership;

namespace {

// A file whose body is {"<key>": [ ... ]}, each element decoded by `decode(element, "<key>[i]")`.
template <class T, class Decode>
Result<std::vector<T>> list_file(std::string_view text, const fs::path& file, const char* key, Decode decode) {
  auto body = ChecksummedJson::decode(text, file);
  if (!body) return body.status();
  JsonFields fields(*body, "");
  const json* list = fields.field(key);
  fields.only({key});
  if (!fields.ok()) return Result<std::vector<T>>::failure(file.string() + ": " + fields.error());
  if (!list->is_array()) return Result<std::vector<T>>::failure(file.string() + ": " + key + ": expected an array");
  std::vector<T> out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto v = decode((*list)[i], std::string(key) + "[" + std::to_string(i) + "]");
    if (!v) return Result<std::vector<T>>::failure(file.string() + ": " + v.error());
    out.push_back(std::move(*v));
  }
  return out;
}

template <class T>
std::string list_text(const char* key, std::span<const T> values) {
  json list = json::array();
  for (const auto& v : values) list.push_back(ModelJson::to_json(v));
  return ChecksummedJson::encode(json{{key, std::move(list)}});
}

}  // namespace

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
  return list_file<m::ClusterItem>(text, file, "items", ModelJson::cluster_item);
}

std::string DataDirFiles::cluster_items_text(std::span<const m::ClusterItem> items) {
  return list_text("items", items);
}

Result<std::vector<m::Address>> DataDirFiles::peers(std::string_view text, const fs::path& file) {
  return list_file<m::Address>(text, file, "peers", ModelJson::address);
}

std::string DataDirFiles::peers_text(std::span<const m::Address> peers) { return list_text("peers", peers); }

}  // namespace rollcall::daemon::persist
