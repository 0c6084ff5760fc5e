// Success or an error message, for the data directory's boundaries (errors as values: nothing here
// throws past a public function). The message names the file and what is wrong, ready for a person.
#pragma once

#include <string>
#include <utility>

namespace rollcall::daemon::persist {

class Status {
 public:
  Status() = default;  // success
  static Status error(std::string message) {
    Status s;
    s.failed_ = true;
    s.message_ = std::move(message);
    return s;
  }
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& message() const { return message_; }  // empty on success

 private:
  bool failed_ = false;
  std::string message_;
};

}  // namespace rollcall::daemon::persist
