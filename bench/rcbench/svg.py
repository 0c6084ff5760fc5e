"""A minimal SVG line/point chart for docs/PERFORMANCE.md (inline SVG, Python stdlib only).
Called by bench/report.py: Chart(...).line(...)/.points(...)/.vline(...), then render() -> str.
Linear or log10 x axis, linear y axis, whiskers for min/max, a legend."""
import math
from xml.sax.saxutils import escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b"]


def _nice_step(span, target=6):
    if span <= 0:
        return 1.0
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _fmt(v):
    if v == 0:
        return "0"
    if abs(v) >= 10000:
        return "%.0fk" % (v / 1000) if v % 1000 == 0 else "%.1fk" % (v / 1000)
    if abs(v) >= 100 or float(v).is_integer():
        return "%.0f" % v
    return ("%.2f" % v).rstrip("0").rstrip(".")


class Chart:
    def __init__(self, title, xlabel, ylabel, width=640, height=340, xlog=False, ymin=None, ymax=None,
                 xmin=None, xmax=None):
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.w, self.h, self.xlog = width, height, xlog
        self.fixed = {"xmin": xmin, "xmax": xmax, "ymin": ymin, "ymax": ymax}
        self.series = []   # (kind, points, label, color, extra)
        self.vlines = []   # (x, label, color)
        self.hlines = []   # (y, label, color)

    def _color(self, color):
        return color or PALETTE[len(self.series) % len(PALETTE)]

    def line(self, points, label, color=None, dash=False, marker=True, step=False):
        self.series.append(("line", sorted(points), label, self._color(color), {"dash": dash, "marker": marker,
                                                                                 "step": step}))
        return self

    def points(self, points, label, color=None, whiskers=None):
        """points: [(x, y)]; whiskers: [(x, lo, hi)] drawn as vertical bars."""
        self.series.append(("points", list(points), label, self._color(color), {"whiskers": whiskers or []}))
        return self

    def vline(self, x, label, color="#888"):
        self.vlines.append((x, label, color))
        return self

    def hline(self, y, label, color="#888"):
        self.hlines.append((y, label, color))
        return self

    def _bounds(self):
        xs, ys = [], []
        for kind, pts, _, _, extra in self.series:
            xs += [p[0] for p in pts]
            ys += [p[1] for p in pts]
            for x, lo, hi in extra.get("whiskers", []):
                ys += [lo, hi]
        xs += [v[0] for v in self.vlines]
        ys += [h[0] for h in self.hlines]
        if self.xlog:
            xs = [x for x in xs if x > 0]
        xmin = self.fixed["xmin"] if self.fixed["xmin"] is not None else (min(xs) if xs else 0)
        xmax = self.fixed["xmax"] if self.fixed["xmax"] is not None else (max(xs) if xs else 1)
        ymin = self.fixed["ymin"] if self.fixed["ymin"] is not None else min(0, min(ys) if ys else 0)
        ymax = self.fixed["ymax"] if self.fixed["ymax"] is not None else (max(ys) * 1.08 if ys else 1)
        if xmax <= xmin:
            xmax = xmin + 1
        if ymax <= ymin:
            ymax = ymin + 1
        return xmin, xmax, ymin, ymax

    def render(self):
        ml, mr, mt, mb = 64, 16, 30, 44
        legend_rows = len(self.series) + len([v for v in self.vlines if v[1]]) + len([h for h in self.hlines if h[1]])
        lh = 16 * legend_rows + 6
        W, H = self.w, self.h + lh
        pw, ph = W - ml - mr, self.h - mt - mb
        xmin, xmax, ymin, ymax = self._bounds()
        if self.xlog:
            lx0, lx1 = math.log10(xmin), math.log10(xmax)
            if lx1 - lx0 < 1e-9:
                lx0, lx1 = lx0 - 0.5, lx1 + 0.5
            pad = (lx1 - lx0) * 0.05
            lx0, lx1 = lx0 - pad, lx1 + pad
            X = lambda x: ml + (math.log10(max(x, 1e-12)) - lx0) / (lx1 - lx0) * pw  # noqa: E731
        else:
            X = lambda x: ml + (x - xmin) / (xmax - xmin) * pw  # noqa: E731
        Y = lambda y: mt + ph - (y - ymin) / (ymax - ymin) * ph  # noqa: E731
        o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
             'font-family="sans-serif" font-size="11">' % (W, H, W, H),
             '<rect width="%d" height="%d" fill="white"/>' % (W, H),
             '<text x="%d" y="18" font-size="13" font-weight="bold">%s</text>' % (ml, escape(self.title))]
        # grid and ticks
        ystep = _nice_step(ymax - ymin)
        y = math.ceil(ymin / ystep) * ystep
        while y <= ymax + 1e-9:
            o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#e5e5e5"/>' % (ml, Y(y), ml + pw, Y(y)))
            o.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>' % (ml - 5, Y(y) + 4, _fmt(y)))
            y += ystep
        if self.xlog:
            d = math.floor(lx0)
            while d <= lx1:
                for m in (1, 2, 5):
                    v = m * 10 ** d
                    if lx0 <= math.log10(v) <= lx1:
                        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e5e5"/>' % (X(v), mt, X(v), mt + ph))
                        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (X(v), mt + ph + 14, _fmt(v)))
                d += 1
        else:
            xstep = _nice_step(xmax - xmin, 8)
            x = math.ceil(xmin / xstep) * xstep
            while x <= xmax + 1e-9:
                o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e5e5"/>' % (X(x), mt, X(x), mt + ph))
                o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (X(x), mt + ph + 14, _fmt(x)))
                x += xstep
        o.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>' % (ml, mt, pw, ph))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (ml + pw / 2, mt + ph + 32, escape(self.xlabel)))
        o.append('<text transform="translate(14 %.1f) rotate(-90)" text-anchor="middle">%s</text>'
                 % (mt + ph / 2, escape(self.ylabel)))
        legend = []
        for x, label, color in self.vlines:
            if xmin <= x <= xmax or self.xlog:
                o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="%s" stroke-dasharray="4 3"/>'
                         % (X(x), mt, X(x), mt + ph, color))
            if label:
                legend.append(("vline", label, color))
        for y, label, color in self.hlines:
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" stroke-dasharray="4 3"/>'
                     % (ml, Y(y), ml + pw, Y(y), color))
            if label:
                legend.append(("vline", label, color))
        for kind, pts, label, color, extra in self.series:
            if kind == "line" and pts:
                coords = []
                for i, (x, y) in enumerate(pts):
                    if extra["step"] and i > 0:
                        coords.append("%.1f,%.1f" % (X(x), Y(pts[i - 1][1])))
                    coords.append("%.1f,%.1f" % (X(x), Y(y)))
                o.append('<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>'
                         % (color, ' stroke-dasharray="6 4"' if extra["dash"] else "", " ".join(coords)))
                if extra["marker"]:
                    for x, y in pts:
                        o.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (X(x), Y(y), color))
            elif kind == "points":
                for x, lo, hi in extra["whiskers"]:
                    o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1.5"/>'
                             % (X(x), Y(lo), X(x), Y(hi), color))
                    for v in (lo, hi):
                        o.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s"/>'
                                 % (X(x) - 4, Y(v), X(x) + 4, Y(v), color))
                for x, y in pts:
                    o.append('<circle cx="%.1f" cy="%.1f" r="4" fill="%s"/>' % (X(x), Y(y), color))
            legend.append(("dash" if extra.get("dash") else kind, label, color))
        ly = self.h + 4
        for i, (kind, label, color) in enumerate(legend):
            lx = ml
            yy = ly + 16 * i
            if kind in ("vline", "dash"):
                o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="%d" stroke-dasharray="4 3"/>'
                         % (lx, yy, lx + 18, yy, color, 1 if kind == "vline" else 2))
            else:
                o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"/>' % (lx, yy, lx + 18, yy, color))
            o.append('<text x="%d" y="%d">%s</text>' % (lx + 24, yy + 4, escape(label)))
        o.append("</svg>")
        return "\n".join(o)
