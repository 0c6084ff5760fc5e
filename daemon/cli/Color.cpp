#include "daemon/cli/Color.h"

namespace rollcall::daemon::cli {

std::string paint(std::string_view text, Color color, const Style& style) {
  if (!style.color || color == Color::none || text.empty()) return std::string(text);
  std::string_view code;
  switch (color) {
    case Color::green: code = "\x1b[32m"; break;
    case Color::yellow: code = "\x1b[33m"; break;
    case Color::red: code = "\x1b[31m"; break;
    case Color::dim: code = "\x1b[2m"; break;
    case Color::bold: code = "\x1b[1m"; break;
    case Color::none: break;
  }
  std::string s;
  s.reserve(text.size() + code.size() + 4);
  s.append(code).append(text).append("\x1b[0m");
  return s;
}

}  // namespace rollcall::daemon::cli
