// The catalogue of table warnings: each stable code with its severity, and the message and remedy
// a person needs, written from the product page's troubleshooting section. Called by derive_table
// (and by tests that check the codes). Pure. Codes are part of the API: never rename one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "membership/NodeId.h"
#include "membership/TableWarning.h"
#include "membership/Time.h"

namespace rollcall::membership {

class WarningCatalog {
 public:
  static constexpr std::string_view kStaleWebComponent = "STALE_WEB_COMPONENT";
  static constexpr std::string_view kStaleServiceComponent = "STALE_SERVICE_COMPONENT";
  static constexpr std::string_view kVerificationFailed = "VERIFICATION_FAILED";
  static constexpr std::string_view kVersionOutOfSync = "VERSION_OUT_OF_SYNC";
  static constexpr std::string_view kKeyNotSet = "KEY_NOT_SET";
  static constexpr std::string_view kKeyNotSynchronized = "KEY_NOT_SYNCHRONIZED";
  static constexpr std::string_view kServerSuspect = "SERVER_SUSPECT";
  static constexpr std::string_view kServerUnreachable = "SERVER_UNREACHABLE";
  static constexpr std::string_view kServerDegraded = "SERVER_DEGRADED";
  static constexpr std::string_view kServerLeft = "SERVER_LEFT";
  static constexpr std::string_view kNameConflict = "NAME_CONFLICT";
  static constexpr std::string_view kSharedHost = "SHARED_HOST";

  struct Named {  // a server as named in a message
    NodeId id;
    std::string name;
  };

  static TableWarning stale_web(const Named& server, std::string_view kind, std::int64_t age_ms,
                                std::int64_t window_ms);
  static TableWarning stale_service(const Named& server, std::string_view kind, std::int64_t age_ms,
                                    std::int64_t timeout_ms);
  static TableWarning verification_failed(const Named& server, std::string_view kind, std::string_view detail);
  static TableWarning version_out_of_sync(const Named& server, std::string_view kind, std::string_view version,
                                          std::string_view prevailing);
  static TableWarning key_not_set(const Named& server, std::string_view key_name);
  static TableWarning key_not_synchronized(const Named& server, std::string_view key_name,
                                           std::string_view fingerprint, std::string_view prevailing);
  static TableWarning server_suspect(const Named& server, std::string_view gossip_address);
  static TableWarning server_unreachable(const Named& server, std::string_view gossip_address);
  static TableWarning server_degraded(const Named& server, std::uint32_t recent_suspicions);
  static TableWarning server_left(const Named& server);
  // `servers`: all live servers sharing the name; `about` set = the copy shown on that server's row.
  static TableWarning name_conflict(std::string_view name, const std::vector<Named>& servers, const NodeId* about);
  static TableWarning shared_host(std::string_view host_id, const std::vector<Named>& servers, const NodeId* about);

  // "45 s", "12 min", "26 h", "3 d" (rounded down), for messages.
  static std::string human_duration(std::int64_t ms);
};

}  // namespace rollcall::membership
