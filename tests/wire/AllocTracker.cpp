// Global operator new replacement for test_wire: forwards to malloc, remembers the largest request
// while tracking is on.
#include "wire/AllocTracker.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> g_tracking{false};
std::atomic<std::size_t> g_largest{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_tracking.load(std::memory_order_relaxed)) {
    std::size_t cur = g_largest.load(std::memory_order_relaxed);
    while (n > cur && !g_largest.compare_exchange_weak(cur, n)) {
    }
  }
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace rollcall::gossip::wire::testing {

AllocScope::AllocScope() {
  g_largest = 0;
  g_tracking = true;
}
AllocScope::~AllocScope() { g_tracking = false; }
std::size_t AllocScope::largest() const { return g_largest.load(); }

}  // namespace rollcall::gossip::wire::testing
