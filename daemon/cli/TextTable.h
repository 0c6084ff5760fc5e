// A table of aligned text columns for the client's human output (cluster, members, keys). Widths
// count UTF-8 code points, so status symbols (✔ ⚠ ✖) and colour codes do not break alignment.
// Built and rendered by the formatters in Format.h; pure, no I/O.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/cli/Color.h"
#include "daemon/cli/Style.h"

namespace rollcall::daemon::cli {

class TextTable {
 public:
  struct Cell {
    Cell(std::string t, Color c = Color::none) : text(std::move(t)), color(c) {}  // NOLINT: implicit
    Cell(const char* t, Color c = Color::none) : text(t), color(c) {}              // NOLINT: implicit
    std::string text;
    Color color;
  };

  explicit TextTable(std::vector<std::string> headers);
  void add_row(std::vector<Cell> cells);  // missing cells are empty; extra cells are kept
  std::size_t rows() const { return rows_.size(); }

  // Header row (bold when coloured), then one line per row; columns separated by two spaces;
  // trailing spaces trimmed. Each line ends with '\n'.
  std::string render(const Style& style) const;

  // Terminal columns of `text`: UTF-8 code points, ANSI escape sequences not counted.
  static std::size_t display_width(std::string_view text);

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<Cell>> rows_;
};

}  // namespace rollcall::daemon::cli
