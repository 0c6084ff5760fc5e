// Whole-file reads and crash-safe whole-file replacement: write a temp file in the same directory,
// fsync it, rename it over the target, fsync the directory. A failed write (ENOSPC, EFBIG, EPERM,
// EROFS...) returns an error naming the file and leaves the previous content intact. Used by DataDir.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "daemon/persist/Result.h"

namespace rollcall::daemon::persist {

class AtomicFile {
 public:
  static Status write(const std::filesystem::path& file, std::string_view contents);
  // The whole file. A missing file is an error whose message says "does not exist" (use exists()).
  static Result<std::string> read(const std::filesystem::path& file, std::size_t max_bytes = 64u << 20);
  static bool exists(const std::filesystem::path& file);
  // Renames `file` to "<file>.corrupt-<n>" (the first free n >= 1); returns the new path.
  static Result<std::filesystem::path> move_aside(const std::filesystem::path& file);
  // fsync of a directory (after a rename or create inside it).
  static Status sync_dir(const std::filesystem::path& dir);
};

}  // namespace rollcall::daemon::persist
