#include "membership/Prevailing.h"

#include "membership/VersionOrder.h"

namespace rollcall::membership {

std::string Prevailing::winner() const {
  const std::string* best = nullptr;
  std::size_t best_count = 0;
  for (const auto& [value, count] : counts_) {  // ascending by string
    bool better = false;
    if (best == nullptr || count > best_count) {
      better = true;
    } else if (count == best_count && tie_ == TieBreak::newest_version) {
      int c = VersionOrder::compare(value, *best);
      better = c > 0;  // equivalent versions ("1.02" vs "1.2"): the smaller string, seen first, stays
    }
    if (better) {
      best = &value;
      best_count = count;
    }
  }
  return best == nullptr ? std::string() : *best;
}

std::size_t Prevailing::votes(std::string_view value) const {
  auto it = counts_.find(value);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace rollcall::membership
