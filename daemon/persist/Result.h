// A value or an error message (a failed Status), for the data directory and the JSON forms of the
// model. Small on purpose: ok(), value(), error(), status(), operator bool / * / ->.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "daemon/persist/Status.h"

namespace rollcall::daemon::persist {

template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status error) : v_(std::in_place_index<1>, std::move(error)) {  // NOLINT: implicit on purpose
    assert(!std::get<1>(v_).ok());
  }
  static Result failure(std::string message) { return Result(Status::error(std::move(message))); }

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  const std::string& error() const { return std::get<1>(v_).message(); }
  Status status() const { return ok() ? Status() : std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace rollcall::daemon::persist
