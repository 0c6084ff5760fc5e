// check() of Targets.h: a failed harness oracle aborts, so libFuzzer saves the input as a crash.
#include <cstdio>
#include <cstdlib>

#include "fuzz/Targets.h"

namespace rollcall::fuzz {

void check(bool ok, std::string_view target, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz %.*s: oracle failed: %.*s\n", static_cast<int>(target.size()), target.data(),
               static_cast<int>(what.size()), what.data());
  std::fflush(stderr);
  std::abort();
}

}  // namespace rollcall::fuzz
