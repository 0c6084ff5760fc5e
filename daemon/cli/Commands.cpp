// The client subcommands (Commands.h): one request each through ApiClient, then human output via
// Format.h or the agent's JSON as is (--json). demo() lives in Demo.cpp.
#include "daemon/cli/Commands.h"

#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>

#include "daemon/cli/ApiClient.h"
#include "daemon/cli/ConfigSetting.h"
#include "daemon/cli/Format.h"
#include "daemon/cli/JsonGet.h"
#include "daemon/cli/TargetSetup.h"
#include "gossip/crypto/Keyring.h"

#ifndef ROLLCALL_VERSION
#define ROLLCALL_VERSION "0.1.0"
#endif

namespace rollcall::daemon::cli {
namespace {

using nlohmann::json;
using Auth = ApiClient::Auth;

void print_json(std::ostream& out, const json& j) {
  out << j.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
}

// Runs a command body; an unexpected exception becomes exit code 1 with a message, never a crash.
template <class F>
int guarded(const Target& target, F&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    (target.err ? *target.err : std::cerr) << "rollcall: internal error: " << e.what() << '\n';
  } catch (...) {
    (target.err ? *target.err : std::cerr) << "rollcall: internal error\n";
  }
  return ExitCode::failed;
}

int usage_error(const ApiClient& api, const std::string& message) {
  api.err() << "rollcall: " << message << '\n';
  return ExitCode::usage;
}

// GET `path` and print it with `human` unless --json.
template <class Human>
int show(const Target& target, const char* path, Human human) {
  return guarded(target, [&] {
    ApiClient api(target);
    ApiReply r = api.call("GET", path);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body);
    else api.out() << human(r.body);
    return ExitCode::ok;
  });
}

}  // namespace

int members(const Target& target) {
  Style style{use_color(target)};
  return show(target, "/v1/members", [&](const json& j) { return format_members(j, style); });
}

int cluster(const Target& target) {
  Style style{use_color(target)};
  return show(target, "/v1/cluster", [&](const json& j) { return format_cluster(j, style); });
}

int config_get(const Target& target, const std::string& key) {
  return guarded(target, [&] {
    ApiClient api(target);
    std::string name;
    if (!key.empty()) {
      auto canonical = ConfigSetting::canonical_key(key, false);
      if (!canonical)
        return usage_error(api, "unknown config key \"" + key +
                                    "\" (one of: load_balancing, automatic_failover, heartbeat_interval_ms, "
                                    "stale_timeout_ms, web_stale_window_ms, lamport, writer)");
      name = *canonical;
    }
    ApiReply r = api.call("GET", "/v1/config");
    if (!r.ok()) return r.exit_code;
    if (name.empty()) {
      if (target.json) print_json(api.out(), r.body);
      else api.out() << format_config(r.body);
      return ExitCode::ok;
    }
    if (!r.body.is_object() || !r.body.contains(name)) {
      api.err() << "rollcall: the agent's config has no field " << name << '\n';
      return ExitCode::failed;
    }
    if (target.json) print_json(api.out(), r.body[name]);
    else api.out() << format_config_value(r.body, name) << '\n';
    return ExitCode::ok;
  });
}

int config_set(const Target& target, const std::string& key, const std::string& value) {
  return guarded(target, [&] {
    ApiClient api(target);
    auto setting = ConfigSetting::parse(key, value);
    if (!setting) return usage_error(api, setting.error());
    json body = json::object();
    std::visit([&](auto v) { body[setting->field] = v; }, setting->value);
    ApiReply r = api.call("PUT", "/v1/config", body.dump(), Auth::bearer);
    if (!r.ok()) return r.exit_code;
    if (target.json) {
      print_json(api.out(), r.body);
    } else {
      api.out() << setting->field << " set to " << setting->describe();
      if (auto lamport = get_int(r.body, "lamport")) api.out() << " (config version " << *lamport << ")";
      api.out() << '\n';
    }
    return ExitCode::ok;
  });
}

