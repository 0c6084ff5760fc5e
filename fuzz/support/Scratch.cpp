#include "fuzz/support/Scratch.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <system_error>

namespace rollcall::fuzz {
namespace fs = std::filesystem;

namespace {

// Never destroyed (a heap object): the atexit handler that removes the directory runs after the
// static destructors registered later, so a static path object would already be gone by then and
// the directory would be left behind in /dev/shm.
fs::path& root() {
  static fs::path* r = [] {
    std::error_code ec;
    const char* env = std::getenv("ROLLCALL_FUZZ_SCRATCH");
    fs::path base = env && *env ? fs::path(env)
                    : fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm")
                                                       : fs::temp_directory_path(ec);
    auto* p = new fs::path(base / ("rollcall-fuzz-" + std::to_string(::getpid())));
    fs::create_directories(*p, ec);
    std::atexit([] {
      std::error_code e;
      fs::remove_all(root(), e);
    });
    return p;
  }();
  return *r;
}

}  // namespace

fs::path scratch_dir(std::string_view name) {
  fs::path p = root() / std::string(name);
  std::error_code ec;
  fs::create_directories(p, ec);
  return p;
}

void clear_dir(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code e;
    fs::remove_all(it->path(), e);
  }
}

}  // namespace rollcall::fuzz
