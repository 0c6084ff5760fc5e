// What a scenario promises, checked by Runner at the end of a run and reported in results.json
// (each check with passed/detail). Unset fields are not checked. Parsed from [expect].
#pragma once

#include <optional>

#include "membership/Time.h"

namespace rollcall::sim {

struct Expectations {
  std::optional<bool> no_false_dead;                      // no healthy node declared dead
  std::optional<membership::Duration> bootstrap_within;   // all live nodes see all live nodes alive
  std::optional<membership::Duration> detect_within;      // every crash dead at every live node
  std::optional<membership::Duration> converge_within;    // equal digests after the last disturbance
  std::optional<membership::Duration> disseminate_within; // every tracked change reached all live nodes
  std::optional<bool> config_lww;                         // every live node holds the LWW winner
  std::optional<bool> removals_hold;                      // every removal present and hiding its target
};

}  // namespace rollcall::sim
