// ScenarioLoader: every shipped scenario parses; malformed files give an error value naming the
// key, never an exception; durations parse by table.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "sim/ScenarioLoader.h"

namespace rollcall::sim {
namespace scenario_loader_test {

using namespace std::chrono_literals;

std::string error_of(std::string_view text) {
  auto r = ScenarioLoader::parse(text, "t.toml");
  if (auto* e = std::get_if<std::string>(&r)) return *e;
  return {};
}

TEST(ScenarioLoader, DurationsParse) {
  struct Case {
    const char* text;
    std::optional<Duration> want;
  } cases[] = {
      {"250ms", 250ms}, {"1.5s", 1500ms}, {"300us", Duration{300}}, {"2m", 120s}, {"1h", 3600s},
      {"0", Duration{0}}, {"90", 90s}, {" 3s ", 3s}, {"", std::nullopt}, {"s", std::nullopt},
      {"5 parsecs", std::nullopt}, {"-1s", std::nullopt}, {"1.2.3s", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ScenarioLoader::parse_duration(c.text), c.want) << c.text;
}

TEST(ScenarioLoader, EveryShippedScenarioLoads) {
  std::size_t count = 0;
  for (const auto& f : std::filesystem::directory_iterator(ROLLCALL_SOURCE_DIR "/configs/sim")) {
    if (f.path().extension() != ".toml") continue;
    ++count;
    auto r = ScenarioLoader::load_file(f.path().string());
    ASSERT_TRUE(std::holds_alternative<Scenario>(r)) << std::get<std::string>(r);
    const auto& s = std::get<Scenario>(r);
    EXPECT_EQ(s.name + ".toml", f.path().filename().string()) << "name and file name differ";
    EXPECT_FALSE(s.description.empty()) << s.name;
    EXPECT_FALSE(s.engine.validate().has_value()) << s.name;
  }
  EXPECT_GE(count, 15u);
}

TEST(ScenarioLoader, ReadsEventsAndSortsThemByTime) {
  auto r = ScenarioLoader::parse(R"(
name = "x"
nodes = 12
duration = "2m"
[engine]
preset = "local"
probe_interval = "700ms"
[network]
latency = { shape = "normal", min = "1ms", max = "9ms", mean = "4ms", stddev = "1ms" }
loss = 0.05
[[event]]
kind = "heal"
at = "90s"
[[event]]
kind = "partition"
at = "30s"
fraction = 0.25
group = 2
[[event]]
kind = "config_change"
at = "40s"
in_group = 2
config = { heartbeat_interval_ms = 5000 }
[expect]
converge_within = "45s"
)");
  ASSERT_TRUE(std::holds_alternative<Scenario>(r)) << std::get<std::string>(r);
  const auto& s = std::get<Scenario>(r);
  EXPECT_EQ(s.nodes, 12u);
  EXPECT_EQ(s.duration, 120s);
  EXPECT_EQ(s.engine.probe_interval, 700ms);
  EXPECT_EQ(s.engine.gossip_interval, gossip::Config::local().gossip_interval);
  EXPECT_EQ(s.network.latency.shape, LatencyModel::Shape::normal);
  EXPECT_EQ(s.network.latency.mean, 4ms);
  EXPECT_DOUBLE_EQ(s.network.loss, 0.05);
  ASSERT_EQ(s.events.size(), 3u);
  EXPECT_EQ(s.events[0].kind, ScenarioEvent::Kind::partition);
  EXPECT_EQ(s.events[0].group, 2);
  EXPECT_DOUBLE_EQ(s.events[0].select.fraction, 0.25);
  EXPECT_EQ(s.events[1].kind, ScenarioEvent::Kind::config_change);
  EXPECT_EQ(s.events[1].select.group, 2);
  EXPECT_EQ(s.events[1].config.heartbeat_interval_ms, 5000);
  EXPECT_EQ(s.events[2].kind, ScenarioEvent::Kind::heal);
  EXPECT_EQ(s.expect.converge_within, 45s);
}

TEST(ScenarioLoader, MistakesAreErrorsNamingTheKey) {
  EXPECT_NE(error_of("nodez = 3").find("nodez: unknown key"), std::string::npos);
  EXPECT_NE(error_of("duration = \"soon\"").find("duration: expected a duration"), std::string::npos);
  EXPECT_NE(error_of("[engine]\npreset = \"moon\"").find("engine.preset"), std::string::npos);
  EXPECT_NE(error_of("[engine]\nprobe_timeout = \"5s\"").find("probe_timeout"), std::string::npos);
  EXPECT_NE(error_of("[[event]]\nkind = \"explode\"\nat = 1").find("unknown event kind"), std::string::npos);
  EXPECT_NE(error_of("[[event]]\nkind = \"crash\"").find("event[0].at: missing"), std::string::npos);
  EXPECT_NE(error_of("[[event]]\nkind = \"loss\"\nat = 1\nvalue = 1.5").find("event[0].value"), std::string::npos);
  EXPECT_NE(error_of("[network]\nlatency = { shape = \"normal\", min = \"5ms\", max = \"1ms\" }").find("latency"),
            std::string::npos);
  EXPECT_NE(error_of("this is [not toml").find("t.toml:1"), std::string::npos);
  EXPECT_EQ(error_of("name = \"ok\""), "");
}

}  // namespace scenario_loader_test
}  // namespace rollcall::sim
