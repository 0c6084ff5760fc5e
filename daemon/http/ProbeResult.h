// Outcome of one verification probe of a local component (Probe.h): ok, a one-line detail a person
// reads in the cluster table ("HTTP 200 in 3 ms", "connect 127.0.0.1:8624: connection refused"),
// and how long it took.
#pragma once

#include <chrono>
#include <string>

namespace rollcall::daemon::http {

struct ProbeResult {
  bool ok = false;
  std::string detail;
  std::chrono::microseconds elapsed{0};
};

}  // namespace rollcall::daemon::http
