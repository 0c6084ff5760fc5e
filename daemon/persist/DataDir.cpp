#include "daemon/persist/DataDir.h"

#include <openssl/rand.h>

#include <chrono>
#include <system_error>

#include "daemon/persist/AtomicFile.h"
#include "daemon/persist/ChecksummedJson.h"
#include "daemon/persist/JsonFields.h"
#include "daemon/persist/ModelJson.h"

namespace rollcall::daemon::persist {

namespace fs = std::filesystem;
using nlohmann::json;
namespace m = rollcall::membership;

namespace {

// The body of a checksummed file; a missing file is reported as `missing` (not an error).
Result<json> read_body(const fs::path& file, bool& missing) {
  missing = !AtomicFile::exists(file);
  if (missing) return json(nullptr);
  auto text = AtomicFile::read(file);
  if (!text) return text.status();
  return ChecksummedJson::decode(*text, file);
}

Status write_body(const fs::path& file, const json& body) { return AtomicFile::write(file, ChecksummedJson::encode(body)); }

std::uint64_t unix_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

Result<m::NodeId> new_node_id() {
  m::NodeId::Bytes b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
    return Result<m::NodeId>::failure("cannot create a node id: the system random generator failed");
  return m::NodeId(b);
}

Result<m::NodeId> parse_identity(const json& body, const fs::path& file) {
  JsonFields f(body, "");
  std::string hex;
  std::int64_t created = 0;
  f.str("id", hex) && f.i64("created_unix_ms", created, false);
  if (!f.ok()) return Result<m::NodeId>::failure(file.string() + ": " + f.error());
  auto id = m::NodeId::parse(hex);
  if (!id || id->is_nil()) return Result<m::NodeId>::failure(file.string() + ": id: expected 32 hex digits, not all zero");
  return *id;
}

Result<std::uint64_t> parse_generation(const json& body, const fs::path& file) {
  JsonFields f(body, "");
  std::uint64_t g = 0;
  if (!f.u64("generation", g)) return Result<std::uint64_t>::failure(file.string() + ": " + f.error());
  return g;
}

}  // namespace

Result<DataDir> DataDir::open(const fs::path& dir_in, bool allow_reset) {
  std::error_code ec;
  fs::create_directories(dir_in, ec);
  if (ec) return Result<DataDir>::failure("cannot create data directory " + dir_in.string() + ": " + ec.message());
  if (!fs::is_directory(dir_in, ec))
    return Result<DataDir>::failure("data directory " + dir_in.string() + " is not a directory");
  fs::path dir = fs::absolute(dir_in, ec);
  if (ec) dir = dir_in;

  auto lock = DirLock::acquire(dir);
  if (!lock) return lock.status();
  DataDir d(dir, std::move(*lock));

  // A corrupt file: fail, or (allow_reset) move it aside and note it.
  auto reset = [&](const fs::path& file, const std::string& problem) -> Status {
    if (!allow_reset)
      return Status::error(problem + ". Refusing to start with half-loaded state; restore the file from a backup, or "
                                     "start with allow_reset to move it aside and start that part fresh.");
    if (!AtomicFile::exists(file)) {
      d.notices_.push_back(problem + "; started fresh");
      return {};
    }
    auto moved = AtomicFile::move_aside(file);
    if (!moved) return moved.status();
    d.notices_.push_back(problem + "; moved aside to " + moved->string() + " and started fresh");
    return {};
  };

  // Generation first: at first use it is written before the identity, so a crash in between only
  // leaves a generation behind (harmless: the next open creates the id and bumps it further).
  const fs::path gen_file = d.file(kGenerationFile);
  const fs::path id_file = d.file(kIdentityFile);
  bool gen_missing = false, id_missing = false;
  std::uint64_t previous = 0;
  bool gen_reset = false;
  {
    auto body = read_body(gen_file, gen_missing);
    Result<std::uint64_t> g = body ? parse_generation(*body, gen_file) : Result<std::uint64_t>(body.status());
    if (gen_missing) {
      previous = 0;
    } else if (g) {
      previous = *g;
    } else {
      auto st = reset(gen_file, g.error());
      if (!st) return st;
      gen_reset = true;
    }
  }
  {
    auto body = read_body(id_file, id_missing);
    Result<m::NodeId> id = body ? (id_missing ? Result<m::NodeId>(m::NodeId{}) : parse_identity(*body, id_file))
                                : Result<m::NodeId>(body.status());
    if (!id) {
      auto st = reset(id_file, id.error());
      if (!st) return st;
      id_missing = true;
    } else if (!id_missing) {
      d.identity_.id = *id;
    }
    if (!id_missing && gen_missing && !gen_reset) {
      auto st = reset(gen_file, gen_file.string() + ": missing although " + id_file.string() +
                                    " exists (the generation must only grow)");
      if (!st) return st;
      gen_reset = true;
    }
  }
  if (id_missing) {
    auto id = new_node_id();
    if (!id) return id.status();
    d.identity_.id = *id;
  }

  // Validate the other files before writing anything, so a corrupt one stops the start (and the
  // directory is left as it was) rather than surfacing later.
  auto check = [&](const char* name, auto load) -> Status {
    auto loaded = load();
    if (loaded) return {};
    return reset(d.file(name), loaded.error());
  };
  if (auto st = check(kLocalStateFile, [&] { return d.load_local_state(); }); !st) return st;
  if (auto st = check(kClusterFile, [&] { return d.load_cluster_items(); }); !st) return st;
  if (auto st = check(kPeersFile, [&] { return d.load_peers(); }); !st) return st;

  std::uint64_t next = previous + 1;
  if (gen_reset && !id_missing) next = std::max(next, unix_seconds());
  if (auto st = write_body(gen_file, json{{"generation", next}}); !st) return st;
  d.identity_.generation = next;
  if (id_missing) {
    const auto created = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    if (auto st = write_body(id_file, json{{"id", d.identity_.id.hex()}, {"created_unix_ms", created}}); !st) return st;
  }
  return d;
}

Status DataDir::save_local_state(std::uint64_t counter, std::span<const m::StateEntry> entries) {
  json list = json::array();
  for (const auto& e : entries) {
    if (e.version > counter)
      return Status::error("cannot write " + file(kLocalStateFile).string() + ": entry " + e.key + " has version " +
                           std::to_string(e.version) + " above the counter " + std::to_string(counter));
    list.push_back(ModelJson::to_json(e));
  }
  return write_body(file(kLocalStateFile),
                    json{{"node_id", identity_.id.hex()}, {"counter", counter}, {"entries", std::move(list)}});
}

Result<LocalState> DataDir::load_local_state() const {
  const fs::path f = file(kLocalStateFile);
  bool missing = false;
  auto body = read_body(f, missing);
  if (!body) return body.status();
  LocalState out;
  if (missing) return out;
  JsonFields fields(*body, "");
  std::string owner;
  fields.str("node_id", owner) && fields.u64("counter", out.counter) && fields.field("entries") &&
      fields.only({"node_id", "counter", "entries"});
  if (!fields.ok()) return Result<LocalState>::failure(f.string() + ": " + fields.error());
  if (owner != identity_.id.hex())
    return Result<LocalState>::failure(f.string() + ": belongs to node " + owner + ", not to this node " +
                                       identity_.id.hex());
  const json& list = (*body)["entries"];
  if (!list.is_array()) return Result<LocalState>::failure(f.string() + ": entries: expected an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    auto e = ModelJson::state_entry(list[i], "entries[" + std::to_string(i) + "]");
    if (!e) return Result<LocalState>::failure(f.string() + ": " + e.error());
    if (e->version > out.counter)
      return Result<LocalState>::failure(f.string() + ": entries[" + std::to_string(i) + "]: version " +
                                         std::to_string(e->version) + " above the counter " +
                                         std::to_string(out.counter));
    out.entries.push_back(std::move(*e));
  }
  return out;
}

Status DataDir::save_cluster_items(std::span<const m::ClusterItem> items) {
  json list = json::array();
  for (const auto& item : items) list.push_back(ModelJson::to_json(item));
  return write_body(file(kClusterFile), json{{"items", std::move(list)}});
}

Result<std::vector<m::ClusterItem>> DataDir::load_cluster_items() const {
  const fs::path f = file(kClusterFile);
  bool missing = false;
  auto body = read_body(f, missing);
  if (!body) return body.status();
  std::vector<m::ClusterItem> out;
  if (missing) return out;
  JsonFields fields(*body, "");
  const json* list = fields.field("items");
  fields.only({"items"});
  if (!fields.ok()) return Result<std::vector<m::ClusterItem>>::failure(f.string() + ": " + fields.error());
  if (!list->is_array()) return Result<std::vector<m::ClusterItem>>::failure(f.string() + ": items: expected an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = ModelJson::cluster_item((*list)[i], "items[" + std::to_string(i) + "]");
    if (!item) return Result<std::vector<m::ClusterItem>>::failure(f.string() + ": " + item.error());
    out.push_back(std::move(*item));
  }
  return out;
}

Status DataDir::save_peers(std::span<const m::Address> peers) {
  json list = json::array();
  for (const auto& a : peers) list.push_back(ModelJson::to_json(a));
  return write_body(file(kPeersFile), json{{"peers", std::move(list)}});
}

Result<std::vector<m::Address>> DataDir::load_peers() const {
  const fs::path f = file(kPeersFile);
  bool missing = false;
  auto body = read_body(f, missing);
  if (!body) return body.status();
  std::vector<m::Address> out;
  if (missing) return out;
  JsonFields fields(*body, "");
  const json* list = fields.field("peers");
  fields.only({"peers"});
  if (!fields.ok()) return Result<std::vector<m::Address>>::failure(f.string() + ": " + fields.error());
  if (!list->is_array()) return Result<std::vector<m::Address>>::failure(f.string() + ": peers: expected an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto a = ModelJson::address((*list)[i], "peers[" + std::to_string(i) + "]");
    if (!a) return Result<std::vector<m::Address>>::failure(f.string() + ": " + a.error());
    out.push_back(*a);
  }
  return out;
}

}  // namespace rollcall::daemon::persist
