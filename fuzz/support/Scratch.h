// A private scratch directory for the harnesses that need files (config, data directory, agent):
// one per process and name, on tmpfs (/dev/shm) when available so fsync costs nothing, removed at
// exit. $ROLLCALL_FUZZ_SCRATCH overrides the base (scripts/fuzz sets it and cleans it, since a
// fuzzer that stops on a crash skips atexit). Called from the harnesses only, on the fuzzing thread.
#pragma once

#include <filesystem>
#include <string_view>

namespace rollcall::fuzz {

// Creates (once) and returns <base>/rollcall-fuzz-<pid>/<name>.
std::filesystem::path scratch_dir(std::string_view name);
// Removes everything inside `dir` (not `dir` itself).
void clear_dir(const std::filesystem::path& dir);

}  // namespace rollcall::fuzz
