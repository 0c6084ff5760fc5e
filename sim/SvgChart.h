// A small, dependency-free SVG line chart (axes with round ticks, legend, step or straight lines)
// for the self-contained HTML report. Deterministic text output. Used by HtmlReport.
#pragma once

#include <string>
#include <vector>

namespace rollcall::sim {

class SvgChart {
 public:
  SvgChart(std::string title, std::string x_label, std::string y_label);

  // Adds a series; `step` draws a staircase (for cumulative fractions). Long series are thinned
  // to at most ~1500 points.
  void line(std::string name, const std::vector<double>& xs, const std::vector<double>& ys, bool step = false);
  // Fixes the y axis (else from 0 to the largest value).
  void y_range(double lo, double hi);

  std::string svg(int width = 760, int height = 300) const;

  static std::string escape(const std::string& s);

 private:
  struct Series {
    std::string name;
    std::vector<double> xs, ys;
    bool step = false;
  };
  std::string title_, x_label_, y_label_;
  std::vector<Series> series_;
  bool fixed_y_ = false;
  double y_lo_ = 0, y_hi_ = 1;
};

}  // namespace rollcall::sim
