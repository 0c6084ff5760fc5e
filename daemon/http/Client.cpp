#include "daemon/http/Client.h"
#include "daemon/http/Text.h"

#include <http_parser.h>
#include <openssl/ssl.h>

#include <array>
#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <climits>
#include <optional>
#include <type_traits>

namespace rollcall::daemon::http {
namespace {

using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
constexpr std::size_t kMaxResponseHeaderBytes = 64 * 1024;


bool has_header(const Headers& headers, std::string_view name) {
  for (const auto& h : headers) {
    if (iequals(h.first, name)) return true;
  }
  return false;
}


// One call on a private io_context: resolve, connect, (TLS), write, read and parse the response.
template <class Stream>
class Call {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Call(asio::io_context& io, const std::string& host, std::uint16_t port, const ClientOptions& options,
       asio::ssl::context* tls)
      : io_(io), host_(host), port_(port), options_(options), resolver_(io), stream_(make(io, tls)), timer_(io) {
    http_parser_init(&parser_, HTTP_RESPONSE);
    parser_.data = this;
  }

  // Full response mode (request) or event mode (stream_events) when `sse` is given.
  std::optional<ClientError> run(std::string request_bytes, bool head, SseParser* sse, Clock::time_point deadline) {
    request_ = std::move(request_bytes);
    head_ = head;
    sse_ = sse;
    stream_deadline_ = deadline;
    arm(std::min(deadline, Clock::now() + options_.timeout));
    resolver_.async_resolve(host_, std::to_string(port_), [this](const asio::error_code& ec, tcp::resolver::results_type r) {
      if (done_) return;
      if (ec) return finish(ClientError{ClientError::Kind::resolve, "resolve " + host_ + ": " + ec.message()});
      asio::async_connect(lowest(), r, [this](const asio::error_code& e, const tcp::endpoint&) { on_connected(e); });
    });
    io_.run();
    return error_;
  }

  ClientResponse response;
  bool stopped_by_callback = false;
  bool deadline_passed = false;
  bool closed_by_server = false;

 private:
  static Stream make(asio::io_context& io, asio::ssl::context* tls) {
    if constexpr (kTls) {
      return Stream(io, *tls);
    } else {
      return Stream(io);
    }
  }
  tcp::socket& lowest() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  void arm(Clock::time_point when) {
    timer_.expires_at(when);
    timer_.async_wait([this](const asio::error_code& ec) {
      if (ec || done_) return;
      if (sse_ && headers_done_) {
        deadline_passed = true;
        return finish(std::nullopt);
      }
      finish(ClientError{ClientError::Kind::timeout, "timed out after " + std::to_string(options_.timeout.count()) +
                                                         " ms waiting for " + host_port(host_, port_) + " (" + stage_ + ")"});
    });
  }

  void finish(std::optional<ClientError> error) {
    if (done_) return;
    done_ = true;
    error_ = std::move(error);
    asio::error_code ec;
    resolver_.cancel();
    lowest().close(ec);
    timer_.cancel();
  }

  void on_connected(const asio::error_code& ec) {
    if (done_) return;
    if (ec) {
      auto kind = ec == asio::error::connection_refused ? ClientError::Kind::connection_refused : ClientError::Kind::connect;
      return finish(ClientError{kind, "connect " + host_port(host_, port_) + ": " + ec.message()});
    }
    asio::error_code ignored;
    lowest().set_option(tcp::no_delay(true), ignored);
    if constexpr (kTls) {
      stage_ = "TLS handshake";
      SSL_set_tlsext_host_name(stream_.native_handle(), host_.c_str());
      if (options_.tls_verify) {
        stream_.set_verify_mode(asio::ssl::verify_peer);
        stream_.set_verify_callback(asio::ssl::host_name_verification(host_));
      } else {
        stream_.set_verify_mode(asio::ssl::verify_none);
      }
      stream_.async_handshake(asio::ssl::stream_base::client, [this](const asio::error_code& e) {
        if (done_) return;
        if (e) return finish(ClientError{ClientError::Kind::tls, "TLS with " + host_port(host_, port_) + ": " + e.message()});
        send();
      });
    } else {
      send();
    }
  }

