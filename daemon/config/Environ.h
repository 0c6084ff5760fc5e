// The environment the config loader reads (ROLLCALL_* overrides and secret variables), as a value
// so tests can pass their own. from_process() copies the real environment once at start-up.
#pragma once

#include <map>
#include <string>

namespace rollcall::daemon::config {

using Environ = std::map<std::string, std::string, std::less<>>;

Environ environ_from_process();

}  // namespace rollcall::daemon::config
