#include "daemon/http/Connection.h"
#include "daemon/http/Text.h"

#include <http_parser.h>

#include <array>
#include <asio/steady_timer.hpp>
#include <asio/ssl.hpp>
#include <asio/write.hpp>
#include <charconv>
#include <chrono>
#include <climits>
#include <deque>
#include <type_traits>
#include <vector>

#include "daemon/http/PercentDecode.h"
#include "daemon/http/ServerState.h"

namespace rollcall::daemon::http {
namespace {

using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kReadBufferBytes = 16384;
// After an error response we drain what the client is still sending (so it can read our answer
// instead of a reset), but at most this much and for at most kMaxLinger.
constexpr std::size_t kMaxLingerBytes = 4u << 20;
constexpr std::chrono::milliseconds kMaxLinger{2000};
constexpr std::size_t kMaxEventsPerWrite = 64;
// Request and response bodies larger than this are not kept allocated between requests.
constexpr std::size_t kKeepBufferBytes = 64 * 1024;

bool address_is_loopback(const asio::ip::address& a) {
  if (a.is_v4()) return a.to_v4().is_loopback();
  const auto v6 = a.to_v6();
  if (v6.is_loopback()) return true;
  return v6.is_v4_mapped() && asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback();
}

bool header_token_ok(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c <= ' ' || c == ':' || c == 127) return false;
  }
  return true;
}

bool header_value_ok(std::string_view s) { return s.find_first_of("\r\n", 0) == std::string_view::npos; }


void append_number(std::string& out, std::uint64_t n) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  (void)ec;
  out.append(buf, end);
}

std::string error_body(int status) {
  std::string reason = http_status_str(static_cast<http_status>(status));
  for (char& c : reason) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return "{\"error\":\"" + reason + "\"}";
}

template <class Stream>
class Connection final : public ConnectionBase {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, tcp::socket>;

  Connection(std::shared_ptr<ServerState> state, tcp::socket socket)
      : state_(std::move(state)), stream_(make_stream(std::move(socket), *state_)), timer_(state_->io) {
    http_parser_init(&parser_, HTTP_REQUEST);
    parser_.data = this;
  }
  ~Connection() override { state_->connections.erase(this); }

  void start() {
    asio::error_code ec;
    lowest().set_option(tcp::no_delay(true), ec);
    const auto remote = lowest().remote_endpoint(ec);
    if (ec) return close();
    request_.remote_ip = remote.address().to_string();
    request_.remote_is_loopback = address_is_loopback(remote.address());
    state_->connections.emplace(this, weak_from_this());
    quantum_ = std::min(state_->limits.header_timeout, state_->limits.idle_timeout);
    if constexpr (kTls) {
      phase_ = Phase::handshake;
      set_deadline(Clock::now() + state_->limits.header_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server, [self = self()](const asio::error_code& e) {
        if (self->phase_ == Phase::closed) return;
        if (e) {
          ++self->state_->stats.rejected_connections;
          return self->close();
        }
        self->begin_idle();
      });
    } else {
      begin_idle();
    }
  }

  void respond(std::uint64_t serial, Response&& r) override {
    if (phase_ != Phase::handling || serial != serial_) return;
    write_response(std::move(r), !keep_alive_ || state_->stopped);
  }

  bool start_events(std::uint64_t serial) override {
    if (phase_ != Phase::handling || serial != serial_) return false;
    phase_ = Phase::events;
    state_->count_response(200);
    std::string head =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n"
        "X-Content-Type-Options: nosniff\r\nX-Accel-Buffering: no\r\nConnection: close\r\n\r\n";
    ev_bytes_ = head.size();
    ev_queue_.push_back(std::move(head));
    flush_events();
    rbeg_ = rend_ = 0;  // pipelined requests after an event stream are not served
    watch_events_reader();
    return true;
  }

  bool send_event(std::string&& framed) override {
    if (phase_ != Phase::events || finishing_) return false;
    if (ev_bytes_ + framed.size() > state_->limits.max_event_queue_bytes) {
      close();  // a reader this slow is dropped rather than buffered without bound
      return false;
    }
    ev_bytes_ += framed.size();
    ev_queue_.push_back(std::move(framed));
    flush_events();
    return true;
  }

