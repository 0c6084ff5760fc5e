// Serializes Results as results.json: stable key order, times in virtual seconds rounded to the
// microsecond, so that equal runs give byte-identical files. Called by rollcall-sim and tests.
#pragma once

#include <string>

#include "sim/Results.h"

namespace rollcall::sim {

class ResultsJson {
 public:
  static std::string write(const Results& r);
};

}  // namespace rollcall::sim
