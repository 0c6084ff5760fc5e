// Which agent a command-line client call talks to and how it prints: the HTTP endpoint, the admin
// token (from --token-file or env ROLLCALL_ADMIN_TOKEN; never printed), JSON or human output.
// Built by daemon/main.cpp from flags (see TargetSetup.h), passed to every function in Commands.h.
// `out`/`err` default to stdout/stderr; tests point them at string streams.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace rollcall::daemon::cli {

struct Target {
  std::string host = "127.0.0.1";  // agent HTTP endpoint host (name, IPv4 or IPv6 literal)
  std::uint16_t port = 7951;       // agent HTTP endpoint port; default 7951, range 1..65535
  bool json = false;               // --json: print the agent's JSON as is (scripts)
  std::string token;               // admin token for writes; empty = send none (the agent answers 401)
  bool color_auto = true;          // colour only when `out` is a terminal and NO_COLOR is unset
  bool tls = false;                // https:// endpoint
  bool tls_verify = true;          // verify the agent's certificate (--tls-skip-verify turns off)
  std::string tls_ca_file;         // PEM bundle for the agent's certificate; "" = system CAs
  std::chrono::milliseconds timeout{5000};  // whole HTTP call; default 5 s, range 100 ms .. 10 min
  std::ostream* out = nullptr;     // nullptr = std::cout
  std::ostream* err = nullptr;     // nullptr = std::cerr
};

}  // namespace rollcall::daemon::cli
