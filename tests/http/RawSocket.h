// Test helper: a blocking POSIX TCP client on 127.0.0.1 that sends raw bytes and reads raw HTTP
// responses with deadlines, for abusing the server in ways the real client never would.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rollcall::daemon::http::test {

struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};

class RawSocket {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RawSocket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawSocket() { close(); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads what is available within the deadline into the buffer. False on EOF/error (closed_ set)
  // or timeout.
  bool fill(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
    char buf[65536];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buf_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  // One response (Content-Length bodies only), or nullopt on timeout / close before complete.
  std::optional<RawResponse> read_response(std::chrono::milliseconds within = std::chrono::milliseconds(5000)) {
    const auto deadline = Clock::now() + within;
    while (true) {
      auto end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        RawResponse r;
        r.head = buf_.substr(0, end + 4);
        if (r.head.size() > 12) r.status = std::stoi(r.head.substr(9, 3));
        std::size_t length = 0;
        auto cl = lower(r.head).find("\r\ncontent-length:");
        if (cl != std::string::npos) length = std::stoul(r.head.substr(cl + 17));
        if (r.status == 100) length = 0;
        if (buf_.size() >= end + 4 + length) {
          r.body = buf_.substr(end + 4, length);
          buf_.erase(0, end + 4 + length);
          return r;
        }
      }
      if (!fill(deadline)) return std::nullopt;
    }
  }

  // True if the peer closes (EOF or reset) before the deadline; buffered data is kept.
  bool wait_closed(std::chrono::milliseconds within) {
    const auto deadline = Clock::now() + within;
    while (!closed_) {
      if (!fill(deadline) && !closed_ && Clock::now() >= deadline) return false;
    }
    return true;
  }

  const std::string& buffered() const { return buf_; }
  bool closed() const { return closed_; }
  int fd() const { return fd_; }

  static std::string lower(std::string s) {
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return s;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string buf_;
};

}  // namespace rollcall::daemon::http::test
