#include "sim/SvgChart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace rollcall::sim {

namespace {
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                               "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}
std::string label(double v) {
  char buf[32];
  if (v != 0 && (std::fabs(v) >= 1e5 || std::fabs(v) < 1e-2)) {
    std::snprintf(buf, sizeof buf, "%.2g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  }
  return buf;
}
// A round tick step giving about `n` ticks over `span`.
double tick_step(double span, int n) {
  if (!(span > 0)) return 1;
  const double raw = span / n;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}
}  // namespace

SvgChart::SvgChart(std::string title, std::string x_label, std::string y_label)
    : title_(std::move(title)), x_label_(std::move(x_label)), y_label_(std::move(y_label)) {}

void SvgChart::line(std::string name, const std::vector<double>& xs, const std::vector<double>& ys, bool step) {
  Series s;
  s.name = std::move(name);
  s.step = step;
  const std::size_t n = std::min(xs.size(), ys.size());
  const std::size_t stride = n > 1500 ? (n + 1499) / 1500 : 1;
  for (std::size_t i = 0; i < n; i += stride) {
    s.xs.push_back(xs[i]);
    s.ys.push_back(ys[i]);
  }
  if (n > 0 && (n - 1) % stride != 0) {
    s.xs.push_back(xs[n - 1]);
    s.ys.push_back(ys[n - 1]);
  }
  series_.push_back(std::move(s));
}

void SvgChart::y_range(double lo, double hi) {
  fixed_y_ = true;
  y_lo_ = lo;
  y_hi_ = hi;
}

std::string SvgChart::escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string SvgChart::svg(int width, int height) const {
  const double left = 64, right = 16, top = 34, bottom = 44;
  const double pw = width - left - right, ph = height - top - bottom;
  double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
  bool any = false;
  for (const auto& s : series_) {
    for (std::size_t i = 0; i < s.xs.size(); ++i) {
      if (!any) {
        x_lo = x_hi = s.xs[i];
        y_hi = s.ys[i];
        any = true;
      }
      x_lo = std::min(x_lo, s.xs[i]);
      x_hi = std::max(x_hi, s.xs[i]);
      y_hi = std::max(y_hi, s.ys[i]);
      y_lo = std::min(y_lo, s.ys[i]);
    }
  }
  if (fixed_y_) {
    y_lo = y_lo_;
    y_hi = y_hi_;
  }
  if (x_hi <= x_lo) x_hi = x_lo + 1;
  if (y_hi <= y_lo) y_hi = y_lo + 1;
  const double ys = tick_step(y_hi - y_lo, 5), xs = tick_step(x_hi - x_lo, 8);
  if (!fixed_y_) y_hi = std::ceil(y_hi / ys) * ys;
  auto X = [&](double x) { return left + (x - x_lo) / (x_hi - x_lo) * pw; };
  auto Y = [&](double y) { return top + ph - (y - y_lo) / (y_hi - y_lo) * ph; };

  std::string o;
  o += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) + "\" height=\"" +
       std::to_string(height) + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
       "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  o += "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n";
  o += "<text x=\"" + num(left) + "\" y=\"18\" font-size=\"13\" font-weight=\"bold\">" + escape(title_) + "</text>\n";
  for (double y = y_lo; y <= y_hi + ys / 2; y += ys) {
    o += "<line x1=\"" + num(left) + "\" x2=\"" + num(left + pw) + "\" y1=\"" + num(Y(y)) + "\" y2=\"" + num(Y(y)) +
         "\" stroke=\"#e5e5e5\"/>";
    o += "<text x=\"" + num(left - 6) + "\" y=\"" + num(Y(y) + 4) + "\" text-anchor=\"end\">" + label(y) + "</text>\n";
  }
  for (double x = std::ceil(x_lo / xs) * xs; x <= x_hi + xs / 1000; x += xs) {
    o += "<line x1=\"" + num(X(x)) + "\" x2=\"" + num(X(x)) + "\" y1=\"" + num(top + ph) + "\" y2=\"" +
         num(top + ph + 4) + "\" stroke=\"#333\"/>";
    o += "<text x=\"" + num(X(x)) + "\" y=\"" + num(top + ph + 16) + "\" text-anchor=\"middle\">" + label(x) +
         "</text>\n";
  }
  o += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(pw) + "\" height=\"" + num(ph) +
       "\" fill=\"none\" stroke=\"#333\"/>\n";
  o += "<text x=\"" + num(left + pw / 2) + "\" y=\"" + num(height - 6.0) + "\" text-anchor=\"middle\">" +
       escape(x_label_) + "</text>\n";
  o += "<text transform=\"translate(14 " + num(top + ph / 2) + ") rotate(-90)\" text-anchor=\"middle\">" +
       escape(y_label_) + "</text>\n";
  for (std::size_t k = 0; k < series_.size(); ++k) {
    const auto& s = series_[k];
    const char* color = kColors[k % (sizeof kColors / sizeof kColors[0])];
    std::string pts;
    for (std::size_t i = 0; i < s.xs.size(); ++i) {
      if (s.step && i > 0) pts += num(X(s.xs[i])) + "," + num(Y(s.ys[i - 1])) + " ";
      pts += num(X(s.xs[i])) + "," + num(Y(s.ys[i])) + " ";
    }
    o += "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"1.5\" points=\"" + pts +
         "\"/>\n";
    const double ly = top + 12 + 14 * static_cast<double>(k);
    o += "<rect x=\"" + num(left + pw - 174) + "\" y=\"" + num(ly - 11) + "\" width=\"168\" height=\"14\" fill=\"#fff\" "
         "fill-opacity=\"0.85\"/>";
    o += "<rect x=\"" + num(left + pw - 170) + "\" y=\"" + num(ly - 8) + "\" width=\"10\" height=\"10\" fill=\"" +
         color + "\"/><text x=\"" + num(left + pw - 155) + "\" y=\"" + num(ly + 1) + "\">" + escape(s.name) +
         "</text>\n";
  }
  o += "</svg>\n";
  return o;
}

}  // namespace rollcall::sim
