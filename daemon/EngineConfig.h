// Maps the [gossip] section of the agent configuration onto the engine's Config: the profile's
// preset (lan, local, wan) with every override the file, environment or flags set.
#pragma once

#include "daemon/config/GossipSettings.h"
#include "gossip/Config.h"

namespace rollcall::daemon {

gossip::Config engine_config(const config::GossipSettings& g);

}  // namespace rollcall::daemon
