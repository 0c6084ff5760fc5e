// An open-addressing hash index from a key's hash to slot numbers of a caller-owned array: 8 bytes
// per entry, no node allocations, linear probing with backward-shift deletion, load <= 3/4. Keys themselves
// live in the caller's slots; lookups take an equality predicate on the slot. Duplicate keys are
// allowed (a multi-index). Used by MemberTable (ids and names); not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace rollcall::membership {

class SlotIndex {
 public:
  static constexpr std::uint32_t kNone = 0xffffffffu;

  std::size_t size() const { return size_; }

  // First slot whose key hashes to `h` and satisfies `eq(slot)`; kNone if none.
  template <class Eq>
  std::uint32_t find(std::uint64_t h, Eq&& eq) const {
    if (table_.empty()) return kNone;
    const std::uint32_t t = tag(h);
    for (std::size_t i = t & mask_;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == kNone) return kNone;
      if (e.tag == t && eq(e.slot)) return e.slot;
    }
  }

  // Calls f(slot) for every entry whose hash tag matches `h` (callers re-check the key).
  template <class F>
  void for_each_candidate(std::uint64_t h, F&& f) const {
    if (table_.empty()) return;
    const std::uint32_t t = tag(h);
    for (std::size_t i = t & mask_;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == kNone) return;
      if (e.tag == t) f(e.slot);
    }
  }

  void insert(std::uint64_t h, std::uint32_t slot) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    place(Entry{slot, tag(h)});
    ++size_;
  }

  // Removes the entry (h, slot) if present.
  void erase(std::uint64_t h, std::uint32_t slot) {
    if (table_.empty()) return;
    const std::uint32_t t = tag(h);
    std::size_t i = t & mask_;
    for (;; i = (i + 1) & mask_) {
      if (table_[i].slot == kNone) return;
      if (table_[i].slot == slot && table_[i].tag == t) break;
    }
    // Backward-shift deletion: pull later entries of the cluster into the hole when allowed.
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_; table_[j].slot != kNone; j = (j + 1) & mask_) {
      const std::size_t home = table_[j].tag & mask_;
      // Entry j may move to `hole` if its home is not cyclically in (hole, j].
      const bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (stays) continue;
      table_[hole] = table_[j];
      hole = j;
    }
    table_[hole] = Entry{};
    --size_;
  }

 private:
  struct Entry {
    std::uint32_t slot = kNone;
    std::uint32_t tag = 0;  // high bits of the mixed hash; its low bits pick the home bucket
  };
  static std::uint32_t tag(std::uint64_t h) { return static_cast<std::uint32_t>((h * 0x9e3779b97f4a7c15ULL) >> 32); }
  void place(Entry e) {
    std::size_t i = e.tag & mask_;
    while (table_[i].slot != kNone) i = (i + 1) & mask_;
    table_[i] = e;
  }
  void grow() {
    std::vector<Entry> old;
    old.swap(table_);
    const std::size_t cap = old.empty() ? 16 : old.size() * 2;
    table_.assign(cap, Entry{});
    mask_ = cap - 1;
    for (const Entry& e : old)
      if (e.slot != kNone) place(e);
  }

  std::vector<Entry> table_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace rollcall::membership
