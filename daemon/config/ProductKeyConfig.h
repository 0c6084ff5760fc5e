// One [[product.keys]] entry: a named secret of the product (e.g. its encryption key) whose
// fingerprint - never the value - is shared so the table can say whether it is in sync.
#pragma once

#include <string>

#include "daemon/config/Secret.h"

namespace rollcall::daemon::config {

struct ProductKeyConfig {
  std::string name;  // [a-z0-9_-]{1,32}, unique
  std::string env;   // environment variable NAME holding the value, or
  std::string file;  // path of a file holding the value (trailing whitespace trimmed)
  Secret value;      // loaded; empty = not set on this server (a warning in the table)
};

}  // namespace rollcall::daemon::config
