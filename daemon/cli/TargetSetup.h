// Turning the client's flags into a Target: --http-addr ("host:port", "[v6]:port", "host",
// "http://..." or "https://...") and the admin token (--token-file, else env ROLLCALL_ADMIN_TOKEN).
// Called by daemon/main.cpp before a Commands.h function; errors are messages (exit code 2).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "daemon/cli/Target.h"

namespace rollcall::daemon::cli {

// Sets host, port (default 7951 when absent) and tls. nullopt on success, else the error.
std::optional<std::string> parse_http_addr(std::string_view addr, Target& target);

// Reads the token from `token_file` if not empty (first line, surrounding whitespace trimmed; an
// unreadable or empty file is an error), else takes `env_value` (may be null) as is. The error
// names the file, never the token.
std::optional<std::string> load_token(const std::string& token_file, const char* env_value, Target& target);

// The whole flags-to-Target step for daemon/main.cpp: --http-addr (else env ROLLCALL_HTTP_ADDR,
// else 127.0.0.1:7951) and --token-file (else env ROLLCALL_ADMIN_TOKEN). Empty strings = flag not
// given. nullopt on success, else a usage error message.
std::optional<std::string> make_target(const std::string& http_addr, const std::string& token_file, Target& target);

// Whether output to `target.out` should be coloured: color_auto, `out` is std::cout on a TTY,
// NO_COLOR unset, TERM not "dumb".
bool use_color(const Target& target);

}  // namespace rollcall::daemon::cli
