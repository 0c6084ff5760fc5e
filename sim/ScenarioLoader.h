// Reads a scenario TOML file (format: docs/simulator.md) into a Scenario. Strict: unknown keys,
// wrong types and out-of-range values are errors naming the key. Errors are values (never
// throws). Called by rollcall-sim and the tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "membership/Time.h"
#include "sim/Scenario.h"

namespace rollcall::sim {

class ScenarioLoader {
 public:
  using Result = std::variant<Scenario, std::string>;  // the scenario, or an error message

  static Result load_file(const std::string& path);
  // `origin` names the source in error messages.
  static Result parse(std::string_view text, std::string_view origin = "scenario");

  // "250ms", "1.5s", "300us", "2m", "1h", "0"; a bare number is seconds. nullopt if malformed.
  static std::optional<membership::Duration> parse_duration(std::string_view text);
};

}  // namespace rollcall::sim
