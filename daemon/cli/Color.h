// Colours of the client's human output and the helper that applies one (ANSI SGR) when the Style
// allows it. Used by TextTable and the formatters (Format.h); pure, no I/O.
#pragma once

#include <string>
#include <string_view>

#include "daemon/cli/Style.h"

namespace rollcall::daemon::cli {

enum class Color { none, green, yellow, red, dim, bold };

// `text` wrapped in the colour's escape sequence and a reset, or unchanged when !style.color.
std::string paint(std::string_view text, Color color, const Style& style);

}  // namespace rollcall::daemon::cli
