// A node's data directory: identity.json (node id), generation (bumped at every open), local_state.json
// (own version counter and entries), cluster.json (cluster items), peers.json (last known peers) and
// LOCK. Opened once by the agent at start-up; every file is checksummed and written atomically. A
// corrupt file makes open() fail with a message naming it, unless allow_reset moves it aside.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "daemon/persist/DirLock.h"
#include "daemon/persist/Identity.h"
#include "daemon/persist/LocalState.h"
#include "daemon/persist/Result.h"
#include "membership/Address.h"
#include "membership/ClusterItem.h"
#include "membership/StateEntry.h"

namespace rollcall::daemon::persist {

class DataDir {
 public:
  static constexpr const char* kIdentityFile = "identity.json";
  static constexpr const char* kGenerationFile = "generation";
  static constexpr const char* kLocalStateFile = "local_state.json";
  static constexpr const char* kClusterFile = "cluster.json";
  static constexpr const char* kPeersFile = "peers.json";

  // Creates the directory if needed, locks it, creates the identity on first use, and persists a
  // generation strictly greater than any before (written before open returns). Validates every
  // file. Fails on a locked directory or any corrupt/unreadable file, naming it — unless
  // `allow_reset`, which moves a corrupt file to "<name>.corrupt-<n>" and starts that part fresh
  // (listed in notices()). A reset generation restarts at the current Unix time in seconds, above
  // any count of restarts, so the incarnation still outranks the old self.
  static Result<DataDir> open(const std::filesystem::path& dir, bool allow_reset);

  const Identity& identity() const { return identity_; }
  const std::filesystem::path& path() const { return dir_; }
  // What open() did that a person should know (files reset and where they were moved). Log them.
  const std::vector<std::string>& notices() const { return notices_; }

  // `counter` must be >= every entry's version.
  Status save_local_state(std::uint64_t counter, std::span<const membership::StateEntry> entries);
  Result<LocalState> load_local_state() const;  // counter 0 and no entries if never saved
  Status save_cluster_items(std::span<const membership::ClusterItem> items);
  Result<std::vector<membership::ClusterItem>> load_cluster_items() const;  // empty if never saved
  Status save_peers(std::span<const membership::Address> peers);
  Result<std::vector<membership::Address>> load_peers() const;  // empty if never saved

 private:
  DataDir(std::filesystem::path dir, DirLock lock) : dir_(std::move(dir)), lock_(std::move(lock)) {}
  std::filesystem::path file(const char* name) const { return dir_ / name; }

  std::filesystem::path dir_;
  DirLock lock_;
  Identity identity_;
  std::vector<std::string> notices_;
};

}  // namespace rollcall::daemon::persist
