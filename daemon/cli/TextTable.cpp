#include "daemon/cli/TextTable.h"

#include <algorithm>

namespace rollcall::daemon::cli {

TextTable::TextTable(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void TextTable::add_row(std::vector<Cell> cells) { rows_.push_back(std::move(cells)); }

std::size_t TextTable::display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b && i + 1 < text.size() && text[i + 1] == '[') {  // CSI ... final byte
      i += 2;
      while (i < text.size() && !(text[i] >= 0x40 && text[i] <= 0x7e)) ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++width;  // count lead bytes only
  }
  return width;
}

std::string TextTable::render(const Style& style) const {
  std::size_t columns = headers_.size();
  for (const auto& r : rows_) columns = std::max(columns, r.size());
  std::vector<std::size_t> widths(columns, 0);
  for (std::size_t c = 0; c < headers_.size(); ++c) widths[c] = display_width(headers_[c]);
  for (const auto& r : rows_)
    for (std::size_t c = 0; c < r.size(); ++c) widths[c] = std::max(widths[c], display_width(r[c].text));

  std::string out;
  auto line = [&](auto cell_at) {
    std::string l;
    std::size_t pending_pad = 0;  // padding is only written before a non-empty cell
    for (std::size_t c = 0; c < columns; ++c) {
      auto [text, color] = cell_at(c);
      if (c > 0) pending_pad += 2;
      if (!text.empty()) {
        l.append(pending_pad, ' ');
        pending_pad = 0;
        l += paint(text, color, style);
      }
      pending_pad += widths[c] - display_width(text);
    }
    out += l;
    out += '\n';
  };
  line([&](std::size_t c) {
    return std::pair<std::string_view, Color>(c < headers_.size() ? std::string_view(headers_[c]) : "", Color::bold);
  });
  for (const auto& r : rows_) {
    line([&](std::size_t c) {
      return c < r.size() ? std::pair<std::string_view, Color>(r[c].text, r[c].color)
                          : std::pair<std::string_view, Color>("", Color::none);
    });
  }
  return out;
}

}  // namespace rollcall::daemon::cli
