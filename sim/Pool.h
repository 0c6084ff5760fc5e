// A slab of reusable payload slots addressed by 32-bit index, with a free list, so the world's
// heap entries stay small and no allocation happens per event once the slab is warm. Used only
// by sim::World. Single-threaded.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace rollcall::sim {

template <class T>
class Pool {
 public:
  std::uint32_t put(T value) {
    if (!free_.empty()) {
      const std::uint32_t i = free_.back();
      free_.pop_back();
      slots_[i] = std::move(value);
      return i;
    }
    slots_.push_back(std::move(value));
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }
  T& operator[](std::uint32_t i) { return slots_[i]; }
  // The slot becomes free (its old value is destroyed when the slot is reused).
  void release(std::uint32_t i) { free_.push_back(i); }
  std::size_t live() const { return slots_.size() - free_.size(); }

 private:
  std::vector<T> slots_;
  std::vector<std::uint32_t> free_;
};

}  // namespace rollcall::sim
