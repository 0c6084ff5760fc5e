#include "daemon/config/Environ.h"

#include <unistd.h>

extern char** environ;

namespace rollcall::daemon::config {

Environ environ_from_process() {
  Environ env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    auto eq = entry.find('=');
    if (eq == std::string::npos) continue;
    env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return env;
}

}  // namespace rollcall::daemon::config
