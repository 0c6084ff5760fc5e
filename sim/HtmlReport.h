// Renders Results as report.html: one self-contained page (inline CSS and SVG, no scripts, no
// network) with the headline numbers, the scenario checks and the plots (awareness over time,
// alive/suspect/dead over time, per-node load). Called by rollcall-sim.
#pragma once

#include <string>

#include "sim/Results.h"

namespace rollcall::sim {

class HtmlReport {
 public:
  static std::string render(const Results& r);
};

}  // namespace rollcall::sim
