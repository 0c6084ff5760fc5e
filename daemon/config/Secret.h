// A secret string (admin token, product key) read by the config loader from a file or an
// environment variable. It has no operator<< and no implicit conversion: code must call reveal()
// to use it, and shows redacted() anywhere else. The bytes are wiped when it is destroyed.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace rollcall::daemon::config {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret&) = default;
  Secret(Secret&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }
  Secret& operator=(const Secret& other) {
    if (this != &other) {
      wipe();
      value_ = other.value_;
    }
    return *this;
  }
  Secret& operator=(Secret&& other) noexcept {
    if (this != &other) {
      wipe();
      value_ = std::move(other.value_);
      other.wipe();
    }
    return *this;
  }
  ~Secret() { wipe(); }

  bool empty() const { return value_.empty(); }
  const std::string& reveal() const { return value_; }
  const char* redacted() const { return value_.empty() ? "<not set>" : "<set, redacted>"; }

  // Constant-time comparison (for tokens presented by clients).
  bool equals(std::string_view presented) const {
    unsigned diff = static_cast<unsigned>(value_.size() ^ presented.size());
    for (std::size_t i = 0; i < presented.size(); ++i) {
      diff |= static_cast<unsigned char>(presented[i]) ^
              static_cast<unsigned char>(value_.empty() ? 0 : value_[i % value_.size()]);
    }
    return diff == 0 && !value_.empty();
  }

 private:
  void wipe() {
    volatile char* p = value_.data();
    for (std::size_t i = 0; i < value_.size(); ++i) p[i] = 0;
    value_.clear();
  }
  std::string value_;
};

}  // namespace rollcall::daemon::config