  void send() {
    stage_ = "response";
    asio::async_write(stream_, asio::buffer(request_), [this](const asio::error_code& ec, std::size_t) {
      if (done_) return;
      if (ec) return finish(ClientError{ClientError::Kind::io, "send to " + host_port(host_, port_) + ": " + ec.message()});
      read();
    });
  }

  void read() {
    stream_.async_read_some(asio::buffer(buf_), [this](const asio::error_code& ec, std::size_t n) {
      if (done_) return;
      if (ec) {
        // EOF (or a TLS peer that skipped close_notify): let the parser judge a close-delimited body.
        http_parser_execute(&parser_, &settings(), nullptr, 0);
        if (complete_) return finish(std::nullopt);
        if (sse_ && headers_done_) {
          closed_by_server = true;
          return finish(std::nullopt);
        }
        return finish(ClientError{ClientError::Kind::bad_response, "connection to " + host_port(host_, port_) +
                                                                     " closed before the response was complete"});
      }
      std::size_t used = http_parser_execute(&parser_, &settings(), buf_.data(), n);
      if (done_) return;  // finished from a callback
      if (complete_) return finish(std::nullopt);
      if (HTTP_PARSER_ERRNO(&parser_) != HPE_OK || used != n) {
        return finish(ClientError{ClientError::Kind::bad_response,
                                  "bad HTTP response from " + host_port(host_, port_) + ": " +
                                      http_errno_description(HTTP_PARSER_ERRNO(&parser_))});
      }
      read();
    });
  }

  static Call& of(http_parser* p) { return *static_cast<Call*>(p->data); }
  static const http_parser_settings& settings() {
    static const http_parser_settings s = [] {
      http_parser_settings t;
      http_parser_settings_init(&t);
      t.on_header_field = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_field(at, n); };
      t.on_header_value = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_value(at, n); };
      t.on_headers_complete = [](http_parser* p) { return of(p).on_headers_complete(); };
      t.on_body = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_body(at, n); };
      t.on_message_complete = [](http_parser* p) {
        of(p).complete_ = true;
        return 0;
      };
      return t;
    }();
    return s;
  }

  int too_large(const char* what) {
    finish(ClientError{ClientError::Kind::too_large, std::string(what) + " from " + host_port(host_, port_) + " too large"});
    return -1;
  }
  int on_field(const char* at, std::size_t n) {
    if ((header_bytes_ += n) > kMaxResponseHeaderBytes) return too_large("response head");
    if (last_was_value_) response.headers.emplace_back();
    last_was_value_ = false;
    response.headers.back().first.append(at, n);
    return 0;
  }
  int on_value(const char* at, std::size_t n) {
    if ((header_bytes_ += n) > kMaxResponseHeaderBytes) return too_large("response head");
    if (response.headers.empty()) return 0;
    response.headers.back().second.append(at, n);
    last_was_value_ = true;
    return 0;
  }
  int on_headers_complete() {
    response.status = parser_.status_code;
    headers_done_ = true;
    if (sse_ && response.status == 200) {
      timer_.cancel();
      arm(stream_deadline_);
    }
    return head_ ? 1 : 0;  // a HEAD response has no body whatever its Content-Length says
  }
  int on_body(const char* at, std::size_t n) {
    if (sse_ && response.status == 200) {
      if (sse_->feed(std::string_view(at, n))) return 0;
      if (sse_->too_long()) {
        finish(ClientError{ClientError::Kind::bad_response, "event stream line too long"});
      } else {
        stopped_by_callback = true;
        finish(std::nullopt);
      }
      return -1;
    }
    if (response.body.size() + n > options_.max_body_bytes) return too_large("response body");
    response.body.append(at, n);
    return 0;
  }

  asio::io_context& io_;
  std::string host_;
  std::uint16_t port_;
  ClientOptions options_;
  tcp::resolver resolver_;
  Stream stream_;
  asio::steady_timer timer_;
  http_parser parser_;
  std::array<char, 16384> buf_;
  std::string request_;
  std::string stage_ = "connect";
  bool head_ = false;
  SseParser* sse_ = nullptr;
  Clock::time_point stream_deadline_;
  bool done_ = false;
  bool complete_ = false;
  bool headers_done_ = false;
  bool last_was_value_ = true;
  std::size_t header_bytes_ = 0;
  std::optional<ClientError> error_;
};

