// Seeds for randomized tests: ROLLCALL_TEST_SEED overrides the default; every test prints the
// seed it used so any failure can be replayed.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

namespace rollcall::testing {

inline std::uint64_t test_seed(std::uint64_t fallback) {
  std::uint64_t seed = fallback;
  if (const char* env = std::getenv("ROLLCALL_TEST_SEED")) seed = std::strtoull(env, nullptr, 10);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::cout << "[seed] " << (info ? info->name() : "?") << " seed=" << seed
            << " (replay with ROLLCALL_TEST_SEED=" << seed << ")" << std::endl;
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  return seed;
}

}  // namespace rollcall::testing
