#include "daemon/persist/JsonFields.h"

#include <nlohmann/json.hpp>

namespace rollcall::daemon::persist {

namespace {

std::string type_name(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    case nlohmann::json::value_t::number_float: return "a number with a fraction";
    default: return "an unsupported value";
  }
}

}  // namespace

JsonFields::JsonFields(const nlohmann::json& obj, std::string where) : obj_(obj), where_(std::move(where)) {
  if (!obj_.is_object()) fail((where_.empty() ? std::string("body") : where_) + ": expected an object, got " + type_name(obj_));
}

std::string JsonFields::path(std::string_view key) const {
  return where_.empty() ? std::string(key) : where_ + "." + std::string(key);
}

void JsonFields::fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

bool JsonFields::has(std::string_view key) const { return obj_.is_object() && obj_.contains(key); }

const nlohmann::json* JsonFields::field(std::string_view key, bool required) {
  if (!ok()) return nullptr;
  auto it = obj_.find(key);
  if (it == obj_.end()) {
    if (required) fail(path(key) + ": missing");
    return nullptr;
  }
  return &*it;
}

bool JsonFields::str(std::string_view key, std::string& out, bool required) {
  const auto* f = field(key, required);
  if (f == nullptr) return ok();
  if (!f->is_string()) {
    fail(path(key) + ": expected a string, got " + type_name(*f));
    return false;
  }
  out = f->get_ref<const std::string&>();
  return true;
}

bool JsonFields::u64(std::string_view key, std::uint64_t& out, bool required) {
  const auto* f = field(key, required);
  if (f == nullptr) return ok();
  if (f->is_number_unsigned()) {
    out = f->get<std::uint64_t>();
    return true;
  }
  if (f->is_number_integer() && f->get<std::int64_t>() >= 0) {
    out = static_cast<std::uint64_t>(f->get<std::int64_t>());
    return true;
  }
  fail(path(key) + ": expected a non-negative integer, got " +
       (f->is_number_integer() ? std::string("a negative integer") : type_name(*f)));
  return false;
}

bool JsonFields::i64(std::string_view key, std::int64_t& out, bool required) {
  const auto* f = field(key, required);
  if (f == nullptr) return ok();
  if (f->is_number_integer() && !f->is_number_unsigned()) {
    out = f->get<std::int64_t>();
    return true;
  }
  if (f->is_number_unsigned() && f->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    out = static_cast<std::int64_t>(f->get<std::uint64_t>());
    return true;
  }
  fail(path(key) + ": expected an integer" +
       (f->is_number_unsigned() ? std::string(" below 2^63") : ", got " + type_name(*f)));
  return false;
}

bool JsonFields::boolean(std::string_view key, bool& out, bool required) {
  const auto* f = field(key, required);
  if (f == nullptr) return ok();
  if (!f->is_boolean()) {
    fail(path(key) + ": expected true or false, got " + type_name(*f));
    return false;
  }
  out = f->get<bool>();
  return true;
}

bool JsonFields::only(std::initializer_list<std::string_view> known) {
  if (!ok()) return false;
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool found = false;
    for (auto k : known) found = found || k == it.key();
    if (!found) {
      fail(path(it.key()) + ": unknown field");
      return false;
    }
  }
  return true;
}

}  // namespace rollcall::daemon::persist
