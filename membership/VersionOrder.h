// Natural ordering of software version strings: runs of digits compare as numbers ("2024.10" >
// "2024.9"), other runs as text, and a version that extends another is newer ("1.2.1" > "1.2").
// Used to break ties when picking the prevailing version. Pure.
#pragma once

#include <string_view>

namespace rollcall::membership {

class VersionOrder {
 public:
  // < 0 if a is older than b, 0 if equivalent, > 0 if newer.
  static int compare(std::string_view a, std::string_view b);
  static bool less(std::string_view a, std::string_view b) { return compare(a, b) < 0; }
};

}  // namespace rollcall::membership
