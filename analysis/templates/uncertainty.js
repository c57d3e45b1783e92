// The charts of the "How sure are we?" and sweep sections (analysis/report_uncertainty.cpp),
// drawn from the data block #klynge-uncertainty into the empty svg.u-chart elements the section
// holds. Runs before report.js, so an error here keeps the page from reporting itself rendered.
// Sets document.body.dataset.uncertaintyCharts to the number of charts drawn.
(function () {
  "use strict";
  var u = JSON.parse(document.getElementById("klynge-uncertainty").textContent);
  var first = document.querySelector("svg.u-chart");
  if (!first) return;
  var NS = first.namespaceURI;  // the SVG namespace, without spelling out its URI
  var W = 540, H = 300, L = 62, R = 14, T = 12, B = 44;

  function el(parent, name, attributes, text) {
    var e = document.createElementNS(NS, name);
    for (var k in attributes)
      if (attributes[k] !== null && attributes[k] !== undefined && attributes[k] !== "")
        e.setAttribute(k, attributes[k]);
    if (text !== undefined) e.textContent = text;
    parent.appendChild(e);
    return e;
  }
  function finite(list) { return list.filter(function (x) { return x !== null && isFinite(x); }); }
  function short(v) { return Number(v.toPrecision(3)).toString(); }

  // "Nice" bounds and step (1, 2, 2.5 or 5 times a power of ten): the time charts' nice_axis.
  function niceAxis(lo, hi, ticks, includeZero) {
    if (!isFinite(lo) || !isFinite(hi)) { lo = 0; hi = 1; }
    if (includeZero) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
    if (hi - lo < 1e-12) {
      var pad = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
      lo -= pad; hi += pad;
    }
    var raw = (hi - lo) / ticks, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = 10 * mag, factors = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < factors.length; ++i)
      if (raw <= factors[i] * mag * (1 + 1e-9)) { step = factors[i] * mag; break; }
    return { lo: Math.floor(lo / step + 1e-6) * step, hi: Math.ceil(hi / step - 1e-6) * step,
             step: step };
  }
  function ticksOf(a) {
    var out = [], n = Math.round((a.hi - a.lo) / a.step);
    for (var i = 0; i <= n; ++i) out.push(a.lo + i * a.step);
    return out;
  }
  // Tick labels with the step's decimals; thousands and millions as k and M.
  function ticker(a) {
    var m = Math.max(Math.abs(a.lo), Math.abs(a.hi)), div = 1, suffix = "";
    if (m >= 1e6) { div = 1e6; suffix = "M"; } else if (m >= 1e4) { div = 1e3; suffix = "k"; }
    var s = a.step / div, decimals = Math.max(0, -Math.floor(Math.log10(s) + 1e-9));
    if (Math.abs(s * Math.pow(10, decimals) - 2.5) < 1e-6) ++decimals;
    return function (v) {
      var t = (v / div).toFixed(decimals);
      if (Number(t) === 0) t = (0).toFixed(decimals);  // no "-0"
      return t + suffix;
    };
  }
  function dkk(v) {
    return v >= 1e6 ? short(v / 1e6) + " million DKK" : v >= 1e4 ? short(v / 1e3) + " thousand DKK"
                                                      : short(v) + " DKK";
  }

  // Grid, axes and labels; returns the scales.
  function frame(svg, xa, ya, xLabel, yLabel, yText) {
    var px = function (v) { return L + (v - xa.lo) / (xa.hi - xa.lo) * (W - L - R); };
    var py = function (v) { return T + (ya.hi - v) / (ya.hi - ya.lo) * (H - T - B); };
    var grid = el(svg, "g", { "class": "grid" }), axis = el(svg, "g", { "class": "axis" });
    var fx = ticker(xa), fy = yText || ticker(ya);
    ticksOf(ya).forEach(function (t) {
      var y = py(t).toFixed(1);
      el(grid, "line", { x1: L, x2: W - R, y1: y, y2: y });
      el(axis, "text", { x: L - 6, y: (py(t) + 4).toFixed(1), "text-anchor": "end" }, fy(t));
    });
    el(axis, "line", { x1: L, x2: W - R, y1: H - B, y2: H - B });
    ticksOf(xa).forEach(function (t) {
      var x = px(t).toFixed(1);
      el(axis, "line", { x1: x, x2: x, y1: H - B, y2: H - B + 4 });
      el(axis, "text", { x: x, y: H - B + 16, "text-anchor": "middle" }, fx(t));
    });
    el(axis, "text", { x: (L + W - R) / 2, y: H - 8, "text-anchor": "middle" }, xLabel);
    el(axis, "text", { transform: "translate(13 " + (T + H - B) / 2 + ") rotate(-90)",
                       "text-anchor": "middle" }, yLabel);
    return { px: px, py: py };
  }
  function zeroLines(svg, f, vertical, horizontal) {
    if (vertical) el(svg, "line", { "class": "zero", x1: f.px(0).toFixed(1), x2: f.px(0).toFixed(1),
                                     y1: T, y2: H - B });
    if (horizontal) el(svg, "line", { "class": "zero", x1: L, x2: W - R, y1: f.py(0).toFixed(1),
                                       y2: f.py(0).toFixed(1) });
  }
  // A polyline through the points with values (a gap where a value is null).
  function pathOf(xs, ys, f) {
    var d = "", pen = false;
    for (var i = 0; i < xs.length; ++i) {
      if (ys[i] === null || xs[i] === null) { pen = false; continue; }
      d += (pen ? " L" : d ? " M" : "M") + f.px(xs[i]).toFixed(1) + " " + f.py(ys[i]).toFixed(1);
      pen = true;
    }
    return d;
  }

  // Acceptability curves: x the value placed on one unit of effect, y P(best), a line per variant.
  function drawCeac(svg) {
    var lambdas = u.lambdas;
    if (!lambdas.length) return 0;
    var xa = niceAxis(0, lambdas[lambdas.length - 1], 6, true);
    var f = frame(svg, xa, { lo: 0, hi: 1, step: 0.2 },
                  "value placed on one " + u.effectUnit + " of " + u.metricLabel + " (" +
                    u.lambdaUnit + ")",
                  "probability of being the best choice",
                  function (v) { return Math.round(100 * v) + "%"; });
    var lines = 0;
    u.variants.forEach(function (v, i) {
      var p = u.acceptability[i];
      if (!p || !p.length) return;
      var peak = 0, at = 0;
      p.forEach(function (x, k) { if (x !== null && x > peak) { peak = x; at = k; } });
      var g = el(svg, "g", { "class": "series", "data-variant": v.name });
      el(g, "title", {}, (v.label || v.name) + ": the best choice in up to " + Math.round(100 * peak) +
                         "% of the draws (at " + dkk(lambdas[at]) + " per " + u.effectUnit + ")");
      el(g, "path", { "class": "line", stroke: v.colour, "stroke-dasharray": v.dash,
                      d: pathOf(lambdas, p, f) });
      ++lines;
    });
    svg.setAttribute("data-lines", String(lines));
    return 1;
  }

  // Cost-effectiveness plane: a dot per draw and variant, the baseline at the origin.
  function drawPlane(svg) {
    var xs = [0], ys = [0];
    u.plane.forEach(function (p, i) {
      if (u.variants[i].baseline) return;
      p.effect.forEach(function (e, d) {
        if (e !== null && p.cost[d] !== null) { xs.push(e); ys.push(p.cost[d]); }
      });
    });
    var xa = niceAxis(Math.min.apply(null, xs), Math.max.apply(null, xs), 6, true);
    var ya = niceAxis(Math.min.apply(null, ys), Math.max.apply(null, ys), 5, true);
    var f = frame(svg, xa, ya, "effect vs baseline (" + u.effectUnit + ")",
                  "incremental cost (million DKK)");
    zeroLines(svg, f, true, true);
    var points = 0, baseline = "the baseline";
    u.plane.forEach(function (p, i) {
      var v = u.variants[i];
      if (v.baseline) { baseline = v.name; return; }
      var g = el(svg, "g", { "class": "series", "data-variant": v.name });
      var sx = 0, sy = 0, n = 0;
      p.effect.forEach(function (e, d) {
        var c = p.cost[d];
        if (e === null || c === null) return;
        var dot = el(g, "circle", { "class": "draw", r: 2.6, fill: v.colour,
                                    cx: f.px(e).toFixed(1), cy: f.py(c).toFixed(1) });
        el(dot, "title", {}, (v.label || v.name) + ", draw " + d + ": effect " + short(e) + " " + u.effectUnit +
                             ", extra cost " + short(c) + " million DKK");
        sx += e; sy += c; ++n;
      });
      points += n;
      if (!n) return;
      var mx = f.px(sx / n), my = f.py(sy / n);
      var mean = el(g, "path", { "class": "mean", fill: v.colour,
                                 d: "M" + mx.toFixed(1) + " " + (my - 6).toFixed(1) + " l6 6 l-6 6 l-6 -6 Z" });
      el(mean, "title", {}, (v.label || v.name) + ", mean over " + n + " draws: effect " + short(sx / n) + " " +
                            u.effectUnit + ", extra cost " + short(sy / n) + " million DKK");
    });
    var ox = f.px(0), oy = f.py(0);
    var origin = el(svg, "path", { "class": "origin",
      d: "M" + (ox - 5).toFixed(1) + " " + (oy - 5).toFixed(1) + " l10 10 m0 -10 l-10 10" });
    el(origin, "title", {}, baseline + " (the baseline): no effect, no extra cost");
    svg.setAttribute("data-points", String(points));
    return 1;
  }

  // A sweep panel: x the swept value, y each variant's effect with its 95% CI (band and bars).
  // Every panel has the same y axis (ya), so that panels can be compared at a glance.
  function drawSweep(svg, panel, ya) {
    var xs = u.x.values;
    var xa = niceAxis(xs[0], xs[xs.length - 1], 5, false);
    var f = frame(svg, xa, ya, u.x.name, "effect vs baseline (" + u.effectUnit + ")");
    zeroLines(svg, f, false, true);
    panel.series.forEach(function (s) {
      var v = u.variants[s.variant], at = [];
      s.mean.forEach(function (m, k) { if (m !== null) at.push(k); });
      var g = el(svg, "g", { "class": "series", "data-variant": v.name });
      el(g, "title", {}, (v.label || v.name));
      if (at.length > 1) {
        var area = "";
        at.forEach(function (k, j) {
          area += (j ? " L" : "M") + f.px(xs[k]).toFixed(1) + " " + f.py(s.hi[k]).toFixed(1);
        });
        at.slice().reverse().forEach(function (k) {
          area += " L" + f.px(xs[k]).toFixed(1) + " " + f.py(s.lo[k]).toFixed(1);
        });
        el(g, "path", { "class": "band", fill: v.colour, d: area + " Z" });
      }
      el(g, "path", { "class": "line", stroke: v.colour, "stroke-dasharray": v.dash,
                      d: pathOf(xs, s.mean, f) });
      at.forEach(function (k) {
        var x = f.px(xs[k]).toFixed(1);
        el(g, "line", { "class": "ci-bar", stroke: v.colour, "stroke-width": 1.5, x1: x, x2: x,
                        y1: f.py(s.lo[k]).toFixed(1), y2: f.py(s.hi[k]).toFixed(1) });
        var dot = el(g, "circle", { "class": "pt", r: 3.2, fill: v.colour, cx: x,
                                    cy: f.py(s.mean[k]).toFixed(1) });
        el(dot, "title", {}, (v.label || v.name) + " at " + u.x.name + " = " + short(xs[k]) + ": " +
                             short(s.mean[k]) + " " + u.effectUnit + " (95% CI " +
                             short(s.lo[k]) + " to " + short(s.hi[k]) + ")");
      });
    });
    return 1;
  }

  var drawn = 0;
  if (u.kind === "psa") {
    drawn += drawCeac(document.getElementById("u-ceac-svg"));
    drawn += drawPlane(document.getElementById("u-plane-svg"));
  } else if (u.kind === "sweep") {
    var ys = [0];
    u.panels.forEach(function (panel) {
      panel.series.forEach(function (s) { ys = ys.concat(finite(s.lo), finite(s.hi)); });
    });
    var ya = niceAxis(Math.min.apply(null, ys), Math.max.apply(null, ys), 5, true);
    Array.prototype.forEach.call(document.querySelectorAll("svg.u-sweep-svg"), function (svg) {
      drawn += drawSweep(svg, u.panels[Number(svg.getAttribute("data-panel"))], ya);
    });
  }
  // Tornado: one horizontal bar per parameter (most influential at the top) with its interval.
  function drawTornado(svg, s) {
    var ps = s.parameters.filter(function (p) { return p.estimate !== null; });
    if (!ps.length) return 0;
    var left = 150, right = W - R, top = T, rowH = Math.min(28, (H - T - B) / ps.length);
    var values = [0];
    ps.forEach(function (p) { values = values.concat(finite([p.estimate, p.low, p.high])); });
    var xa = niceAxis(Math.min.apply(null, values), Math.max.apply(null, values), 5, true);
    var px = function (v) { return left + (v - xa.lo) / (xa.hi - xa.lo) * (right - left); };
    var fx = ticker(xa), axis = el(svg, "g", { "class": "axis" });
    var bottom = top + rowH * ps.length;
    ticksOf(xa).forEach(function (t) {
      el(axis, "line", { x1: px(t).toFixed(1), x2: px(t).toFixed(1), y1: bottom, y2: bottom + 4 });
      el(axis, "text", { x: px(t).toFixed(1), y: bottom + 16, "text-anchor": "middle" }, fx(t));
    });
    el(axis, "line", { x1: left, x2: right, y1: bottom, y2: bottom });
    el(axis, "text", { x: (left + right) / 2, y: bottom + 34, "text-anchor": "middle" },
       s.measure === "ST" ? "total Sobol\u2019 index (share of variance)"
                          : "\u03bc* (mean absolute elementary effect)");
    ps.forEach(function (p, i) {
      var y = top + i * rowH, x0 = px(Math.min(0, p.estimate)), x1 = px(Math.max(0, p.estimate));
      var g = el(svg, "g", { "class": "tornado-bar", "data-parameter": p.name });
      el(g, "text", { x: left - 6, y: (y + rowH / 2 + 4).toFixed(1), "text-anchor": "end" },
         p.name.length > 24 ? p.name.slice(0, 23) + "\u2026" : p.name);
      el(g, "rect", { x: x0.toFixed(1), y: (y + rowH * 0.2).toFixed(1),
                      width: Math.max(1, x1 - x0).toFixed(1), height: (rowH * 0.6).toFixed(1),
                      fill: "#4477AA" });
      if (p.low !== null && p.high !== null)
        el(g, "line", { "class": "ci", x1: px(p.low).toFixed(1), x2: px(p.high).toFixed(1),
                        y1: (y + rowH / 2).toFixed(1), y2: (y + rowH / 2).toFixed(1),
                        stroke: "#222", "stroke-width": 1.5 });
      el(g, "title", {}, p.name + ": " + short(p.estimate) +
                         (p.low !== null ? " (95% CI " + short(p.low) + " to " + short(p.high) + ")"
                                         : ""));
    });
    return 1;
  }

  var tornado = document.getElementById("u-tornado-svg");
  if (tornado && u.sensitivity) drawn += drawTornado(tornado, u.sensitivity);
  document.body.dataset.uncertaintyCharts = String(drawn);
})();
