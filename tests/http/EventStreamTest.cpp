// Server-Sent Events: framing, delivery to a real client, slow readers dropped with a bounded
// queue, clients leaving noticed, and the server staying responsive throughout.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "daemon/http/Client.h"
#include "daemon/http/EventStream.h"
#include "daemon/http/SseParser.h"
#include "http/RawSocket.h"
#include "http/ServerThread.h"

namespace rollcall::daemon::http::test {
namespace event_stream_test {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Keeps the streams opened on /events (touched only on the io thread).
struct Hub {
  std::vector<std::shared_ptr<EventStream>> streams;
  void handle(const Request& req, Responder r) {
    if (req.path == "/events") {
      auto s = r.start_events();
      s->send("hello", "welcome");
      streams.push_back(s);
      return;
    }
    r.respond({200, "application/json", "{}", {}});
  }
  std::size_t broadcast(std::string_view event, std::string_view data) {
    std::size_t delivered = 0;
    for (auto& s : streams) delivered += s->send(event, data) ? 1 : 0;
    return delivered;
  }
};

TEST(EventStreamFrame, MultiLineDataBecomesSeveralDataLines) {
  EXPECT_EQ(EventStream::frame("member", "a\nb\r\nc"), "event: member\ndata: a\ndata: b\ndata: c\n\n");
  EXPECT_EQ(EventStream::frame("", "x"), "data: x\n\n");
  EXPECT_EQ(EventStream::frame("evil\nevent", "{}"), "event: evilevent\ndata: {}\n\n");
}

TEST(SseParser, ParsesEventsAcrossArbitraryChunking) {
  const std::string stream = ": comment\r\nevent: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata:3\n\nevent: x\nid: 7\ndata: \n\n";
  for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
    std::vector<std::pair<std::string, std::string>> got;
    SseParser p([&](std::string_view e, std::string_view d) {
      got.emplace_back(e, d);
      return true;
    });
    for (std::size_t i = 0; i < stream.size(); i += chunk) ASSERT_TRUE(p.feed(std::string_view(stream).substr(i, chunk)));
    ASSERT_EQ(got.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(got[0], (std::pair<std::string, std::string>{"a", "1\n2"}));
    EXPECT_EQ(got[1], (std::pair<std::string, std::string>{"message", "3"}));
    EXPECT_EQ(got[2], (std::pair<std::string, std::string>{"x", ""}));
  }
}

TEST(SseParser, OverlongLineIsAnError) {
  SseParser p([](std::string_view, std::string_view) { return true; }, 16);
  EXPECT_FALSE(p.feed(std::string(100, 'a')));
  EXPECT_TRUE(p.too_long());
}

TEST(EventStreamServer, EventsReachTheClientInOrder) {
  Hub hub;
  ServerThread s({}, [&](const Request& q, Responder r) { hub.handle(q, r); });
  std::vector<std::pair<std::string, std::string>> got;
  std::thread publisher([&] {
    // Publish once the stream exists; keep publishing numbered events.
    const auto deadline = Clock::now() + 5s;
    while (s.run([&] { return hub.streams.size(); }) == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
    for (int i = 0; i < 5; ++i) s.run([&] { return hub.broadcast("tick", std::to_string(i)); });
  });
  auto end = stream_events("127.0.0.1", s.port(), "/events", {},
                           [&](std::string_view e, std::string_view d) {
                             got.emplace_back(e, d);
                             return got.size() < 6;
                           },
                           Clock::now() + 5s);
  publisher.join();
  ASSERT_TRUE(end.ok()) << end.error().message;
  EXPECT_EQ(*end, StreamEnd::stopped);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], (std::pair<std::string, std::string>{"hello", "welcome"}));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(got[i + 1].second, std::to_string(i));
}

TEST(EventStreamServer, StreamEndsAtDeadlineWithoutError) {
  Hub hub;
  ServerThread s({}, [&](const Request& q, Responder r) { hub.handle(q, r); });
  int n = 0;
  auto start = Clock::now();
  auto end = stream_events("127.0.0.1", s.port(), "/events", {},
                           [&](std::string_view, std::string_view) { return ++n < 100; }, Clock::now() + 300ms);
  ASSERT_TRUE(end.ok()) << end.error().message;
  EXPECT_EQ(*end, StreamEnd::deadline);
  EXPECT_EQ(n, 1);
  EXPECT_LT(Clock::now() - start, 3s);
}

TEST(EventStreamServer, ServerCloseEndsTheStream) {
  Hub hub;
  ServerThread s({}, [&](const Request& q, Responder r) {
    hub.handle(q, r);
    if (q.path == "/events") hub.streams.back()->close();
  });
  auto end = stream_events("127.0.0.1", s.port(), "/events", {},
                           [&](std::string_view, std::string_view) { return true; }, Clock::now() + 5s);
  ASSERT_TRUE(end.ok()) << end.error().message;
  EXPECT_EQ(*end, StreamEnd::closed_by_server);
}

TEST(EventStreamServer, NonEventAnswerIsAnHttpStatusError) {
  ServerThread s({}, [](const Request&, Responder r) { r.respond({404, "application/json", "{\"error\":\"no\"}", {}}); });
  auto end = stream_events("127.0.0.1", s.port(), "/events", {},
                           [&](std::string_view, std::string_view) { return true; }, Clock::now() + 5s);
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().kind, ClientError::Kind::http_status);
  EXPECT_EQ(end.error().status, 404);
}