std::string build_request(const std::string& host, std::uint16_t port, std::string_view method, std::string_view path,
                          std::string_view body, const Headers& headers) {
  std::string out;
  out.reserve(256 + body.size());
  out.append(method).append(" ").append(path.empty() ? std::string_view("/") : path).append(" HTTP/1.1\r\n");
  if (!has_header(headers, "Host")) out.append("Host: ").append(host_port(host, port)).append("\r\n");
  if (!has_header(headers, "User-Agent")) out.append("User-Agent: rollcall\r\n");
  if (!has_header(headers, "Accept")) out.append("Accept: */*\r\n");
  for (const auto& [k, v] : headers) {
    if (iequals(k, "Content-Length") || iequals(k, "Connection")) continue;
    out.append(k).append(": ").append(v).append("\r\n");
  }
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  out.append("Connection: close\r\n\r\n");
  out.append(body);
  return out;
}

// Runs one call with the right stream type; `sse` selects event mode.
template <class Fn>
auto with_call(const std::string& host, std::uint16_t port, const ClientOptions& options, Fn&& fn)
    -> std::optional<ClientError> {
  asio::io_context io;
  if (!options.tls) {
    Call<tcp::socket> call(io, host, port, options, nullptr);
    return fn(call);
  }
  try {
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    asio::error_code ec;
    if (options.tls_verify) {
      if (options.tls_ca_file.empty()) {
        ctx.set_default_verify_paths(ec);
      } else {
        ctx.load_verify_file(options.tls_ca_file, ec);
      }
      if (ec) return ClientError{ClientError::Kind::tls, "TLS CA file " + options.tls_ca_file + ": " + ec.message()};
    }
    Call<asio::ssl::stream<tcp::socket>> call(io, host, port, options, &ctx);
    return fn(call);
  } catch (const std::exception& e) {
    return ClientError{ClientError::Kind::tls, std::string("TLS setup: ") + e.what()};
  }
}

}  // namespace

std::optional<std::string_view> ClientResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

Result<ClientResponse, ClientError> request(const std::string& host, std::uint16_t port, std::string_view method,
                                            std::string_view path, std::string_view body, const Headers& headers,
                                            std::chrono::milliseconds timeout) {
  ClientOptions options;
  options.timeout = timeout;
  return request(host, port, method, path, body, headers, options);
}

Result<ClientResponse, ClientError> request(const std::string& host, std::uint16_t port, std::string_view method,
                                            std::string_view path, std::string_view body, const Headers& headers,
                                            const ClientOptions& options) {
  ClientResponse out;
  auto error = with_call(host, port, options, [&](auto& call) -> std::optional<ClientError> {
    auto e = call.run(build_request(host, port, method, path, body, headers), method == "HEAD", nullptr,
                      Clock::now() + options.timeout);
    if (!e) out = std::move(call.response);
    return e;
  });
  if (error) return *error;
  return out;
}

Result<StreamEnd, ClientError> stream_events(const std::string& host, std::uint16_t port, std::string_view path,
                                             const Headers& headers, const SseParser::OnEvent& on_event,
                                             std::chrono::steady_clock::time_point deadline,
                                             const ClientOptions& options) {
  Headers h = headers;
  if (!has_header(h, "Accept")) h.emplace_back("Accept", "text/event-stream");
  SseParser parser(on_event);
  StreamEnd end = StreamEnd::closed_by_server;
  auto error = with_call(host, port, options, [&](auto& call) -> std::optional<ClientError> {
    auto e = call.run(build_request(host, port, "GET", path, {}, h), false, &parser, deadline);
    if (e) return e;
    if (call.response.status != 200) {
      std::string snippet = call.response.body.substr(0, 200);
      return ClientError{ClientError::Kind::http_status,
                         "HTTP " + std::to_string(call.response.status) + (snippet.empty() ? "" : ": " + snippet),
                         call.response.status};
    }
    end = call.stopped_by_callback ? StreamEnd::stopped
          : call.deadline_passed   ? StreamEnd::deadline
                                   : StreamEnd::closed_by_server;
    return std::nullopt;
  });
  if (error) return *error;
  return end;
}

}  // namespace rollcall::daemon::http
