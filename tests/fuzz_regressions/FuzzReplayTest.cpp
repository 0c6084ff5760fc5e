// Replays the fuzz harnesses (fuzz/targets, compiled here with g++ and the test sanitizers) over
// every committed seed in fuzz/corpus/<target>/ and every saved crash in fuzz/regressions/<target>/.
// A harness aborts on any oracle failure, so each test passing means the input still runs clean.
// Crashes found by fuzzing get their own named test in FuzzCrashTest.cpp as well.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/TargetList.h"

namespace rollcall::fuzz {
namespace fuzz_replay_test {

namespace fs = std::filesystem;

std::vector<std::uint8_t> slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `target` over every file in fuzz/<folder>/<target>; returns how many it ran.
std::size_t replay(const Target& target, const char* folder) {
  const fs::path dir = fs::path(ROLLCALL_SOURCE_DIR) / "fuzz" / folder / std::string(target.name);
  if (!fs::is_directory(dir)) return 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    const auto bytes = slurp(f);
    EXPECT_EQ(target.run(Input(bytes.data(), bytes.size())), 0);
  }
  return files.size();
}

class FuzzReplay : public ::testing::TestWithParam<Target> {};

TEST_P(FuzzReplay, SeedCorpusRunsClean) {
  EXPECT_GT(replay(GetParam(), "corpus"), 0u) << "no seeds committed for " << GetParam().name;
}

TEST_P(FuzzReplay, SavedCrashesRunClean) { replay(GetParam(), "regressions"); }

TEST_P(FuzzReplay, EmptyAndTinyInputsRunClean) {
  const std::uint8_t bytes[] = {0x00, 0xFF, 0x0A, 0x01};
  for (std::size_t n = 0; n <= sizeof bytes; ++n) EXPECT_EQ(GetParam().run(Input(bytes, n)), 0);
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& info) { return std::string(info.param.name); });

}  // namespace fuzz_replay_test
}  // namespace rollcall::fuzz
