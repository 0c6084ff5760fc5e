// Target http_server: the real http::Server (Connection + http-parser + limits) on 127.0.0.1, fed
// the input as the raw bytes of one client connection (the client then half-closes). The handler
// exercises the Request accessors and answers in several ways chosen by the path (plain, late,
// twice, thrown, event stream, echoed headers and status). Oracles: the exchange ends within 100
// idle waits of 100 ms (not a wall-clock deadline, so a paused process is no failure), every
// connection is released, and (unless a HEAD request or a reset makes framing ambiguous) everything
// the server wrote parses as a sequence of valid HTTP/1.1 responses.
#include <http_parser.h>

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <array>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <cstring>
#include <memory>
#include <string>

#include "daemon/http/EventStream.h"
#include "daemon/http/Server.h"
#include "fuzz/Targets.h"

namespace rollcall::fuzz {

namespace {

namespace http = daemon::http;
using tcp = asio::ip::tcp;
constexpr std::string_view kName = "http_server";
// An exchange may wait kMaxIdleWaits x kWait with nothing to do (10 s: the server's own header and
// idle timeouts are 2 s) and run kMaxHandlers completion handlers, whichever ends first.
constexpr auto kWait = std::chrono::milliseconds(100);
constexpr int kMaxIdleWaits = 100;
constexpr int kMaxHandlers = 100000;

struct Waiter {
  asio::io_context& io;
  int idle = 0, handlers = 0;
  explicit Waiter(asio::io_context& c) : io(c) {}
  bool more() const { return idle < kMaxIdleWaits && handlers < kMaxHandlers; }
  void once() {
    if (io.run_one_for(kWait) == 0) ++idle;
    else ++handlers;
  }
};

int status_for(std::string_view path) {
  static constexpr int kStatuses[] = {200, 201, 204, 304, 400, 404, 500, 503, 599};
  return kStatuses[path.size() % (sizeof kStatuses / sizeof kStatuses[0])];
}

void handle(asio::io_context& io, const http::Request& req, http::Responder res) {
  std::size_t touched = req.method.size() + req.path.size() + req.query.size() + req.body.size();
  for (const auto& [k, v] : req.headers) touched += k.size() + v.size();
  if (auto h = req.header("content-type")) touched += h->size();
  if (auto q = req.query_param("q")) touched += q->size();
  if (auto q = req.query_param("")) touched += q->size();

  const std::string_view path = req.path;
  http::Response r;
  r.headers.emplace_back("X-Method", req.method);
  r.headers.emplace_back("X-Touched", std::to_string(touched));
  if (path.starts_with("/events")) {
    auto stream = res.start_events();
    stream->send("fuzz", req.body);
    stream->comment(req.query);
    stream->send("", req.path);
    stream->close();
    return;
  }
  if (path.starts_with("/throw")) throw std::runtime_error("handler failure");
  if (path.starts_with("/late")) {
    r.body = req.body;
    asio::post(io, [res, r = std::move(r)]() mutable { res.respond(std::move(r)); });
    return;
  }
  if (path.starts_with("/echo")) {  // request headers back as response headers (CR/LF must be refused)
    for (const auto& [k, v] : req.headers) r.headers.emplace_back(k, v);
    r.content_type = req.header("accept").value_or("");
    r.status = status_for(path);
  }
  r.body = "{\"path\":" + std::to_string(req.path.size()) + "}" + req.body;
  if (path.starts_with("/twice")) res.respond(r);
  res.respond(std::move(r));
}

struct Fixture {
  asio::io_context io;
  http::Server server;
  tcp::endpoint endpoint;

  static http::Limits limits() {
    http::Limits l;
    l.max_header_bytes = 2048;
    l.max_body_bytes = 4096;
    l.max_connections = 8;
    l.header_timeout = std::chrono::milliseconds(2000);
    l.idle_timeout = std::chrono::milliseconds(2000);
    l.max_event_queue_bytes = 1 << 16;
    return l;
  }

  Fixture() : server(io, limits(), [this](const http::Request& q, http::Responder r) { handle(io, q, std::move(r)); }) {
    auto ec = server.listen(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    check(!ec, kName, "cannot listen on 127.0.0.1");
    endpoint = server.local_endpoint();
  }
};

// Parses what the server wrote; false on any framing error.
bool valid_responses(const std::string& bytes) {
  http_parser p;
  http_parser_init(&p, HTTP_RESPONSE);
  http_parser_settings s;
  http_parser_settings_init(&s);
  const std::size_t n = http_parser_execute(&p, &s, bytes.data(), bytes.size());
  if (HTTP_PARSER_ERRNO(&p) != HPE_OK || n != bytes.size()) return false;
  http_parser_execute(&p, &s, nullptr, 0);  // EOF ends a body delimited by the close
  return HTTP_PARSER_ERRNO(&p) == HPE_OK;
}

}  // namespace

int http_server(Input in) {
  static Fixture* f = new Fixture;  // lives for the process: the server keeps its port
  auto& io = f->io;

  tcp::socket client(io);
  std::string received;
  std::array<char, 8192> buf;
  bool done = false, reset = false, written = false;
  asio::error_code cec;
  // libFuzzer's -timeout watchdog is a SIGALRM every second: a blocking connect can see EINTR.
  for (int attempt = 0; attempt < 5; ++attempt) {
    client.connect(f->endpoint, cec);
    if (cec != asio::error::interrupted) break;
    asio::error_code ignored;
    client.close(ignored);
  }
  if (cec) check(false, kName, "cannot connect to the server: " + cec.message());

  std::function<void()> read_next = [&] {
    client.async_read_some(asio::buffer(buf), [&](const asio::error_code& ec, std::size_t n) {
      received.append(buf.data(), n);
      if (ec) {
        reset = ec != asio::error::eof;
        done = true;
        return;
      }
      read_next();
    });
  };
  asio::async_write(client, asio::buffer(in.data(), in.size()), [&](const asio::error_code& ec, std::size_t) {
    asio::error_code ignored;
    if (!ec) client.shutdown(tcp::socket::shutdown_send, ignored);
    written = true;
  });
  read_next();

  // Bounded by idle waits, not by a wall-clock deadline: a process stopped for a while (SIGSTOP, a
  // starved CPU) must not count that time against the server. A campaign of 2026-11-30 stopped on
  // this oracle after a benchmark paused it for ~12 s; the input passes when replayed.
  Waiter wait(io);
  while (!done && wait.more()) wait.once();
  check(done, kName, "the server neither answered nor closed after the client half-closed");
  asio::error_code ignored;
  // Close with a reset, not a FIN: the client closed first, so a normal close leaves the port in
  // TIME_WAIT, and ~30k executions a minute would use up the ephemeral ports.
  client.set_option(asio::socket_base::linger(true, 0), ignored);
  client.close(ignored);
  while ((!written || f->server.stats().open_connections != 0) && wait.more()) wait.once();
  check(written, kName, "the client write never completed");
  check(f->server.stats().open_connections == 0, kName, "a connection was not released");
  io.poll();

  const std::string_view text(reinterpret_cast<const char*>(in.data()), in.size());
  if (!reset && text.find("HEAD") == std::string_view::npos) {
    check(valid_responses(received), kName, "the server wrote an invalid HTTP response stream");
  }
  return 0;
}

}  // namespace rollcall::fuzz
