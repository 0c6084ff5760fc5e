// Picks the prevailing value among votes (one vote per live server): the most common value; a tie
// goes to the newest version (VersionOrder) or, for opaque values such as fingerprints, to the
// smallest string, so every node picks the same. Used by derive_table. Pure.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace rollcall::membership {

class Prevailing {
 public:
  enum class TieBreak { newest_version, smallest };

  explicit Prevailing(TieBreak tie) : tie_(tie) {}
  void vote(std::string_view value) { ++counts_[std::string(value)]; }
  // The winner, or "" if there were no votes.
  std::string winner() const;
  std::size_t votes(std::string_view value) const;

 private:
  TieBreak tie_;
  std::map<std::string, std::size_t, std::less<>> counts_;
};

}  // namespace rollcall::membership