  void finish_events() override {
    if (phase_ != Phase::events) return;
    finishing_ = true;
    if (!ev_writing_) close();
  }

  void close() override {
    if (phase_ == Phase::closed) return;
    phase_ = Phase::closed;
    asio::error_code ec;
    lowest().close(ec);
    timer_.cancel();
    state_->connections.erase(this);
  }

  bool is_closed() const override { return phase_ == Phase::closed; }

 private:
  enum class Phase : std::uint8_t { handshake, idle, reading, handling, writing, events, lingering, closed };

  static Stream make_stream(tcp::socket&& socket, ServerState& state) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *state.tls);
    } else {
      return std::move(socket);
    }
  }

  tcp::socket& lowest() {
    if constexpr (kTls) {
      return stream_.next_layer();
    } else {
      return stream_;
    }
  }

  std::shared_ptr<Connection> self() { return std::static_pointer_cast<Connection>(shared_from_this()); }

  // ---- deadlines: one timer, re-armed lazily --------------------------------------------------
  // The physical timer fires at most `quantum_` after it was armed, so the usual per-request moves
  // of the deadline (each one later than the pending expiry) cost no timer operation at all.
  void set_deadline(Clock::time_point d) {
    deadline_ = d;
    if (d == Clock::time_point::max()) return;
    if (timer_pending_ && timer_expiry_ <= d) return;
    timer_expiry_ = std::min(d, Clock::now() + quantum_);
    timer_pending_ = true;
    const std::uint64_t gen = ++timer_gen_;
    timer_.expires_at(timer_expiry_);
    timer_.async_wait([self = self(), gen](const asio::error_code&) { self->on_timer(gen); });
  }
  void clear_deadline() { deadline_ = Clock::time_point::max(); }

  void on_timer(std::uint64_t gen) {
    if (gen != timer_gen_) return;  // superseded by an earlier deadline
    timer_pending_ = false;
    if (phase_ == Phase::closed || deadline_ == Clock::time_point::max()) return;
    if (Clock::now() >= deadline_) return on_deadline();
    set_deadline(deadline_);
  }

  void on_deadline() {
    switch (phase_) {
      case Phase::reading:
        if (writing_continue_) return close();
        return fail(408);
      case Phase::handling:  // the handler never answered
        return write_response(Response{503, "application/json", error_body(503), {}}, true);
      case Phase::events:
        if (ev_writing_) close();  // a write stalled for idle_timeout: the reader is gone or stuck
        return;
      case Phase::handshake:
        ++state_->stats.rejected_connections;
        return close();
      default:  // idle keep-alive expired, stalled response write, linger over
        return close();
    }
  }

  // ---- reading and parsing --------------------------------------------------------------------
  void begin_idle() {
    phase_ = Phase::idle;
    set_deadline(Clock::now() + state_->limits.idle_timeout);
    if (rbeg_ < rend_) return process();  // a pipelined request is already buffered
    read_more();
  }

  void read_more() {
    rbeg_ = rend_ = 0;
    stream_.async_read_some(asio::buffer(rbuf_.data(), rbuf_.size()),
                            [self = self()](const asio::error_code& ec, std::size_t n) {
                              if (self->phase_ == Phase::closed) return;
                              if (ec) return self->close();
                              self->rend_ = n;
                              self->process();
                            });
  }

  void process() {
    const std::size_t used = http_parser_execute(&parser_, &settings(), rbuf_.data() + rbeg_, rend_ - rbeg_);
    rbeg_ += used;
    if (error_status_ != 0) return fail(error_status_);
    const auto err = HTTP_PARSER_ERRNO(&parser_);
    if (err == HPE_PAUSED) {  // one complete request: answer it before parsing the next
      http_parser_pause(&parser_, 0);
      return dispatch();
    }
    if (err != HPE_OK) return fail(err == HPE_HEADER_OVERFLOW ? 431 : 400);
    if (rbeg_ != rend_) return fail(400);  // the parser stopped early without saying why
    if (continue_pending_) {
      continue_pending_ = false;
      writing_continue_ = true;
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = self()](const asio::error_code& ec, std::size_t) {
                          self->writing_continue_ = false;
                          if (self->phase_ == Phase::closed) return;
                          if (ec) return self->close();
                          self->read_more();
                        });
      return;
    }
    read_more();
  }

  void dispatch() {
    phase_ = Phase::handling;
    ++serial_;
    set_deadline(Clock::now() + state_->limits.idle_timeout);
    if (!state_->handler) return write_response(Response{404, "application/json", error_body(404), {}}, false);
    const std::uint64_t serial = serial_;
    try {
      state_->handler(request_, Responder(weak_from_this(), serial));
    } catch (...) {
      respond(serial, Response{500, "application/json", error_body(500), {}});
    }
  }

  void fail(int status) {
    keep_alive_ = false;
    phase_ = Phase::handling;
    write_response(Response{status, "application/json", error_body(status), {}}, true);
  }

  // ---- writing ----------------------------------------------------------------------------------
  void write_response(Response&& r, bool close_after) {
    const int status = r.status >= 100 && r.status <= 999 ? r.status : 500;
    const bool no_body = status < 200 || status == 204 || status == 304;
    out_head_.clear();
    out_head_ += "HTTP/1.1 ";
    append_number(out_head_, static_cast<std::uint64_t>(status));
    out_head_ += ' ';
    out_head_ += http_status_str(static_cast<http_status>(status));
    out_head_ += "\r\n";
    if (!no_body) {
      if (!r.content_type.empty() && header_value_ok(r.content_type)) {
        out_head_ += "Content-Type: ";
        out_head_ += r.content_type;
        out_head_ += "\r\n";
      }
      out_head_ += "Content-Length: ";
      append_number(out_head_, r.body.size());
      out_head_ += "\r\n";
    }
    bool has_cache_control = false;
    for (const auto& [name, value] : r.headers) {
      if (!header_token_ok(name) || !header_value_ok(value) || iequals(name, "Content-Length") ||
          iequals(name, "Connection") || iequals(name, "Transfer-Encoding") || iequals(name, "Content-Type")) {
        continue;
      }
      has_cache_control = has_cache_control || iequals(name, "Cache-Control");
      out_head_ += name;
      out_head_ += ": ";
      out_head_ += value;
      out_head_ += "\r\n";
    }
    if (!has_cache_control && r.content_type.starts_with("application/json")) out_head_ += "Cache-Control: no-store\r\n";
    out_head_ += "X-Content-Type-Options: nosniff\r\n";
    if (close_after) {
      out_head_ += "Connection: close\r\n";
    } else if (parser_.http_major == 1 && parser_.http_minor == 0) {
      out_head_ += "Connection: keep-alive\r\n";
    }
    out_head_ += "\r\n";
    out_body_ = std::move(r.body);
    if (no_body || head_request_) out_body_.clear();

    state_->count_response(status);
    phase_ = Phase::writing;
    close_after_write_ = close_after;
    set_deadline(Clock::now() + state_->limits.idle_timeout);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_head_), asio::buffer(out_body_)};
    asio::async_write(stream_, buffers, [self = self()](const asio::error_code& ec, std::size_t) {
      if (self->phase_ == Phase::closed) return;
      if (ec) return self->close();
      if (self->out_body_.capacity() > kKeepBufferBytes) std::string().swap(self->out_body_);
      if (self->close_after_write_) return self->linger();
      self->begin_idle();
    });
  }

  // Half-close, then drain the client's remaining bytes for a bounded time and amount.
  void linger() {
    phase_ = Phase::lingering;
    asio::error_code ec;
    lowest().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    linger_bytes_ = 0;
    set_deadline(Clock::now() + std::min(kMaxLinger, state_->limits.header_timeout));
    linger_read();
  }

  void linger_read() {
    lowest().async_read_some(asio::buffer(rbuf_.data(), rbuf_.size()),
                             [self = self()](const asio::error_code& ec, std::size_t n) {
                               if (self->phase_ != Phase::lingering) return;
                               self->linger_bytes_ += n;
                               if (ec || self->linger_bytes_ > kMaxLingerBytes) return self->close();
                               self->linger_read();
                             });
  }

  // ---- event streams ----------------------------------------------------------------------------
  void flush_events() {
    if (ev_writing_ || ev_queue_.empty() || phase_ != Phase::events) return;
    ev_buffers_.clear();
    for (std::size_t i = 0; i < ev_queue_.size() && i < kMaxEventsPerWrite; ++i) {
      ev_buffers_.push_back(asio::buffer(ev_queue_[i]));
    }
    ev_writing_ = true;
    set_deadline(Clock::now() + state_->limits.idle_timeout);
    asio::async_write(stream_, ev_buffers_, [self = self()](const asio::error_code& ec, std::size_t) {
      self->ev_writing_ = false;
      if (self->phase_ != Phase::events) return;
      if (ec) return self->close();
      for (std::size_t i = 0; i < self->ev_buffers_.size(); ++i) {
        self->ev_bytes_ -= self->ev_queue_.front().size();
        self->ev_queue_.pop_front();
      }
      if (!self->ev_queue_.empty()) return self->flush_events();
      self->clear_deadline();
      if (self->finishing_) self->close();
    });
  }

  // Reads (and ignores) whatever the client sends on an event stream, to notice when it leaves.
  void watch_events_reader() {
    stream_.async_read_some(asio::buffer(rbuf_.data(), rbuf_.size()),
                            [self = self()](const asio::error_code& ec, std::size_t) {
                              if (self->phase_ != Phase::events) return;
                              if (ec) return self->close();
                              self->watch_events_reader();
                            });
  }

  // ---- http-parser callbacks ----------------------------------------------------------------------
  static Connection& of(http_parser* p) { return *static_cast<Connection*>(p->data); }

  static const http_parser_settings& settings() {
    static const http_parser_settings s = [] {
      http_parser_settings t;
      http_parser_settings_init(&t);
      t.on_message_begin = [](http_parser* p) { return of(p).on_message_begin(); };
      t.on_url = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_url(at, n); };
      t.on_header_field = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_header_field(at, n); };
      t.on_header_value = [](http_parser* p, const char* at, std::size_t n) { return of(p).on_header_value(at, n); };
      t.on_headers_complete = [](http_parser* p) { return of(p).on_headers_complete(); };
      t.on_body = [](http_parser* p, const char* at, std::size_t n) {
        of(p).request_.body.append(at, n);
        return 0;
      };
      t.on_message_complete = [](http_parser* p) { return of(p).on_message_complete(); };
      return t;
    }();
    return s;
  }

  int on_message_begin() {
    if (request_.body.capacity() > kKeepBufferBytes) std::string().swap(request_.body);  // no 1 MiB per idle connection
    request_.method.clear();
    request_.path.clear();
    request_.query.clear();
    request_.body.clear();
    url_.clear();
    header_count_ = 0;
    header_bytes_ = 0;
    last_was_value_ = true;
    continue_pending_ = false;
    head_request_ = false;
    phase_ = Phase::reading;
    set_deadline(Clock::now() + state_->limits.header_timeout);
    return 0;
  }

  bool count_header_bytes(std::size_t n) {
    header_bytes_ += n;
    if (header_bytes_ <= state_->limits.max_header_bytes) return true;
    error_status_ = 431;
    return false;
  }

  int on_url(const char* at, std::size_t n) {
    if (!count_header_bytes(n)) return -1;
    url_.append(at, n);
    return 0;
  }

  int on_header_field(const char* at, std::size_t n) {
    if (!count_header_bytes(n + (last_was_value_ ? 4 : 0))) return -1;
    auto& headers = request_.headers;
    if (last_was_value_) {
      if (header_count_ < headers.size()) {
        headers[header_count_].first.clear();
        headers[header_count_].second.clear();
      } else {
        headers.emplace_back();
      }
      ++header_count_;
      last_was_value_ = false;
    }
    headers[header_count_ - 1].first.append(at, n);
    return 0;
  }

  int on_header_value(const char* at, std::size_t n) {
    if (!count_header_bytes(n)) return -1;
    if (header_count_ == 0) return 0;
    request_.headers[header_count_ - 1].second.append(at, n);
    last_was_value_ = true;
    return 0;
  }

  int on_headers_complete() {
    request_.headers.resize(header_count_);
    for (const auto& h : request_.headers) {
      if (!header_token_ok(h.first)) {  // http-parser lets "Bad Name:" through; we do not
        error_status_ = 400;
        return -1;
      }
    }
    request_.method = http_method_str(static_cast<http_method>(parser_.method));
    head_request_ = parser_.method == HTTP_HEAD;
    http_parser_url u;
    http_parser_url_init(&u);
    if (http_parser_parse_url(url_.data(), url_.size(), parser_.method == HTTP_CONNECT, &u) != 0) {
      error_status_ = 400;
      return -1;
    }
    std::string_view raw_path = "/";
    if (u.field_set & (1 << UF_PATH)) raw_path = std::string_view(url_).substr(u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
    if (u.field_set & (1 << UF_QUERY)) {
      request_.query.assign(url_, u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len);
    }
    if (!percent_decode(raw_path, request_.path)) {
      error_status_ = 400;
      return -1;
    }
    if ((parser_.flags & F_CHUNKED) != 0 || parser_.uses_transfer_encoding) {
      error_status_ = 411;  // only Content-Length bodies are accepted
      return -1;
    }
    const bool has_length = parser_.content_length != ULLONG_MAX;
    if (has_length && parser_.content_length > state_->limits.max_body_bytes) {
      error_status_ = 413;
      return -1;
    }
    if (has_length && parser_.content_length > 0) {
      request_.body.reserve(static_cast<std::size_t>(parser_.content_length));
      auto expect = request_.header("Expect");
      continue_pending_ = expect && iequals(*expect, "100-continue");
    }
    set_deadline(Clock::now() + state_->limits.header_timeout);  // the body gets its own window
    return 0;
  }

  int on_message_complete() {
    keep_alive_ = http_should_keep_alive(&parser_) != 0 && parser_.upgrade == 0;
    continue_pending_ = false;
    http_parser_pause(&parser_, 1);
    return 0;
  }

  std::shared_ptr<ServerState> state_;
  Stream stream_;
  asio::steady_timer timer_;
  Phase phase_ = Phase::idle;

  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point timer_expiry_{};
  Clock::duration quantum_{};
  std::uint64_t timer_gen_ = 0;
  bool timer_pending_ = false;

  http_parser parser_;
  std::array<char, kReadBufferBytes> rbuf_;
  std::size_t rbeg_ = 0, rend_ = 0;
  Request request_;
  std::string url_;
  std::size_t header_count_ = 0;
  std::size_t header_bytes_ = 0;
  bool last_was_value_ = true;
  int error_status_ = 0;
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool continue_pending_ = false;
  bool writing_continue_ = false;
  std::uint64_t serial_ = 0;

  std::string out_head_;
  std::string out_body_;
  bool close_after_write_ = false;
  std::size_t linger_bytes_ = 0;

  std::deque<std::string> ev_queue_;
  std::vector<asio::const_buffer> ev_buffers_;
  std::size_t ev_bytes_ = 0;
  bool ev_writing_ = false;
  bool finishing_ = false;
};

}  // namespace

std::shared_ptr<ConnectionBase> start_connection(const std::shared_ptr<ServerState>& state, tcp::socket socket) {
  if (state->tls) {
    auto c = std::make_shared<Connection<asio::ssl::stream<tcp::socket>>>(state, std::move(socket));
    c->start();
    return c;
  }
  auto c = std::make_shared<Connection<tcp::socket>>(state, std::move(socket));
  c->start();
  return c;
}

}  // namespace rollcall::daemon::http
