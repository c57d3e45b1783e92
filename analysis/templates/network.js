// The network view, step by step (report_network.cpp makes `net`, the "network" value of the
// data block). The report calls it from report.js for its whole page; `klynge studio` for its
// one-run panel (sim/cli/studio/page.html), so both draw with this code. It draws into the .panel
// elements under `root`, driven by the controls under it (#step-slider, #step-label, #play,
// #speed; #layout and #show-names where present), and returns how many panels it drew and a
// function that stops playing (the studio calls it before replacing its panel).
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
