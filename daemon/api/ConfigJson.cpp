#include "daemon/api/ConfigJson.h"

#include <nlohmann/json.hpp>

#include "daemon/persist/ModelJson.h"

namespace rollcall::daemon::api {

persist::Result<membership::ClusterConfig> config_from_json(const nlohmann::json& body,
                                                            const membership::ClusterConfig& current) {
  auto c = persist::ModelJson::config(body, current, "", {"lamport", "writer"});
  if (!c) return c;
  if (auto problem = c->validate()) return persist::Result<membership::ClusterConfig>::failure(*problem);
  return c;
}

}  // namespace rollcall::daemon::api
