#pragma once
// The fixed parts of the report page (analysis/report.cpp fills in the rest): the style sheet,
// the error catcher that runs first, and the script that makes the charts' legend interactive and
// animates the network view. Plain CSS and vanilla JS, no external resources: the page must work
// offline, in any current browser, and in headless Chromium (tests/python/test_report_browser.py).
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
svg.effect .ci { stroke: #0072b2; stroke-width: 2; }
svg.effect .pt { fill: #0072b2; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 16px; background: var(--panel); padding: 8px 12px; border-radius: 6px; position: sticky; top: 0; z-index: 2; }
.controls button { font: inherit; min-width: 6.5em; padding: 4px 12px; border-radius: 4px; border: 1px solid #7a838f; background: #fff; cursor: pointer; }
.controls input[type=range] { width: min(420px, 50vw); }
#step-label { font-weight: 600; font-variant-numeric: tabular-nums; min-width: 9em; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; margin-top: 10px; }
.panel { border: 1px solid var(--rule); border-radius: 6px; padding: 8px; }
.panel label { font-size: 0.92rem; }
.panel select { font: inherit; }
.panel .stats { font-size: 0.86rem; color: var(--muted); margin: 4px 0; font-variant-numeric: tabular-nums; }
svg.network-svg { width: 100%; height: auto; display: block; background: #fbfbfc; }
svg.network-svg .muni { font-size: 10px; fill: #7a828c; text-anchor: middle; paint-order: stroke; stroke: #fbfbfc; stroke-width: 3px; stroke-linejoin: round; }
svg.network-svg .tie { stroke: #555; stroke-linecap: round; }
svg.network-svg .tie.knowledge { stroke-dasharray: 4 3; }
svg.network-svg .tie.trade { stroke: #a9a9a9; }
svg.network-svg .tie.new { stroke: #d55e00; }
svg.network-svg circle { stroke: #fff; stroke-width: 1; }
svg.network-svg circle.participant { stroke: #111; stroke-width: 2.2; }
.net-legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.85rem; color: var(--muted); margin-top: 8px; }
.net-legend svg { vertical-align: middle; }
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
  var net = data.network;
  var panels = [];
  var step = 0, timer = null;
  var slider = document.getElementById("step-slider");
  var label = document.getElementById("step-label");
  var playButton = document.getElementById("play");
  var speed = document.getElementById("speed");

  function clusterColour(label) {
    if (label === null || label < 0) return net.noClusterColour;
    return net.clusterColours[label % net.clusterColours.length];
  }

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
      c.setAttribute("r", r.toFixed(2));
      c.setAttribute("fill", clusterColour(lab));
      c.firstChild.textContent = firm.id + " \u00b7 " + firm.m + (firm.p ? " \u00b7 participant" : "") +
        " \u00b7 revenue " + rev.toFixed(1) + " mDKK/year" +
        (lab !== null && lab >= 0 ? " \u00b7 cluster " + lab : " \u00b7 no cluster");
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
      var line = this.make("line", {
        x1: a.x, y1: a.y, x2: b.x, y2: b.y,
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
    this.stats.textContent = (t.length / 4) + " ties (" + partner + " partner, " + formed +
      " new) \u00b7 " + clusterCount + (clusterCount === 1 ? " cluster" : " clusters") +
      " \u00b7 participants' revenue " + growth + " of month 0";
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
    each(document.querySelectorAll(".panel"), function (root) { panels.push(new Panel(root)); });
    slider.addEventListener("input", function () { stop(); setStep(Number(slider.value)); });
    playButton.addEventListener("click", function () { if (timer === null) play(); else stop(); });
    speed.addEventListener("change", function () { if (timer !== null) { stop(); play(); } });
    setStep(net.horizon);  // the outcome first; Play starts again from month 0
    drawnPanels = panels.length;
  }

  document.body.dataset.charts = String(chartPaths);
  document.body.dataset.networkPanels = String(drawnPanels);
  var errors = document.getElementById("script-errors");
  if (errors && errors.textContent === "") document.body.dataset.rendered = "true";
})();
)JS";

}  // namespace klynge::analysis::report::page
