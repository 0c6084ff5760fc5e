#include "daemon/persist/AtomicFile.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rollcall::daemon::persist {

namespace {

std::string err_text(int err) { return std::strerror(err); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release_close() {
    int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

}  // namespace

Status AtomicFile::sync_dir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return Status::error("cannot open directory " + dir.string() + " to sync it: " + err_text(errno));
  if (::fsync(fd.get()) != 0 && errno != EINVAL)
    return Status::error("cannot sync directory " + dir.string() + ": " + err_text(errno));
  return {};
}

Status AtomicFile::write(const std::filesystem::path& file, std::string_view contents) {
  const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
  const std::filesystem::path tmp = dir / ("." + file.filename().string() + ".tmp");
  auto fail = [&](const std::string& what, int err) {
    ::unlink(tmp.c_str());
    return Status::error("cannot write " + file.string() + ": " + what + ": " + err_text(err) +
                         " (the previous content is intact)");
  };
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    const int err = errno;
    return Status::error("cannot write " + file.string() + ": create " + tmp.string() + ": " + err_text(err) +
                         " (the previous content is intact)");
  }
  std::size_t done = 0;
  while (done < contents.size()) {
    const ssize_t n = ::write(fd.get(), contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("fsync", errno);
  if (fd.release_close() != 0) return fail("close", errno);
  if (::rename(tmp.c_str(), file.c_str()) != 0) return fail("rename", errno);
  return sync_dir(dir);
}

Result<std::string> AtomicFile::read(const std::filesystem::path& file, std::size_t max_bytes) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) return Result<std::string>::failure(file.string() + ": does not exist");
    return Result<std::string>::failure("cannot read " + file.string() + ": " + err_text(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Result<std::string>::failure("cannot read " + file.string() + ": " + err_text(errno));
  if (!S_ISREG(st.st_mode)) return Result<std::string>::failure(file.string() + ": not a regular file");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    return Result<std::string>::failure(file.string() + ": too large (" + std::to_string(st.st_size) + " bytes, limit " +
                                        std::to_string(max_bytes) + ")");
  std::string out;
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Result<std::string>::failure("cannot read " + file.string() + ": " + err_text(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) return Result<std::string>::failure(file.string() + ": too large");
  }
  return out;
}

bool AtomicFile::exists(const std::filesystem::path& file) {
  struct stat st {};
  return ::lstat(file.c_str(), &st) == 0;
}

Result<std::filesystem::path> AtomicFile::move_aside(const std::filesystem::path& file) {
  for (int n = 1; n < 10000; ++n) {
    std::filesystem::path target = file;
    target += ".corrupt-" + std::to_string(n);
    if (exists(target)) continue;
    if (::rename(file.c_str(), target.c_str()) != 0)
      return Result<std::filesystem::path>::failure("cannot move " + file.string() + " aside to " + target.string() +
                                                    ": " + err_text(errno));
    auto synced = sync_dir(file.parent_path());
    if (!synced) return synced;
    return target;
  }
  return Result<std::filesystem::path>::failure("cannot move " + file.string() + " aside: too many .corrupt-N files");
}

}  // namespace rollcall::daemon::persist
