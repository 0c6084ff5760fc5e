// Seed for randomized wire tests: ROLLCALL_TEST_SEED if set (to replay a failure), else fresh.
// Always printed, so any failure can be replayed.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

namespace rollcall::gossip::wire::testing {

inline std::uint64_t test_seed(const char* test_name) {
  std::uint64_t seed;
  if (const char* env = std::getenv("ROLLCALL_TEST_SEED")) {
    seed = std::strtoull(env, nullptr, 0);
  } else {
    std::random_device rd;
    seed = (std::uint64_t{rd()} << 32) | rd();
  }
  std::cout << "[ seed     ] " << test_name << ": ROLLCALL_TEST_SEED=" << seed << std::endl;
  return seed;
}

}  // namespace rollcall::gossip::wire::testing
