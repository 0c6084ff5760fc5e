// Every fuzz target by name, for code that runs them all: the regression tests
// (tests/fuzz_regressions) and tools. The libFuzzer binaries link one harness each and must not
// include this (it references every harness).
#pragma once

#include <string_view>

#include "fuzz/Targets.h"

namespace rollcall::fuzz {

struct Target {
  std::string_view name;  // also the corpus folder fuzz/corpus/<name> and the binary fuzz_<name>
  Harness run;
};

inline constexpr Target kTargets[] = {
    {"wire_decode", wire_decode}, {"envelope_open", envelope_open}, {"engine", engine},
    {"http_server", http_server}, {"config_load", config_load},     {"datadir_load", datadir_load},
    {"datadir_files", datadir_files}, {"api_config", api_config}, {"api_agent", api_agent},
};

}  // namespace rollcall::fuzz
