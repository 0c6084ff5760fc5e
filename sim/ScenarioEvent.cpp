#include "sim/ScenarioEvent.h"

#include <array>
#include <utility>

namespace rollcall::sim {

namespace {
using K = ScenarioEvent::Kind;
constexpr std::array<std::pair<K, std::string_view>, 17> kNames{{
    {K::crash, "crash"},
    {K::restart, "restart"},
    {K::restart_wave, "restart_wave"},
    {K::leave, "leave"},
    {K::pause, "pause"},
    {K::slow, "slow"},
    {K::flip_flop, "flip_flop"},
    {K::churn, "churn"},
    {K::partition, "partition"},
    {K::one_way, "one_way"},
    {K::heal, "heal"},
    {K::loss, "loss"},
    {K::ingress_loss, "ingress_loss"},
    {K::egress_loss, "egress_loss"},
    {K::version_bump, "version_bump"},
    {K::config_change, "config_change"},
    {K::removal, "removal"},
}};
}  // namespace

std::optional<ScenarioEvent::Kind> ScenarioEvent::parse_kind(std::string_view s) {
  for (const auto& [k, n] : kNames)
    if (n == s) return k;
  return std::nullopt;
}

std::string_view ScenarioEvent::name(Kind k) {
  for (const auto& [kk, n] : kNames)
    if (kk == k) return n;
  return "?";
}

}  // namespace rollcall::sim
