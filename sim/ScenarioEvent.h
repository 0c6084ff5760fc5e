// One timed step of a scenario: a fault (crash, pause, partition, loss, ...), its end, or a state
// change whose dissemination is measured (version bump, config change, removal). Parsed from a
// [[event]] table by ScenarioLoader; executed by Runner at `at` (virtual time since start).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "membership/Time.h"
#include "sim/ConfigPatch.h"
#include "sim/NodeSelection.h"

namespace rollcall::sim {

struct ScenarioEvent {
  enum class Kind : std::uint8_t {
    crash,          // select: nodes crash (state kept for a later restart)
    restart,        // select (down nodes first): (crash and) start again now, new generation
    restart_wave,   // select (default all): node k restarts at at + k x interval, down for `downtime`
    leave,          // select: graceful leave
    pause,          // select: process nothing for `duration`
    slow,           // select: every input handled `delay` late, for `duration` (0: to the end)
    flip_flop,      // select: ingress dropped/restored every `period`, for `duration`
    churn,          // `rate` departures/s for `duration`, each back after `downtime`
    partition,      // select: nodes move to partition `group` (cut both ways from the others)
    one_way,        // select: nodes move to `group`; only the direction `direction` is cut
    heal,           // everyone back together
    loss,           // network-wide uniform loss `value` for `duration` (0: to the end)
    ingress_loss,   // select: extra ingress loss `value` for `duration`
    egress_loss,    // select: extra egress loss `value` for `duration`
    version_bump,   // select (one node): publishes component `component` with version `version`
    config_change,  // select (one node): writes the cluster config patched with `config`
    removal,        // select (writer) removes component `component` of `target` (empty: server)
  };

  Kind kind = Kind::crash;
  membership::Duration at{};
  NodeSelection select;
  membership::Duration duration{};   // pause, slow, flip_flop, churn, loss, partition (0: until heal)
  membership::Duration period{};     // flip_flop half period
  membership::Duration delay{};      // slow
  membership::Duration interval{};   // restart_wave spacing
  membership::Duration downtime{};   // restart_wave, churn
  double value = 0.0;                // loss probability
  double rate = 0.0;                 // churn departures per second
  bool graceful = true;              // churn: leave (else crash)
  int group = 1;                     // partition / one_way group
  std::string direction = "in";      // one_way: "in" (group receives nothing) or "out" (sends nothing)
  std::string component = "web";     // version_bump, removal
  std::string version = "2.0.0";     // version_bump
  ConfigPatch config;                // config_change
  NodeSelection target;              // removal: whose component

  static std::optional<Kind> parse_kind(std::string_view s);
  static std::string_view name(Kind k);
};

}  // namespace rollcall::sim
