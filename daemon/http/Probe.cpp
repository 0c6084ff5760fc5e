#include "daemon/http/Probe.h"
#include "daemon/http/Text.h"

#include <http_parser.h>

#include <array>
#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <cstdio>
#include <memory>

namespace rollcall::daemon::http {
namespace {

using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxHeadBytes = 64 * 1024;

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] + 32);
  return s;
}

std::string format_ms(std::chrono::microseconds us) {
  char buf[32];
  if (us < std::chrono::milliseconds(10)) {
    std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(us.count()) / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lld ms", static_cast<long long>((us.count() + 500) / 1000));
  }
  return buf;
}

// One probe in flight: owns its sockets and timer, finishes exactly once.
class ProbeOp : public std::enable_shared_from_this<ProbeOp> {
 public:
  ProbeOp(asio::io_context& io, std::string host, std::uint16_t port, std::string target,
          std::chrono::milliseconds timeout, ProbeCallback cb)
      : host_(std::move(host)),
        port_(port),
        target_(std::move(target)),
        timeout_(timeout),
        cb_(std::move(cb)),
        resolver_(io),
        socket_(io),
        timer_(io) {
    http_parser_init(&parser_, HTTP_RESPONSE);
    parser_.data = this;
  }

  void start(bool http) {
    http_ = http;
    started_ = Clock::now();
    timer_.expires_after(timeout_);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& ec) {
      if (ec || self->done_) return;
      self->finish(false, "no answer from " + host_port(self->host_, self->port_) + " within " +
                              std::to_string(self->timeout_.count()) + " ms (" + self->stage_ + ")");
    });
    resolver_.async_resolve(host_, std::to_string(port_),
                            [self = shared_from_this()](const asio::error_code& ec, tcp::resolver::results_type r) {
                              if (self->done_) return;
                              if (ec) return self->finish(false, "resolve " + self->host_ + ": " + lower_first(ec.message()));
                              self->stage_ = "connecting";
                              asio::async_connect(self->socket_, r, [self](const asio::error_code& e, const tcp::endpoint&) {
                                self->on_connected(e);
                              });
                            });
  }

 private:
  void finish(bool ok, std::string detail) {
    if (done_) return;
    done_ = true;
    asio::error_code ec;
    resolver_.cancel();
    socket_.close(ec);
    timer_.cancel();
    ProbeResult r{ok, std::move(detail), std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_)};
    auto cb = std::move(cb_);
    if (cb) cb(std::move(r));
  }

  std::chrono::microseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started_);
  }

  void on_connected(const asio::error_code& ec) {
    if (done_) return;
    if (ec) return finish(false, "connect " + host_port(host_, port_) + ": " + lower_first(ec.message()));
    if (!http_) return finish(true, "connected to " + host_port(host_, port_) + " in " + format_ms(elapsed()));
    stage_ = "waiting for the response";
    request_ = "GET " + target_ + " HTTP/1.1\r\nHost: " + host_port(host_, port_) +
               "\r\nUser-Agent: rollcall-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
    asio::async_write(socket_, asio::buffer(request_), [self = shared_from_this()](const asio::error_code& e, std::size_t) {
      if (self->done_) return;
      if (e) return self->finish(false, "send to " + host_port(self->host_, self->port_) + ": " + lower_first(e.message()));
      self->read();
    });
  }

  void read() {
    socket_.async_read_some(asio::buffer(buf_), [self = shared_from_this()](const asio::error_code& ec, std::size_t n) {
      if (self->done_) return;
      if (ec) {
        return self->finish(false, "connection to " + host_port(self->host_, self->port_) +
                                       " closed before a response (" + lower_first(ec.message()) + ")");
      }
      self->head_bytes_ += n;
      http_parser_execute(&self->parser_, &settings(), self->buf_.data(), n);
      if (self->status_ != 0) {
        const int s = self->status_;
        return self->finish(s >= 200 && s < 400, "HTTP " + std::to_string(s) + " in " + format_ms(self->elapsed()));
      }
      auto err = HTTP_PARSER_ERRNO(&self->parser_);
      if (err != HPE_OK) {
        return self->finish(false, "bad HTTP response from " + host_port(self->host_, self->port_) + ": " +
                                       http_errno_description(err));
      }
      if (self->head_bytes_ > kMaxHeadBytes) {
        return self->finish(false, "response head from " + host_port(self->host_, self->port_) + " too large");
      }
      self->read();
    });
  }

  static const http_parser_settings& settings() {
    static const http_parser_settings s = [] {
      http_parser_settings t;
      http_parser_settings_init(&t);
      t.on_headers_complete = [](http_parser* p) {
        static_cast<ProbeOp*>(p->data)->status_ = static_cast<int>(p->status_code);
        http_parser_pause(p, 1);
        return 0;
      };
      return t;
    }();
    return s;
  }

  std::string host_;
  std::uint16_t port_;
  std::string target_;
  std::chrono::milliseconds timeout_;
  ProbeCallback cb_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  http_parser parser_;
  std::array<char, 4096> buf_;
  std::string request_;
  std::string stage_ = "resolving";
  std::size_t head_bytes_ = 0;
  Clock::time_point started_;
  int status_ = 0;
  bool http_ = false;
  bool done_ = false;
};

void fail_soon(asio::io_context& io, std::string detail, ProbeCallback callback) {
  asio::post(io, [detail = std::move(detail), callback = std::move(callback)]() mutable {
    if (callback) callback(ProbeResult{false, std::move(detail), {}});
  });
}

}  // namespace

void probe_http(asio::io_context& io, const std::string& url, std::chrono::milliseconds timeout, ProbeCallback callback) {
  http_parser_url u;
  http_parser_url_init(&u);
  if (http_parser_parse_url(url.data(), url.size(), 0, &u) != 0 || !(u.field_set & (1 << UF_SCHEMA)) ||
      !(u.field_set & (1 << UF_HOST))) {
    return fail_soon(io, "invalid URL \"" + url + "\"", std::move(callback));
  }
  auto field = [&](int f) { return url.substr(u.field_data[f].off, u.field_data[f].len); };
  std::string schema = field(UF_SCHEMA);
  for (char& c : schema) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  if (schema != "http") return fail_soon(io, "unsupported URL scheme \"" + schema + "\" (only http://)", std::move(callback));
  std::uint16_t port = (u.field_set & (1 << UF_PORT)) ? u.port : 80;
  std::string target = (u.field_set & (1 << UF_PATH)) ? field(UF_PATH) : "/";
  if (u.field_set & (1 << UF_QUERY)) target += "?" + field(UF_QUERY);
  auto op = std::make_shared<ProbeOp>(io, field(UF_HOST), port, std::move(target), timeout, std::move(callback));
  op->start(true);
}

void probe_tcp(asio::io_context& io, const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
               ProbeCallback callback) {
  if (host.empty() || port == 0) return fail_soon(io, "invalid address \"" + host_port(host, port) + "\"", std::move(callback));
  auto op = std::make_shared<ProbeOp>(io, host, port, std::string{}, timeout, std::move(callback));
  op->start(false);
}

}  // namespace rollcall::daemon::http
