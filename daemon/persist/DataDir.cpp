#include "daemon/persist/DataDir.h"

#include <openssl/rand.h>

#include <chrono>
#include <system_error>

#include "daemon/persist/AtomicFile.h"
#include "daemon/persist/DataDirFiles.h"

namespace rollcall::daemon::persist {

namespace fs = std::filesystem;
namespace m = rollcall::membership;

namespace {

// The text of a data-directory file; a missing file is reported as `missing` (not an error).
Result<std::string> read_text(const fs::path& file, bool& missing) {
  missing = !AtomicFile::exists(file);
  if (missing) return std::string();
  return AtomicFile::read(file);
}

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
    auto text = read_text(gen_file, gen_missing);
    Result<std::uint64_t> g = text ? DataDirFiles::generation(*text, gen_file) : Result<std::uint64_t>(text.status());
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
    auto text = read_text(id_file, id_missing);
    Result<m::NodeId> id = text ? (id_missing ? Result<m::NodeId>(m::NodeId{}) : DataDirFiles::identity(*text, id_file))
                                : Result<m::NodeId>(text.status());
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
  if (auto st = AtomicFile::write(gen_file, DataDirFiles::generation_text(next)); !st) return st;
  d.identity_.generation = next;
  if (id_missing) {
    const auto created = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
    if (auto st = AtomicFile::write(id_file, DataDirFiles::identity_text(d.identity_.id, created)); !st) return st;
  }
  return d;
}

Status DataDir::save_local_state(std::uint64_t counter, std::span<const m::StateEntry> entries) {
  const fs::path f = file(kLocalStateFile);
  auto text = DataDirFiles::local_state_text(identity_.id, counter, entries, f);
  if (!text) return text.status();
  return AtomicFile::write(f, *text);
}

Result<LocalState> DataDir::load_local_state() const {
  const fs::path f = file(kLocalStateFile);
  bool missing = false;
  auto text = read_text(f, missing);
  if (!text) return text.status();
  if (missing) return LocalState{};
  return DataDirFiles::local_state(*text, f, identity_.id);
}

Status DataDir::save_cluster_items(std::span<const m::ClusterItem> items) {
  return AtomicFile::write(file(kClusterFile), DataDirFiles::cluster_items_text(items));
}

Result<std::vector<m::ClusterItem>> DataDir::load_cluster_items() const {
  const fs::path f = file(kClusterFile);
  bool missing = false;
  auto text = read_text(f, missing);
  if (!text) return text.status();
  if (missing) return std::vector<m::ClusterItem>{};
  return DataDirFiles::cluster_items(*text, f);
}

Status DataDir::save_peers(std::span<const m::Address> peers) {
  return AtomicFile::write(file(kPeersFile), DataDirFiles::peers_text(peers));
}

Result<std::vector<m::Address>> DataDir::load_peers() const {
  const fs::path f = file(kPeersFile);
  bool missing = false;
  auto text = read_text(f, missing);
  if (!text) return text.status();
  if (missing) return std::vector<m::Address>{};
  return DataDirFiles::peers(*text, f);
}

}  // namespace rollcall::daemon::persist
