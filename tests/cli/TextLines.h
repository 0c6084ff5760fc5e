#pragma once
// Helpers for asserting on the client's human output: split into lines, find display columns.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "daemon/cli/TextTable.h"

namespace rollcall::daemon::cli::test {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

// Display column at which `needle` starts in `line` (code points, colour codes not counted).
inline std::size_t column_of(const std::string& line, const std::string& needle) {
  auto at = line.find(needle);
  EXPECT_NE(at, std::string::npos) << needle << " in " << line;
  return TextTable::display_width(line.substr(0, at));
}

}  // namespace rollcall::daemon::cli::test