TEST(EventStreamServer, SlowReaderIsDroppedWithBoundedQueue) {
  Limits l;
  l.max_event_queue_bytes = 64 * 1024;
  Hub hub;
  ServerThread s(l, [&](const Request& q, Responder r) { hub.handle(q, r); });
  RawSocket reader(s.port());
  reader.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto deadline = Clock::now() + 5s;
  while (s.run([&] { return hub.streams.size(); }) == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  ASSERT_EQ(s.run([&] { return hub.streams.size(); }), 1u);
  // The reader never reads: socket buffers fill, then the queue, then the stream is dropped.
  const std::string payload(8192, 'p');
  int sent = 0;
  bool dropped = false;
  while (!dropped && sent < 100000 && Clock::now() < deadline) {
    dropped = s.run([&] { return !hub.streams[0]->send("big", payload); });
    if (!dropped) ++sent;
  }
  EXPECT_TRUE(dropped) << "sent " << sent << " events without the reader being dropped";
  EXPECT_TRUE(s.run([&] { return hub.streams[0]->closed(); }));
  EXPECT_EQ(s.run([&] { return s.server().stats().open_connections; }), 0u);  // its socket is closed
  auto res = request("127.0.0.1", s.port(), "GET", "/hello", {}, {}, 2000ms);
  ASSERT_TRUE(res.ok()) << res.error().message;
}

TEST(EventStreamServer, ClientLeavingClosesTheStream) {
  Hub hub;
  ServerThread s({}, [&](const Request& q, Responder r) { hub.handle(q, r); });
  {
    RawSocket reader(s.port());
    reader.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
    auto deadline = Clock::now() + 3s;
    while (reader.buffered().find("welcome") == std::string::npos && reader.fill(deadline)) {
    }
    EXPECT_NE(reader.buffered().find("Content-Type: text/event-stream"), std::string::npos);
  }
  const auto deadline = Clock::now() + 3s;
  while (!s.run([&] { return hub.streams[0]->closed(); }) && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(s.run([&] { return hub.streams[0]->closed(); }));
  EXPECT_FALSE(s.run([&] { return hub.streams[0]->send("x", "y"); }));
}

TEST(EventStreamServer, StopClosesStreams) {
  Hub hub;
  ServerThread s({}, [&](const Request& q, Responder r) { hub.handle(q, r); });
  std::atomic<bool> done{false};
  Result<StreamEnd, ClientError> end = ClientError{};
  std::thread client([&] {
    end = stream_events("127.0.0.1", s.port(), "/events", {}, [](std::string_view, std::string_view) { return true; },
                        Clock::now() + 10s);
    done = true;
  });
  const auto deadline = Clock::now() + 5s;
  while (s.run([&] { return hub.streams.size(); }) == 0 && Clock::now() < deadline) std::this_thread::sleep_for(5ms);
  s.run([&] { s.server().stop(); });
  client.join();
  ASSERT_TRUE(end.ok()) << end.error().message;
  EXPECT_EQ(*end, StreamEnd::closed_by_server);
}

TEST(EventStreamServer, SecondStartEventsOrRespondIsIgnored) {
  std::shared_ptr<EventStream> second;
  ServerThread s({}, [&](const Request&, Responder r) {
    r.respond({200, "application/json", "{}", {}});
    second = r.start_events();
    r.respond({500, "application/json", "{}", {}});
  });
  auto res = request("127.0.0.1", s.port(), "GET", "/x");
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(s.run([&] { return second && second->closed(); }));
}

}  // namespace event_stream_test
}  // namespace rollcall::daemon::http::test
