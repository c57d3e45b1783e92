#pragma once
// The fixed parts of the report page (analysis/report.cpp fills in the rest): the style sheet,
// the error catcher that runs first, and the script that makes the charts' legend interactive and
// animates the network view. The network view's style and drawing code are constants of their
// own (kNetworkStyle, kNetworkScript) because `klynge studio`'s page draws its network panel
// with them too; the report's page is byte for byte as before up to its last script, whose
// network part is now a call of kNetworkScript's function. Plain CSS and vanilla JS, no external
// resources: the page must work offline, in any current browser, and in headless Chromium
// (tests/python/test_report_browser.py).
//
// Contract with the test: script errors are written into #script-errors; once the charts are
// checked and every network panel has drawn, the script sets document.body.dataset.rendered to
// "true" (data-rendered="true" in the DOM).

namespace klynge::analysis::report::page {

inline constexpr const char* kStyle = R"CSS(
:root {
  --ink: #1f2328; --muted: #5b6470; --rule: #d6dae0; --panel: #f6f7f9; --accent: #0072b2;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
  color: var(--ink); line-height: 1.45;
}
body { margin: 0; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 12px 24px 48px; }
header.page { border-bottom: 3px solid var(--accent); margin-bottom: 8px; }
h1 { font-size: 1.65rem; margin: 18px 0 2px; }
h1 .tool { color: var(--muted); font-weight: 400; }
h2 { font-size: 1.25rem; margin: 30px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 1rem; margin: 14px 0 6px; }
p.lead { color: var(--muted); margin: 4px 0 12px; max-width: 70em; }
p.note, .caption { color: var(--muted); font-size: 0.88rem; max-width: 75em; }
.warning { background: #fff4e5; border-left: 4px solid #d55e00; padding: 8px 12px; margin: 12px 0; }
#script-errors:empty { display: none; }
#script-errors { background: #fde8e8; border-left: 4px solid #b00020; padding: 8px 12px; white-space: pre-wrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0 14px; font-size: 0.93rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; font-size: 0.92rem; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: middle; }
th { background: var(--panel); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
tr.baseline td { color: var(--muted); }
td.name { white-space: nowrap; }
td .ci { color: var(--muted); }
.scroll { overflow-x: auto; }
.swatch { display: inline-block; width: 18px; height: 4px; border-radius: 2px; vertical-align: middle; margin-right: 6px; }
.swatch.dashed { background: repeating-linear-gradient(90deg, currentColor 0 5px, transparent 5px 8px) !important; }
.interventions { color: var(--muted); font-size: 0.88rem; }
details { margin: 8px 0; }
details pre { background: var(--panel); padding: 10px; overflow: auto; max-height: 28em; font-size: 0.82rem; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 8px; margin: 6px 0 10px; }
.legend-item { font: inherit; font-size: 0.88rem; background: #fff; border: 1px solid var(--rule); border-radius: 14px; padding: 2px 10px; cursor: pointer; }
.legend-item[aria-pressed="false"] { opacity: 0.4; text-decoration: line-through; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 8px 22px; }
figure { margin: 0; }
figure.chart figcaption { font-size: 0.92rem; margin: 6px 0 2px; }
figure.chart figcaption .unit { color: var(--muted); }
svg.chart-svg { width: 100%; height: auto; display: block; }
svg text { font-family: inherit; font-size: 11px; fill: var(--muted); }
svg .grid line { stroke: #e7e9ed; }
svg .axis line, svg .axis path { stroke: #9aa1ab; }
svg .series .line { fill: none; stroke-width: 2; }
svg .series .band { stroke: none; opacity: 0.16; }
svg .series.off { display: none; }
svg .series.dim { opacity: 0.15; }
svg .zero { stroke: #9aa1ab; stroke-dasharray: 3 3; }
svg.effect { vertical-align: middle; }
svg.effect .ci { fill: #0072b2; fill-opacity: 0.35; stroke: none; }
svg.effect .cap { stroke: #0072b2; stroke-width: 2; }
svg.effect .pt { fill: #0072b2; stroke: #fff; stroke-width: 1.5; }
svg.effect-scale line { stroke: #7a838f; }
svg.effect-scale text { font-size: 11px; fill: var(--muted); }
th.scale { padding: 2px 8px; vertical-align: bottom; }
table.ranking td .ci { display: block; font-size: 0.85em; }
table.ranking td.name { white-space: normal; min-width: 9em; }
svg.swatch-line { vertical-align: middle; margin-right: 6px; }
section#headline p.headline { font-size: 1.3rem; line-height: 1.5; background: var(--panel); border-left: 5px solid var(--accent); padding: 12px 16px; margin: 8px 0; max-width: 60em; }
section#headline .figure { font-weight: 700; white-space: nowrap; }
section#headline .ci { color: var(--muted); font-size: 0.85em; }
p.explain { background: #fffbea; border-left: 4px solid #e69f00; padding: 6px 10px; color: var(--ink); }
ul.methods { font-size: 0.92rem; max-width: 75em; }
@media (max-width: 1100px) { main { padding: 8px 12px 32px; } .charts { grid-template-columns: 1fr; } table { font-size: 0.86rem; } th, td { padding: 4px 5px; } }
)CSS";

// The network view's style (the report emits kStyle, kNetworkStyle, kStyleEnd in this order;
// `klynge studio` uses this part for its network panel). Uses --panel, --rule and --muted.
inline constexpr const char* kNetworkStyle =
    R"CSS(.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; background: var(--panel); padding: 8px 12px; border-radius: 6px; position: sticky; top: 0; z-index: 2; }
.controls button { font: inherit; min-width: 6.5em; padding: 4px 12px; border-radius: 4px; border: 1px solid #7a838f; background: #fff; cursor: pointer; }
.controls input[type=range] { width: min(420px, 50vw); }
#step-label { font-weight: 600; font-variant-numeric: tabular-nums; min-width: 9em; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; margin-top: 10px; }
.panel { border: 1px solid var(--rule); border-radius: 6px; padding: 8px; }
.panel label { font-size: 0.92rem; }
.panel select { font: inherit; }
.panel .stats { font-size: 0.86rem; color: var(--muted); margin: 4px 0; font-variant-numeric: tabular-nums; }
svg.network-svg { width: 100%; height: auto; display: block; background: #fbfbfc; }
svg.network-svg.no-names .labels { display: none; }
svg.network-svg .muni { font-size: 12px; fill: #7a828c; text-anchor: middle; paint-order: stroke; stroke: #fbfbfc; stroke-width: 3px; stroke-linejoin: round; }
svg.network-svg .tie { stroke: #555; stroke-linecap: round; }
svg.network-svg .tie.knowledge { stroke-dasharray: 4 3; }
svg.network-svg .tie.trade { stroke: #a9a9a9; }
svg.network-svg .tie.new { stroke: #d55e00; }
svg.network-svg circle { stroke: #fff; stroke-width: 1; }
svg.network-svg circle.participant { stroke: #111; stroke-width: 2.2; }
.net-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.85rem; color: var(--muted); margin-top: 8px; }
.net-legend svg { vertical-align: middle; }
)CSS";

inline constexpr const char* kStyleEnd =
    R"CSS(p.verdict { font-size: 1.05rem; font-weight: 600; background: var(--panel); border-left: 4px solid var(--accent); padding: 8px 12px; max-width: 70em; }
svg.u-chart { width: 100%; height: auto; display: block; }
svg .draw { fill-opacity: 0.5; }
svg .mean { stroke: #1f2328; stroke-width: 1.2; }
svg .origin { stroke: #1f2328; stroke-width: 2; fill: none; }
.u-legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 0.86rem; color: var(--muted); margin: 6px 0; }
.u-legend svg { vertical-align: middle; margin-right: 5px; }
footer { margin-top: 36px; border-top: 1px solid var(--rule); padding-top: 8px; color: var(--muted); font-size: 0.85rem; }
@media print { .controls, .legend { display: none; } h2 { break-after: avoid; } figure { break-inside: avoid; } }
)CSS";

// Runs first (right after #script-errors): any later script error lands in the page.
inline constexpr const char* kErrorCatcher = R"JS(
(function () {
  "use strict";
  function report(text) {
    var box = document.getElementById("script-errors");
    if (box) box.textContent += (box.textContent ? "\n" : "") + text;
  }
  window.onerror = function (message, source, line, column) {
    report("script error: " + message + (line ? " (line " + line + ":" + column + ")" : ""));
  };
  window.addEventListener("unhandledrejection", function (event) {
    report("unhandled rejection: " + (event.reason && event.reason.message || event.reason));
  });
})();
)JS";

// The network view, step by step (report_network.cpp makes `net`, the "network" value of the data
// block). The report calls it from kScript for its whole page; `klynge studio` for its one-run
// panel (sim/cli/studio/page.html), so both draw with this code. It draws into the .panel
// elements under `root`, driven by the controls under it (#step-slider, #step-label, #play,
// #speed; #layout and #show-names where present), and returns how many panels it drew and a
// function that stops playing (the studio calls it before replacing its panel).
inline constexpr const char* kNetworkScript = R"JS(
function klyngeNetworkView(net, root) {
  "use strict";
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var panels = [];
  var step = 0, timer = null;
  var slider = root.querySelector("#step-slider");
  var label = root.querySelector("#step-label");
  var playButton = root.querySelector("#play");
  var speed = root.querySelector("#speed");

  // Cluster numbers are followed over the months in C++ (report_network.hpp, track_clusters),
  // which also gives each number its colour.
  function clusterColour(v, label) {
    if (label === null || label < 0) return net.noClusterColour;
    var k = v.clusterColour[label];
    return net.clusterColours[(k === undefined ? label : k) % net.clusterColours.length];
  }
  var layoutSelect = root.querySelector("#layout");
  var namesBox = root.querySelector("#show-names");
  function forceLayout() { return layoutSelect && layoutSelect.value === "force"; }
  function place(firm) { return forceLayout() ? [firm.fx, firm.fy] : [firm.x, firm.y]; }

  function Panel(root) {
    var self = this;
    this.svg = root.querySelector("svg.network-svg");
    this.select = root.querySelector("select");
    this.stats = root.querySelector(".stats");
    this.variant = this.select.value;
    var NS = this.svg.namespaceURI;  // the SVG namespace, without spelling out its URI
    this.make = function (name, attributes) {
      var e = document.createElementNS(NS, name);
      for (var k in attributes) e.setAttribute(k, attributes[k]);
      return e;
    };
    this.tieLayer = this.make("g", { "class": "ties" });
    this.nodeLayer = this.make("g", { "class": "nodes" });
    this.svg.insertBefore(this.tieLayer, this.svg.firstChild);  // under the place names
    this.svg.appendChild(this.nodeLayer);
    this.circles = net.firms.map(function (firm) {
      var c = self.make("circle", {
        cx: firm.x, cy: firm.y, r: net.rmin,
        "class": firm.p ? "participant" : "other", "data-firm": firm.id
      });
      var title = self.make("title", {});
      c.appendChild(title);
      self.nodeLayer.appendChild(c);
      return c;
    });
    this.select.addEventListener("change", function () {
      self.variant = self.select.value;
      self.draw(step);
    });
  }

  Panel.prototype.draw = function (at) {
    var v = net.variants[this.variant];
    var s = Math.min(at, v.revenue.length - 1);
    var revenue = v.revenue[s], cluster = v.cluster[s];
    var clusters = {}, clusterCount = 0, partRevenue = 0, partRevenue0 = 0;
    for (var i = 0; i < net.firms.length; ++i) {
      var firm = net.firms[i], rev = revenue[i] === null ? 0 : revenue[i];
      var lab = cluster[i];
      var r = net.rmin + (net.rmax - net.rmin) * Math.sqrt(Math.max(rev, 0) / net.revmax);
      var c = this.circles[i];
      var xy = place(firm);
      c.setAttribute("cx", xy[0]);
      c.setAttribute("cy", xy[1]);
      c.setAttribute("r", r.toFixed(2));
      c.setAttribute("fill", clusterColour(v, lab));
      c.firstChild.textContent = firm.id + " \u00b7 " + firm.m + (firm.p ? " \u00b7 participant" : "") +
        " \u00b7 revenue " + rev.toFixed(1) + " mDKK/year" +
        (lab !== null && lab >= 0 ? " \u00b7 cluster " + (lab + 1) : " \u00b7 no cluster");
      if (lab !== null && lab >= 0 && !clusters[lab]) { clusters[lab] = true; ++clusterCount; }
      if (firm.p) {
        partRevenue += rev;
        partRevenue0 += v.revenue[0][i] === null ? 0 : v.revenue[0][i];
      }
    }
    var previous = {};
    if (s > 0) {
      var p = v.ties[s - 1];
      for (var k = 0; k < p.length; k += 4) previous[p[k] + "-" + p[k + 1]] = true;
    }
    while (this.tieLayer.firstChild) this.tieLayer.removeChild(this.tieLayer.firstChild);
    var t = v.ties[s], partner = 0, formed = 0;
    for (var j = 0; j < t.length; j += 4) {
      var a = net.firms[t[j]], b = net.firms[t[j + 1]], trust = t[j + 2], type = t[j + 3];
      var fresh = s > 0 && !previous[t[j] + "-" + t[j + 1]];
      if (type === 1) ++partner;
      if (fresh) ++formed;
      var pa = place(a), pb = place(b);
      var line = this.make("line", {
        x1: pa[0], y1: pa[1], x2: pb[0], y2: pb[1],
        "class": "tie " + net.tieTypes[type] + (fresh ? " new" : ""),
        "stroke-width": (0.6 + 3.4 * trust).toFixed(2),
        "stroke-opacity": (0.3 + 0.65 * trust).toFixed(2)
      });
      var title = this.make("title", {});
      title.textContent = a.id + " \u2013 " + b.id + ": " + net.tieTypes[type] + " tie, trust " +
        trust.toFixed(2) + (fresh ? " (new this month)" : "");
      line.appendChild(title);
      this.tieLayer.appendChild(line);
    }
    var growth = partRevenue0 > 0 ? (100 * partRevenue / partRevenue0).toFixed(1) + "%" : "\u2013";
    this.stats.textContent = "One run (replicate " + v.replicate + " of " + net.replicates +
      "): " + (t.length / 4) + " ties (" + partner + " partner, " + formed + " new) \u00b7 " +
      clusterCount + (clusterCount === 1 ? " cluster" : " clusters") +
      " \u00b7 participants' revenue " + growth + " of month 0 in this run";
    this.svg.classList.toggle("no-names", forceLayout() || (namesBox && !namesBox.checked));
  };

  function setStep(s) {
    step = Math.max(0, Math.min(net.horizon, s));
    slider.value = String(step);
    label.textContent = "Month " + step + " of " + net.horizon;
    panels.forEach(function (panel) { panel.draw(step); });
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    playButton.textContent = "\u25b6 Play";
    playButton.setAttribute("aria-pressed", "false");
  }
  function play() {
    if (step >= net.horizon) setStep(0);
    playButton.textContent = "\u275a\u275a Pause";
    playButton.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (step >= net.horizon) { stop(); return; }
      setStep(step + 1);
    }, Number(speed.value));
  }

  var drawnPanels = 0;
  if (net) {
    each(root.querySelectorAll(".panel"), function (root) { panels.push(new Panel(root)); });
    slider.addEventListener("input", function () { stop(); setStep(Number(slider.value)); });
    playButton.addEventListener("click", function () { if (timer === null) play(); else stop(); });
    speed.addEventListener("change", function () { if (timer !== null) { stop(); play(); } });
    if (layoutSelect) layoutSelect.addEventListener("change", function () { setStep(step); });
    if (namesBox) namesBox.addEventListener("change", function () { setStep(step); });
    setStep(net.horizon);  // the outcome first; Play starts again from month 0
    drawnPanels = panels.length;
  }
  return { panels: drawnPanels, stop: stop };

}
)JS";

inline constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("klynge-data").textContent);
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  // ---- charts: the legend toggles a variant in every chart, hovering highlights it ----
  var series = document.querySelectorAll("svg.chart-svg .series");
  function forVariant(name, f) {
    each(series, function (g) { f(g, g.getAttribute("data-variant") === name); });
  }
  each(document.querySelectorAll(".legend-item"), function (item) {
    var name = item.getAttribute("data-variant");
    item.addEventListener("click", function () {
      var on = item.getAttribute("aria-pressed") !== "false";
      item.setAttribute("aria-pressed", on ? "false" : "true");
      forVariant(name, function (g, match) { if (match) g.classList.toggle("off", on); });
    });
    item.addEventListener("mouseenter", function () {
      forVariant(name, function (g, match) { g.classList.toggle("dim", !match); });
    });
    item.addEventListener("mouseleave", function () {
      each(series, function (g) { g.classList.remove("dim"); });
    });
  });
  var chartPaths = document.querySelectorAll("svg.chart-svg .series path.line").length;

  // ---- network view: detail replicate 0 of the chosen variants, step by step ----
  var drawnPanels = klyngeNetworkView(data.network, document).panels;

  document.body.dataset.charts = String(chartPaths);
  document.body.dataset.networkPanels = String(drawnPanels);
  var errors = document.getElementById("script-errors");
  if (errors && errors.textContent === "") document.body.dataset.rendered = "true";
})();
)JS";

// The charts of the "How sure are we?" and sweep sections (analysis/report_uncertainty.cpp), drawn
// from the data block #klynge-uncertainty into the empty svg.u-chart elements the section holds.
// Runs before kScript, so an error here keeps the page from reporting itself rendered. Sets
// document.body.dataset.uncertaintyCharts to the number of charts drawn.
inline constexpr const char* kUncertaintyScript = R"JS(
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
)JS";

}  // namespace klynge::analysis::report::page
