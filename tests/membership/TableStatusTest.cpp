// derive_table: component staleness on the observer's clock, verification, server liveness
// warnings, status roll-up and ordering.
#include <gtest/gtest.h>

#include "TableFixture.h"
#include "membership/WarningCatalog.h"

namespace rollcall::membership {
namespace table_status_test {

using testing::comp;
using testing::count_code;
using testing::row;
using testing::View;
using WC = WarningCatalog;

constexpr std::int64_t kMin = 60'000;
constexpr std::int64_t kHour = 60 * kMin;

TEST(TableStatus, HealthyClusterHasNoWarnings) {
  View v;
  v.self = v.healthy(1);
  v.healthy(2);
  v.healthy(3);
  auto t = v.table(1000);
  EXPECT_EQ(t.status, Health::ok);
  EXPECT_EQ(t.server_count, 3u);
  EXPECT_EQ(t.servers_alive, 3u);
  EXPECT_TRUE(t.warnings.empty());
  for (const auto& s : t.servers) {
    EXPECT_TRUE(s.warnings.empty()) << s.name << ": " << s.warnings.front().code;
    EXPECT_EQ(s.status, Health::ok);
    EXPECT_TRUE(s.version_in_sync);
    EXPECT_TRUE(s.key_in_sync);
    ASSERT_EQ(s.components.size(), 2u);
    EXPECT_EQ(s.components[0].kind, "service");  // sorted by kind
    EXPECT_EQ(s.components[1].kind, "web");
    for (const auto& c : s.components) {
      EXPECT_EQ(c.status, ComponentRow::Status::ok);
      EXPECT_EQ(c.heartbeat_age_ms, 1000);
    }
  }
  EXPECT_EQ(t.served_by, View::id(1));
  EXPECT_EQ(t.served_by_name, "node-1");
}

TEST(TableStatus, ServiceGoesStaleExactlyAtTheStaleTimeout) {
  View v;
  const auto a = v.healthy(1);
  const std::int64_t timeout = ClusterConfig{}.stale_timeout_ms;
  auto before = v.table(timeout - 1);
  EXPECT_FALSE(comp(*row(before, a), "service")->stale);
  EXPECT_EQ(count_code(before, WC::kStaleServiceComponent), 0);

  auto after = v.table(timeout);
  const auto* svc = comp(*row(after, a), "service");
  EXPECT_TRUE(svc->stale);
  EXPECT_EQ(svc->status, ComponentRow::Status::stale);
  EXPECT_EQ(count_code(row(after, a)->warnings, WC::kStaleServiceComponent), 1);
  EXPECT_EQ(row(after, a)->status, Health::error);
  EXPECT_EQ(after.status, Health::error);
  // The web component has its own, longer window.
  EXPECT_FALSE(comp(*row(after, a), "web")->stale);
  EXPECT_EQ(count_code(after, WC::kStaleWebComponent), 0);

  // The heartbeat resumes: fresh again.
  v.heartbeat(a, "service", timeout + 10);
  auto fresh = v.table(timeout + 20);
  EXPECT_FALSE(comp(*row(fresh, a), "service")->stale);
  EXPECT_EQ(comp(*row(fresh, a), "service")->heartbeat_age_ms, 10);
  EXPECT_EQ(count_code(fresh, WC::kStaleServiceComponent), 0);
}

TEST(TableStatus, StaleTimeoutComesFromTheClusterConfig) {
  View v;
  const auto a = v.healthy(1);
  ClusterConfig c;
  c.stale_timeout_ms = 60'000;
  v.items.apply(ClusterItem{"config", 1, a, c}, v.t(0));
  EXPECT_FALSE(comp(*row(v.table(59'999), a), "service")->stale);
  EXPECT_TRUE(comp(*row(v.table(60'000), a), "service")->stale);
  // Any kind other than "web" uses the stale timeout.
  v.component(a, "indexer", "2024.3");
  v.heartbeat(a, "indexer", 0);
  auto t = v.table(60'000);
  EXPECT_TRUE(comp(*row(t, a), "indexer")->stale);
  EXPECT_EQ(count_code(row(t, a)->warnings, WC::kStaleServiceComponent), 2);
}

TEST(TableStatus, WebUsesTheWebWindowNotTheStaleTimeout) {
  View v;
  const auto a = v.healthy(1);
  v.heartbeat(a, "service", 24 * kHour);  // keep the service fresh
  auto quiet = v.table(24 * kHour - 1);
  EXPECT_FALSE(comp(*row(quiet, a), "web")->stale);
  EXPECT_EQ(count_code(quiet, WC::kStaleWebComponent), 0);
  auto t = v.table(24 * kHour);
  const auto* web = comp(*row(t, a), "web");
  EXPECT_TRUE(web->stale);
  EXPECT_EQ(web->status, ComponentRow::Status::stale);
  ASSERT_EQ(count_code(row(t, a)->warnings, WC::kStaleWebComponent), 1);
  const auto& w = row(t, a)->warnings.front();
  EXPECT_EQ(w.severity, TableWarning::Severity::warning);
  EXPECT_EQ(w.component, "web");
  EXPECT_NE(w.message.find("sticky"), std::string::npos);
  EXPECT_NE(w.remedy.find("load balancer"), std::string::npos);
  EXPECT_EQ(row(t, a)->status, Health::warning);
}

TEST(TableStatus, NeverHeardHeartbeatIsUnknownNotStale) {
  View v;
  const auto a = View::id(1);
  v.add_member(a, "node-1");
  v.server(a, "node-1");
  v.component(a, "service", "1.0");
  auto t = v.table(1000 * kHour);
  const auto* svc = comp(*row(t, a), "service");
  EXPECT_FALSE(svc->heartbeat_age_ms.has_value());
  EXPECT_FALSE(svc->stale);
  EXPECT_EQ(svc->status, ComponentRow::Status::unknown);
  EXPECT_EQ(count_code(t, WC::kStaleServiceComponent), 0);
  EXPECT_EQ(row(t, a)->status, Health::ok);
}

// The derivation only sees instants on the observer's own clock: observers whose clocks are
// offset by an hour either way (their "wall time" disagrees) derive the same table.
TEST(TableStatus, ObserverClockOffsetsDoNotMatter) {
  auto build = [](Duration offset) {
    View v;
    v.epoch = offset;
    v.self = v.healthy(1);
    v.healthy(2);
    v.heartbeat(View::id(2), "service", 200'000);
    return v;
  };
  const std::int64_t now = 301'000;  // service of node-1 stale (heard at 0), node-2 fresh
  View base = build(Duration{});
  View ahead = build(std::chrono::hours(1));
  View behind = build(-std::chrono::hours(1));
  auto t0 = base.table(now);
  EXPECT_EQ(ahead.table(now), t0);
  EXPECT_EQ(behind.table(now), t0);
  EXPECT_TRUE(comp(*row(t0, View::id(1)), "service")->stale);
  EXPECT_FALSE(comp(*row(t0, View::id(2)), "service")->stale);
}

TEST(TableStatus, VerificationFailedAndItsAge) {
  View v;
  const auto a = v.healthy(1);
  v.put(a, StateKeys::verify("service"),
        Verification{Verification::Result::failed, "connect 10.0.0.1:33237: refused", 4000}, 1000);
  auto t = v.table(3000);
  const auto* svc = comp(*row(t, a), "service");
  EXPECT_EQ(svc->verification, Verification::Result::failed);
  EXPECT_EQ(svc->verification_age_ms, 6000);  // 4 s when published + 2 s since received here
  EXPECT_EQ(svc->status, ComponentRow::Status::error);
  ASSERT_EQ(count_code(row(t, a)->warnings, WC::kVerificationFailed), 1);
  for (const auto& w : row(t, a)->warnings) {
    if (w.code != WC::kVerificationFailed) continue;
    EXPECT_EQ(w.severity, TableWarning::Severity::error);
    EXPECT_NE(w.message.find("33237: refused"), std::string::npos);
    EXPECT_NE(w.remedy.find("33237"), std::string::npos);
  }
  EXPECT_EQ(row(t, a)->status, Health::error);

  v.put(a, StateKeys::verify("service"), Verification{Verification::Result::ok, "HTTP 200", 0}, 4000);
  auto ok = v.table(4000);
  EXPECT_EQ(comp(*row(ok, a), "service")->status, ComponentRow::Status::ok);
  EXPECT_EQ(count_code(ok, WC::kVerificationFailed), 0);
}

TEST(TableStatus, ServerLivenessWarnings) {
  View v;
  v.self = v.healthy(1);
  const auto s = v.healthy(2);
  const auto d = v.healthy(3);
  const auto l = v.healthy(4);
  const auto g = v.healthy(5);
  v.member(s)->state = MemberState::suspect;
  v.member(d)->state = MemberState::dead;
  v.member(l)->state = MemberState::left;
  v.member(g)->recent_suspicions = 2;
  v.member(g)->last_heard = v.t(400);
  v.member(g)->rtt = std::chrono::microseconds(400);
  auto t = v.table(1000);
  EXPECT_EQ(count_code(row(t, s)->warnings, WC::kServerSuspect), 1);
  EXPECT_EQ(row(t, s)->status, Health::warning);
  EXPECT_EQ(count_code(row(t, d)->warnings, WC::kServerUnreachable), 1);
  EXPECT_EQ(row(t, d)->status, Health::error);
  EXPECT_EQ(count_code(row(t, l)->warnings, WC::kServerLeft), 1);
  EXPECT_EQ(row(t, l)->warnings.front().severity, TableWarning::Severity::info);
  EXPECT_EQ(row(t, l)->status, Health::ok);  // info does not raise the status
  EXPECT_EQ(count_code(row(t, g)->warnings, WC::kServerDegraded), 1);
  EXPECT_TRUE(row(t, g)->degraded);
  EXPECT_EQ(row(t, g)->last_heard_ms, 600);
  EXPECT_EQ(row(t, g)->rtt_ms, 0.4);
  EXPECT_EQ(row(t, View::id(1))->last_heard_ms, 0);  // self
  EXPECT_TRUE(row(t, View::id(1))->warnings.empty());
  EXPECT_EQ(t.server_count, 5u);
  EXPECT_EQ(t.servers_alive, 3u);  // alive + suspect
  EXPECT_EQ(t.status, Health::error);
  EXPECT_FALSE(row(t, s)->degraded);  // a first suspicion: only the suspect warning
  // Suspected again while it has recent suspicions (a lossy server): it stays degraded, so its row
  // does not flicker between "degraded" and "suspect".
  v.member(g)->state = MemberState::suspect;
  auto tg = v.table(1000);
  EXPECT_TRUE(row(tg, g)->degraded);
  EXPECT_EQ(count_code(row(tg, g)->warnings, WC::kServerDegraded), 1);
  EXPECT_EQ(count_code(row(tg, g)->warnings, WC::kServerSuspect), 1);
  v.member(g)->state = MemberState::alive;
  // Recovery clears both.
  v.member(s)->state = MemberState::alive;
  v.member(g)->recent_suspicions = 0;
  auto t2 = v.table(1000);
  EXPECT_EQ(count_code(t2, WC::kServerSuspect), 0);
  EXPECT_EQ(count_code(t2, WC::kServerDegraded), 0);
  EXPECT_FALSE(row(t2, g)->degraded);
}

TEST(TableStatus, ServersSortedByNameThenId) {
  View v;
  v.healthy(3);
  v.healthy(1);
  v.healthy(2);
  const auto x = View::id(9), y = View::id(8);
  v.add_member(x, "aaa");
  v.add_member(y, "aaa");
  v.member(x)->state = MemberState::dead;  // no name conflict: only one live
  auto t = v.table(0);
  ASSERT_EQ(t.servers.size(), 5u);
  EXPECT_EQ(t.servers[0].id, y);  // id 8 < id 9
  EXPECT_EQ(t.servers[1].id, x);
  EXPECT_EQ(t.servers[2].name, "node-1");
  EXPECT_EQ(t.servers[3].name, "node-2");
  EXPECT_EQ(t.servers[4].name, "node-3");
  EXPECT_FALSE(t.servers[0].has_info);
}

TEST(TableStatus, ServerStatusIsTheWorstOfItsComponents) {
  View v;
  const auto a = v.healthy(1);
  v.healthy(2);
  v.healthy(3);
  v.component(a, "web", "2024.2");  // version out of sync: warning
  auto t = v.table(0);
  EXPECT_EQ(comp(*row(t, a), "web")->status, ComponentRow::Status::warning);
  EXPECT_EQ(row(t, a)->status, Health::warning);
  v.put(a, StateKeys::verify("web"), Verification{Verification::Result::failed, "HTTP 500", 0});
  auto t2 = v.table(0);
  EXPECT_EQ(row(t2, a)->status, Health::error);
  EXPECT_EQ(t2.status, Health::error);
  EXPECT_EQ(row(t2, View::id(2))->status, Health::ok);
}

}  // namespace table_status_test
}  // namespace rollcall::membership
