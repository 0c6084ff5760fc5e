// A TCP listener on 127.0.0.1:<ephemeral port> that accepts and closes every connection, on its
// own thread: what the components of `rollcall demo` agents point their TCP checks at, so the demo
// table shows passing verifications. Owned by Demo.cpp; stops and joins in its destructor.
#pragma once

#include <cstdint>
#include <memory>

namespace rollcall::daemon::cli {

class CheckListener {
 public:
  CheckListener();  // throws std::system_error if it cannot listen (start-up only)
  ~CheckListener();
  CheckListener(const CheckListener&) = delete;
  CheckListener& operator=(const CheckListener&) = delete;

  std::uint16_t port() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rollcall::daemon::cli
