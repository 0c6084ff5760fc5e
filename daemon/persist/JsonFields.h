// Strict, non-throwing reads of fields from a JSON object, with error messages that name the field
// by its path ("items[2].value.stale_timeout_ms: expected an integer"). Used by ModelJson and the
// API's request parsing. Records the first error; every getter returns false once one occurred.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace rollcall::daemon::persist {

class JsonFields {
 public:
  // `where` is the path of `obj` for messages ("" for the top level). Fails if obj is not an object.
  JsonFields(const nlohmann::json& obj, std::string where);

  bool has(std::string_view key) const;
  // Required fields: fail with "<path>: missing" if absent. Optional: leave `out` untouched.
  bool str(std::string_view key, std::string& out, bool required = true);
  bool u64(std::string_view key, std::uint64_t& out, bool required = true);
  bool i64(std::string_view key, std::int64_t& out, bool required = true);
  bool boolean(std::string_view key, bool& out, bool required = true);
  // The field itself (any type), or nullptr if absent (fails if required).
  const nlohmann::json* field(std::string_view key, bool required = true);
  // Fails naming the first key of the object that is not in `known`.
  bool only(std::initializer_list<std::string_view> known);

  std::string path(std::string_view key) const;  // "<where>.<key>"
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  void fail(std::string message);

 private:
  const nlohmann::json& obj_;
  std::string where_;
  std::string error_;
};

}  // namespace rollcall::daemon::persist
