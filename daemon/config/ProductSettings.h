// The [product] section: the product secrets to fingerprint and the salt of the fingerprint.
#pragma once

#include <string>
#include <vector>

#include "daemon/config/ProductKeyConfig.h"

namespace rollcall::daemon::config {

struct ProductSettings {
  // Default: one key "encryption" from environment variable PROGET_ENCRYPTION_KEY.
  std::vector<ProductKeyConfig> keys;
  std::string fingerprint_salt;  // default: the cluster name
};

}  // namespace rollcall::daemon::config
