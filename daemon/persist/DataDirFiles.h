// The format of each data-directory file, apart from the file system: file text -> value (checked,
// errors name the file) and value -> file text (checksummed JSON). DataDir reads and writes the
// files; everything that interprets their bytes is here, so it can be tested and fuzzed in memory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/persist/LocalState.h"
#include "daemon/persist/Result.h"
#include "membership/Address.h"
#include "membership/ClusterItem.h"
#include "membership/NodeId.h"
#include "membership/StateEntry.h"

namespace rollcall::daemon::persist {

class DataDirFiles {
 public:
  // `file` is only used in error messages. Each decoder accepts exactly what its encoder writes
  // and reports anything else (checksum, shape, types, ranges) as an error.
  static Result<membership::NodeId> identity(std::string_view text, const std::filesystem::path& file);
  static std::string identity_text(const membership::NodeId& id, std::int64_t created_unix_ms);

  static Result<std::uint64_t> generation(std::string_view text, const std::filesystem::path& file);
  static std::string generation_text(std::uint64_t generation);

  // The state must belong to `owner`; every entry's version is at most the counter.
  static Result<LocalState> local_state(std::string_view text, const std::filesystem::path& file,
                                        const membership::NodeId& owner);
  // Fails (naming the entry) if an entry's version is above `counter`.
  static Result<std::string> local_state_text(const membership::NodeId& owner, std::uint64_t counter,
                                              std::span<const membership::StateEntry> entries,
                                              const std::filesystem::path& file);

  static Result<std::vector<membership::ClusterItem>> cluster_items(std::string_view text,
                                                                    const std::filesystem::path& file);
  static std::string cluster_items_text(std::span<const membership::ClusterItem> items);

  static Result<std::vector<membership::Address>> peers(std::string_view text, const std::filesystem::path& file);
  static std::string peers_text(std::span<const membership::Address> peers);
};

}  // namespace rollcall::daemon::persist
