// Aligned columns with UTF-8 symbols and colour codes.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/TextLines.h"
#include "daemon/cli/TextTable.h"

namespace rollcall::daemon::cli {
namespace text_table_test {

using test::column_of;
using test::lines_of;

TEST(TextTable, DisplayWidthCountsCodePointsNotBytesOrEscapes) {
  EXPECT_EQ(TextTable::display_width("abc"), 3u);
  EXPECT_EQ(TextTable::display_width("✔ ok"), 4u);
  EXPECT_EQ(TextTable::display_width("\x1b[32m✔\x1b[0m"), 1u);
  EXPECT_EQ(TextTable::display_width(""), 0u);
}

TEST(TextTable, ColumnsLineUpWithSymbolsAndColours) {
  for (bool color : {false, true}) {
    TextTable t({"", "NAME", "STATE"});
    t.add_row({{"✔", Color::green}, "a", {"alive", Color::green}});
    t.add_row({{"⚠", Color::yellow}, "longer-name", {"suspect", Color::yellow}});
    t.add_row({{"✖", Color::red}, "b", "dead"});
    std::string text = t.render(Style{color});
    auto lines = lines_of(text);
    ASSERT_EQ(lines.size(), 4u);
    std::size_t state_col = column_of(lines[0], "STATE");
    EXPECT_EQ(column_of(lines[1], "alive"), state_col);
    EXPECT_EQ(column_of(lines[2], "suspect"), state_col);
    EXPECT_EQ(column_of(lines[3], "dead"), state_col);
    EXPECT_EQ(column_of(lines[2], "longer-name"), column_of(lines[0], "NAME"));
    EXPECT_EQ(text.find('\x1b') != std::string::npos, color);
    for (const auto& l : lines) EXPECT_TRUE(l.empty() || l.back() != ' ') << "trailing space: [" << l << "]";
  }
}

TEST(TextTable, MissingCellsAreEmptyAndExtraCellsKept) {
  TextTable t({"A", "B"});
  t.add_row({"1"});
  t.add_row({"1", "2", "3"});
  auto lines = lines_of(t.render(Style{}));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "1");
  EXPECT_EQ(lines[2], "1  2  3");
}

}  // namespace text_table_test
}  // namespace rollcall::daemon::cli
