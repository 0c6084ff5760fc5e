// A removal tombstone: an operator removed a component of a server, or a whole server. It hides
// what it names up to the version it saw, so a stale peer cannot resurrect it; the owner brings it
// back only by reporting it anew (a component entry newer than `owner_version`, or for a whole
// server a newer generation than `generation`).
#pragma once

#include <cstdint>
#include <string>

#include "membership/NodeId.h"

namespace rollcall::membership {

struct Removal {
  NodeId server;
  std::string component;            // kind, or empty for the whole server
  std::uint64_t owner_version = 0;  // component: hides component entries with version <= this
  std::uint64_t generation = 0;     // whole server: hides the member while its generation <= this
  std::int64_t removed_age_ms = 0;  // age when published (for display and the collection grace)

  friend bool operator==(const Removal&, const Removal&) = default;
};

}  // namespace rollcall::membership
