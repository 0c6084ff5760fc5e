#include "membership/VersionOrder.h"

#include <cstddef>

namespace rollcall::membership {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The token starting at i: a run of digits, a run of letters, or one other character (a separator).
std::string_view run_at(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  if (is_digit(s[i])) {
    while (j < s.size() && is_digit(s[j])) ++j;
  } else if (is_alpha(s[i])) {
    while (j < s.size() && is_alpha(s[j])) ++j;
  }
  return s.substr(i, j - i);
}

int compare_numbers(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
  while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

int VersionOrder::compare(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    std::string_view ra = run_at(a, i), rb = run_at(b, j);
    const bool da = is_digit(ra.front()), db = is_digit(rb.front());
    int c;
    if (da && db) {
      c = compare_numbers(ra, rb);
    } else if (da != db) {
      c = da ? 1 : -1;  // "1.2.3" > "1.2.beta": a number beats text at the same position
    } else {
      int t = ra.compare(rb);
      c = t < 0 ? -1 : (t > 0 ? 1 : 0);
    }
    if (c != 0) return c;
    i += ra.size();
    j += rb.size();
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

}  // namespace rollcall::membership
