// The envelope of every data-directory file: {"format":1,"sha256":"<hex of body text>","body":{...}}.
// A torn, truncated, flipped or foreign file is detected on decode and reported naming the file and
// what is wrong. Used by DataDir; SHA-256 from OpenSSL.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "daemon/persist/Result.h"

namespace rollcall::daemon::persist {

class ChecksummedJson {
 public:
  static constexpr int kFormat = 1;
  // The file text for `body` (pretty-printed, newline-terminated). Invalid UTF-8 in strings is
  // replaced (U+FFFD) rather than failing.
  static std::string encode(const nlohmann::json& body);
  // The body, or an error "<file>: <what is wrong>". `file` is only used in messages.
  static Result<nlohmann::json> decode(std::string_view text, const std::filesystem::path& file);
  static std::string sha256_hex(std::string_view data);
};

}  // namespace rollcall::daemon::persist
