// One named key (e.g. "encryption") of a server in the derived table: its fingerprint (empty = not
// set) and whether it matches the prevailing fingerprint among live servers. Pure value.
#pragma once

#include <string>

namespace rollcall::membership {

struct KeyRow {
  std::string name;         // "encryption", "machine", ...
  std::string fingerprint;  // full fingerprint as published; empty = not set
  std::string prevailing;   // most common set fingerprint among live servers; empty if none
  bool in_sync = false;     // set and equal to `prevailing`

  friend bool operator==(const KeyRow&, const KeyRow&) = default;
};

}  // namespace rollcall::membership
