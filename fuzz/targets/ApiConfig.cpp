// Target api_config: the JSON decoders behind the write API and the data files, on any JSON the
// input parses to: api::config_from_json (PUT /v1/config), and persist::ModelJson's state entry,
// cluster item, removal and address decoders. Oracles: an accepted config validates, and its JSON
// form decodes back to itself; every accepted value encodes and decodes back to itself.
#include <nlohmann/json.hpp>

#include "daemon/api/ConfigJson.h"
#include "daemon/persist/ModelJson.h"
#include "fuzz/Targets.h"

namespace rollcall::fuzz {

namespace {

using daemon::persist::ModelJson;
constexpr std::string_view kName = "api_config";

template <class T, class Decode>
void round_trip(const T& value, Decode decode, std::string_view what) {
  auto back = decode(ModelJson::to_json(value));
  check(back.ok() && *back == value, kName, std::string(what) + " changed through to_json + decode");
}

}  // namespace

int api_config(Input in) {
  auto body = nlohmann::json::parse(in.begin(), in.end(), nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;

  const membership::ClusterConfig defaults;
  for (const auto& base : {defaults, membership::ClusterConfig{false, true, 1000, 5000, 60000}}) {
    auto cfg = daemon::api::config_from_json(body, base);
    if (!cfg) {
      check(!cfg.error().empty(), kName, "a rejected config has no message");
      continue;
    }
    check(!cfg->validate(), kName, "config_from_json accepted an invalid config");
    round_trip(*cfg, [&](const nlohmann::json& j) { return daemon::api::config_from_json(j, defaults); }, "config");
  }

  if (auto e = ModelJson::state_entry(body, "e"))
    round_trip(*e, [](const nlohmann::json& j) { return ModelJson::state_entry(j, "e"); }, "state entry");
  if (auto item = ModelJson::cluster_item(body, "i"))
    round_trip(*item, [](const nlohmann::json& j) { return ModelJson::cluster_item(j, "i"); }, "cluster item");
  if (auto r = ModelJson::removal(body, "r"))
    round_trip(*r, [](const nlohmann::json& j) { return ModelJson::removal(j, "r"); }, "removal");
  if (auto a = ModelJson::address(body, "a"))
    round_trip(*a, [](const nlohmann::json& j) { return ModelJson::address(j, "a"); }, "address");
  if (body.is_object() && body.contains("list") && body["list"].is_array()) {  // nested forms, as in the data files
    for (const auto& v : body["list"]) {
      (void)ModelJson::state_entry(v, "l");
      (void)ModelJson::cluster_item(v, "l");
    }
  }
  return 0;
}

}  // namespace rollcall::fuzz
