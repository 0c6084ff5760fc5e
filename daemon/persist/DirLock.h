// An exclusive advisory lock (flock) on "<dir>/LOCK", held for the life of the object, so two
// agents cannot share one data directory (also two opens in one process). Records the holder's pid
// in the file for the error message. Used by DataDir; move-only.
#pragma once

#include <filesystem>

#include "daemon/persist/Result.h"

namespace rollcall::daemon::persist {

class DirLock {
 public:
  static Result<DirLock> acquire(const std::filesystem::path& dir);
  DirLock(DirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirLock& operator=(DirLock&& other) noexcept;
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace rollcall::daemon::persist
