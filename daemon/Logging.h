// Process-wide logging set-up for the agent and the CLI: spdlog's default logger named "rollcall",
// as human text or as JSON lines (one valid JSON object per line, message escaped by us). Call
// setup_logging() once at start-up (main thread), set_log_level() on SIGHUP; log with spdlog::info()
// etc. from anywhere. Secrets are never logged: pass them through redact() if they must be mentioned.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace spdlog::sinks {
class sink;
}

namespace rollcall::daemon {

// level: trace|debug|info|warn|error; format: text|json. `sink` replaces stderr (tests pass an
// ostream sink). Returns false and changes nothing if level or format is not recognised.
bool setup_logging(std::string_view level, std::string_view format, std::shared_ptr<spdlog::sinks::sink> sink = nullptr);

// Changes the level of the default logger at runtime. False (nothing changed) if not recognised.
bool set_log_level(std::string_view level);

// What may be shown of a secret: "<not set>" if empty, "<redacted>" if shorter than 16 characters,
// else its first 4 characters and "…".
std::string redact(std::string_view secret);

// `text` as the inside of a JSON string: quotes, backslashes and control characters escaped,
// invalid UTF-8 replaced by U+FFFD, so the result is always valid JSON.
std::string json_escape(std::string_view text);

}  // namespace rollcall::daemon
