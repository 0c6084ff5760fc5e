#include "daemon/persist/ChecksummedJson.h"

#include <openssl/evp.h>

namespace rollcall::daemon::persist {

namespace {

std::string body_text(const nlohmann::json& body) {
  return body.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string ChecksummedJson::sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * len);
  for (unsigned int i = 0; i < len; ++i) {
    out += kDigits[md[i] >> 4];
    out += kDigits[md[i] & 15];
  }
  return out;
}

std::string ChecksummedJson::encode(const nlohmann::json& body) {
  const std::string text = body_text(body);
  return "{\n\"format\": " + std::to_string(kFormat) + ",\n\"sha256\": \"" + sha256_hex(text) + "\",\n\"body\": " +
         text + "\n}\n";
}

Result<nlohmann::json> ChecksummedJson::decode(std::string_view text, const std::filesystem::path& file) {
  const std::string name = file.string();
  if (text.empty()) return Result<nlohmann::json>::failure(name + ": empty file (truncated by a crash or a full disk?)");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return Result<nlohmann::json>::failure(name + ": not valid JSON at byte " + std::to_string(e.byte) + " of " +
                                           std::to_string(text.size()) + " (truncated or corrupt)");
  } catch (const nlohmann::json::exception& e) {
    // e.g. out_of_range for a number no double can hold ("1e400"): corrupt, not a crash.
    return Result<nlohmann::json>::failure(name + ": not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!doc.is_object() || !doc.contains("format") || !doc.contains("sha256") || !doc.contains("body"))
    return Result<nlohmann::json>::failure(name + ": not a rollcall data file (expected fields format, sha256, body)");
  const auto& format = doc["format"];
  if (!format.is_number_integer() || format.get<std::int64_t>() != kFormat)
    return Result<nlohmann::json>::failure(name + ": unsupported format " + format.dump() + " (this agent reads format " +
                                           std::to_string(kFormat) + "; written by a newer rollcall?)");
  if (!doc["sha256"].is_string())
    return Result<nlohmann::json>::failure(name + ": field sha256 is not a string (corrupt)");
  const std::string want = doc["sha256"].get<std::string>();
  const std::string got = sha256_hex(body_text(doc["body"]));
  if (want != got)
    return Result<nlohmann::json>::failure(name + ": checksum mismatch (recorded " + want.substr(0, 16) +
                                           "..., content hashes to " + got.substr(0, 16) +
                                           "...): the file is corrupt");
  return std::move(doc["body"]);
}

}  // namespace rollcall::daemon::persist
