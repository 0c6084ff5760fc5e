// libFuzzer entry point of one target binary: fuzz/CMakeLists.txt compiles this file once per
// target with ROLLCALL_FUZZ_TARGET set to the harness name (see Targets.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/Targets.h"

#ifndef ROLLCALL_FUZZ_TARGET
#error "ROLLCALL_FUZZ_TARGET must name a harness in fuzz/Targets.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rollcall::fuzz::ROLLCALL_FUZZ_TARGET(rollcall::fuzz::Input(data, size));
}