int remove(const Target& target, const std::string& server, const std::string& component) {
  return guarded(target, [&] {
    ApiClient api(target);
    if (server.empty()) return usage_error(api, "remove: a server name is required");
    std::string path = "/v1/servers/" + ApiClient::encode_segment(server);
    if (!component.empty()) path += "/components/" + ApiClient::encode_segment(component);
    ApiReply r = api.call("DELETE", path, {}, Auth::bearer);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body);
    else if (component.empty()) api.out() << "removed server " << server << '\n';
    else api.out() << "removed component " << component << " of server " << server << '\n';
    return ExitCode::ok;
  });
}

int keys_list(const Target& target) {
  Style style{use_color(target)};
  return show(target, "/v1/keys", [&](const json& j) { return format_keys(j, style); });
}

int keys_install(const Target& target, const std::string& key_b64) {
  return guarded(target, [&] {
    ApiClient api(target);
    std::string text = key_b64;
    if (text == "-") std::getline(std::cin, text);  // keeps the key out of the process list
    auto key = gossip::crypto::Keyring::parse_key(text);
    text.assign(text.size(), '\0');
    if (!key) return usage_error(api, "keys install: not a base64 32-byte key (make one with `rollcall keygen`)");
    std::string id = gossip::crypto::Keyring::key_id(*key);
    json body{{"key", gossip::crypto::Keyring::encode_key(*key)}};
    ApiReply r = api.call("POST", "/v1/keys/install", body.dump(), Auth::bearer);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body);
    else api.out() << "installed key " << id << '\n';
    return ExitCode::ok;
  });
}

namespace {

int key_action(const Target& target, const char* action, const std::string& id, const char* done) {
  return guarded(target, [&] {
    ApiClient api(target);
    if (id.empty()) return usage_error(api, std::string("keys ") + action + ": a key id is required");
    json body{{"id", id}};
    ApiReply r = api.call("POST", std::string("/v1/keys/") + action, body.dump(), Auth::bearer);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body);
    else api.out() << done << id << '\n';
    return ExitCode::ok;
  });
}

}  // namespace

int keys_use(const Target& target, const std::string& id) {
  return key_action(target, "use", id, "primary key is now ");
}

int keys_remove(const Target& target, const std::string& id) {
  return key_action(target, "remove", id, "removed key ");
}

int leave(const Target& target) {
  return guarded(target, [&] {
    ApiClient api(target);
    ApiReply r = api.call("POST", "/v1/leave", {}, Auth::none, false);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body.is_null() ? json{{"leaving", true}} : r.body);
    else api.out() << "the agent at " << api.base_url() << " is leaving the cluster\n";
    return ExitCode::ok;
  });
}

int heartbeat(const Target& target, const std::string& kind) {
  return guarded(target, [&] {
    ApiClient api(target);
    if (kind.empty()) return usage_error(api, "heartbeat: a component kind is required (e.g. web, service)");
    ApiReply r = api.call("POST", "/v1/local/heartbeat/" + ApiClient::encode_segment(kind), {}, Auth::none);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body);
    else api.out() << kind << " heartbeat " << get_text(r.body, "counter", "sent") << '\n';
    return ExitCode::ok;
  });
}

int health(const Target& target) {
  return guarded(target, [&] {
    ApiClient api(target);
    ApiReply r = api.call("GET", "/health", {}, Auth::none, false);
    if (!r.ok()) return r.exit_code;
    if (target.json) print_json(api.out(), r.body.is_null() ? json{{"status", "ok"}} : r.body);
    else api.out() << get_str(r.body, "status", "ok") << '\n';
    return ExitCode::ok;
  });
}

int keygen() {
  try {
    auto key = gossip::crypto::Keyring::generate();
    std::cout << gossip::crypto::Keyring::encode_key(key) << '\n';
    key.fill(0);
    return ExitCode::ok;
  } catch (const std::exception& e) {
    std::cerr << "rollcall: keygen: " << e.what() << '\n';
    return ExitCode::failed;
  }
}

int version() {
  std::cout << "rollcall " << ROLLCALL_VERSION << '\n';
  return ExitCode::ok;
}

}  // namespace rollcall::daemon::cli
