// The report's own script, run last: makes the charts' legend interactive and starts the
// network view from the data block #klynge-data. Contract with the browser tests: script errors
// are written into #script-errors (error-catcher.js); once the charts are checked and every
// network panel has drawn, it sets document.body.dataset.rendered to "true"
// (data-rendered="true" in the DOM).
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
