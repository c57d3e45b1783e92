"""The report as a presentation (issue 13): `klynge demo` writes the workshop report; headless
Chromium (Debian's `chromium`) loads a copy of it at 1024x768 with a probe script appended, which
measures the municipality names and the firms' circles on screen (getBoundingClientRect) and
steps the network through every month recording each firm's colour; --dump-dom brings the
measurements back. The test asserts:
  - the headline is the first section, names the best programme by its label, and its numbers
    are `klynge compare --format json`'s (the page carries them in data-value attributes);
  - provenance (seed, command line) and the methods vocabulary come after the answer; no links to
    docs/*.md;
  - labels replace code names in the legend and the ranking; a file without labels (written
    before they existed) shows the code names;
  - at 1024x768 no two municipality names overlap and no name covers a firm;
  - cluster colours: in every month firms of one stored cluster share a colour and different
    clusters have different ones; a cluster that keeps more than half its firms from one month
    to the next (and is more than half of what it becomes) keeps its colour;
  - a 12-variant scenario (tests/scenarios/twelve_variants.yaml) gets 12 distinct colour + dash
    looks in every chart and in the legend.

usage: /usr/bin/python3 test_report_presentation.py --klynge BINARY --source REPO [--keep DIR]

Fails (never skips) when /usr/bin/chromium is missing: run scripts/setup.sh.
"""
import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py

CHROMIUM = "/usr/bin/chromium"
ARGS = None

# Appended to a copy of the page: runs after the page's own script (which draws synchronously).
PROBE = r"""
<script>
(function () {
  var out = { names: [], circles: [], fills: {}, panels: [] };
  var panels = document.querySelectorAll(".panel");
  Array.prototype.forEach.call(panels, function (panel, p) {
    var svg = panel.querySelector("svg.network-svg");
    out.panels.push(panel.querySelector("select").value);
    Array.prototype.forEach.call(svg.querySelectorAll("text.muni"), function (t) {
      var r = t.getBoundingClientRect();
      out.names.push({ panel: p, text: t.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom });
    });
    Array.prototype.forEach.call(svg.querySelectorAll("circle[data-firm]"), function (c) {
      var r = c.getBoundingClientRect();
      out.circles.push({ panel: p, cx: (r.left + r.right) / 2, cy: (r.top + r.bottom) / 2,
                         r: (r.right - r.left) / 2 });
    });
  });
  var slider = document.getElementById("step-slider");
  var horizon = Number(slider.max);
  for (var p = 0; p < panels.length; ++p) out.fills[p] = [];
  for (var s = 0; s <= horizon; ++s) {
    slider.value = String(s);
    slider.dispatchEvent(new Event("input"));
    Array.prototype.forEach.call(panels, function (panel, p) {
      var row = [];
      Array.prototype.forEach.call(panel.querySelectorAll("circle[data-firm]"), function (c) {
        row.push(c.getAttribute("fill"));
      });
      out.fills[p].push(row);
    });
  }
  var pre = document.createElement("pre");
  pre.id = "presentation-probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def chromium_args(profile):
    return [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
        "--virtual-time-budget=5000", "--window-size=1024,768", "--hide-scrollbars",
    ]


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


class ReportPresentation(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHROMIUM):
            raise AssertionError(
                "%s is missing: the report's browser tests need Debian's chromium package; "
                "run scripts/setup.sh (as root) to install it" % CHROMIUM)
        cls.tmp = ARGS.keep or tempfile.mkdtemp(prefix="klynge-presentation-")
        os.makedirs(cls.tmp, exist_ok=True)
        cls.env = dict(os.environ, HOME=cls.tmp)
        demo = os.path.join(cls.tmp, "demo")
        subprocess.run([ARGS.klynge, "demo", "-o", demo, "--replicates", "8", "--force",
                        "--quiet"], check=True, env=cls.env, stdout=subprocess.DEVNULL)
        cls.results = os.path.join(demo, "results.h5")
        with open(os.path.join(demo, "report.html"), encoding="utf-8") as f:
            cls.page = f.read()
        cls.compare = json.loads(subprocess.run(
            [ARGS.klynge, "compare", cls.results, "--format", "json"], check=True,
            stdout=subprocess.PIPE, env=cls.env).stdout)
        with h5py.File(cls.results, "r") as f:
            cls.labels = {name: f["variants"][name].attrs["label"] or name
                          for name in f["variants"]}
            names = [n.decode() if isinstance(n, bytes) else n for n in f["firm_variable"][:]]
            cluster = names.index("cluster")
            cls.stored = {name: f["variants"][name]["detail"]["trajectories"][0, :, :, cluster]
                          for name in f["variants"]}
        probed = os.path.join(cls.tmp, "probed.html")
        with open(probed, "w", encoding="utf-8") as f:
            f.write(cls.page.replace("</body>", PROBE + "</body>"))
        dump = subprocess.run(chromium_args(os.path.join(cls.tmp, "profile")) +
                              ["--dump-dom", "file://" + probed], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=cls.env, timeout=300)
        dom = dump.stdout.decode("utf-8", "replace")
        m = re.search(r'<pre id="presentation-probe">(.*?)</pre>', dom, re.S)
        if not m:
            raise AssertionError("the probe wrote nothing; chromium said:\n" +
                                 dump.stderr.decode("utf-8", "replace")[-3000:])
        cls.dom = dom
        cls.probe = json.loads(html.unescape(m.group(1)))
        subprocess.run(chromium_args(os.path.join(cls.tmp, "profile2")) +
                       ["--screenshot=" + os.path.join(cls.tmp, "report-1024x768.png"),
                        "file://" + os.path.join(demo, "report.html")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=cls.env,
                       timeout=300)

    @classmethod
    def tearDownClass(cls):
        if not ARGS.keep:
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def variant_json(self, name):
        for v in self.compare["variants"]:
            if v["variant"] == name:
                return v
        raise AssertionError("compare has no variant " + name)

    def test_no_script_errors(self):
        m = re.search(r'<div id="script-errors"[^>]*>(.*?)</div>', self.dom, re.S)
        self.assertIsNotNone(m)
        self.assertEqual(m.group(1).strip(), "")
        self.assertIn('data-rendered="true"', self.dom)

    def test_headline_first_with_compare_numbers(self):
        sections = re.findall(r'<section id="([^"]+)"', self.page)
        self.assertEqual(sections[0], "headline", sections)
        best = min((v for v in self.compare["variants"] if v["rank"] > 0 and not v["baseline"]),
                   key=lambda v: v["rank"])
        self.assertEqual(best["rank"], 1)
        m = re.search(r'<p class="headline" data-variant="([^"]+)">(.*?)</p>', self.page, re.S)
        self.assertIsNotNone(m)
        self.assertEqual(m.group(1), best["variant"])
        text = text_of(m.group(2))
        self.assertIn(self.labels[best["variant"]], text)
        programmes = sum(1 for v in self.compare["variants"] if not v["baseline"])
        self.assertTrue(text.startswith("Of the %d programmes" % programmes), text)
        values = dict(re.findall(r'data-key="([a-z_]+)" data-value="([^"]+)"', m.group(2)))
        want = {
            "growth_at_horizon":
                best["trajectories"]["participant_revenue_growth"]["mean"][-1],
            "cost_dkk": best["cost_dkk"],
            "value_added_per_dkk": best["value_added_per_dkk"]["mean"],
        }
        self.assertEqual(sorted(values), sorted(want))
        for key, value in want.items():
            self.assertAlmostEqual(float(values[key]), value, delta=1e-9 * max(1, abs(value)),
                                   msg=key)
        for word in ("pp", "Student", "delta method", "Seed", "docs/"):
            self.assertNotIn(word, text)

    def test_provenance_and_methods_at_the_end(self):
        sections = re.findall(r'<section id="([^"]+)"', self.page)
        self.assertEqual(sections[-2:], ["methods", "run"], sections)
        first_part = self.page[:self.page.index('<section id="methods"')]
        self.assertNotIn("<dt>Seed</dt>", first_part)
        self.assertNotIn("Student t", first_part)
        self.assertNotIn("delta method", first_part)
        self.assertNotIn("docs/compare.md", self.page)
        self.assertNotIn(".md<", self.page)

    def test_labels_replace_code_names(self):
        legend = re.findall(r'<button type="button" class="legend-item"[^>]*data-variant="([^"]+)"'
                            r'[^>]*>(.*?)</button>', self.page, re.S)
        self.assertEqual(len(legend), len(self.labels))
        for name, inner in legend:
            self.assertEqual(text_of(inner), self.labels[name])
        for name, label in self.labels.items():
            row = re.search(r'<tr[^>]*data-variant="%s"><td class="num">[^<]*</td>'
                            r'<td class="name">(.*?)</td>' % re.escape(name), self.page, re.S)
            self.assertIsNotNone(row, name)
            self.assertTrue(text_of(row.group(1)).startswith(label), row.group(1))

    def test_municipality_names_do_not_collide_at_1024(self):
        names = self.probe["names"]
        self.assertGreater(len(names), 3)
        for p in range(len(self.probe["panels"])):
            mine = [n for n in names if n["panel"] == p]
            for i, a in enumerate(mine):
                for b in mine[i + 1:]:
                    overlap = (a["x0"] < b["x1"] and b["x0"] < a["x1"] and
                               a["y0"] < b["y1"] and b["y0"] < a["y1"])
                    self.assertFalse(overlap, "%s and %s overlap" % (a["text"], b["text"]))
                for c in (c for c in self.probe["circles"] if c["panel"] == p):
                    dx = max(a["x0"] - c["cx"], 0, c["cx"] - a["x1"])
                    dy = max(a["y0"] - c["cy"], 0, c["cy"] - a["y1"])
                    self.assertGreaterEqual(dx * dx + dy * dy, c["r"] * c["r"],
                                            "%s covers a firm" % a["text"])

    def test_cluster_colours_follow_the_stored_clusters(self):
        checked_steps = 0
        kept = 0
        for p, variant in enumerate(self.probe["panels"]):
            fills = self.probe["fills"][str(p)]
            stored = self.stored[variant]
            self.assertEqual(len(fills), stored.shape[0])
            previous = None
            for s in range(stored.shape[0]):
                groups = {}
                for f, label in enumerate(stored[s]):
                    if label >= 0:
                        groups.setdefault(int(label), set()).add(f)
                colours = {}
                for label, firms in groups.items():
                    seen = {fills[s][f] for f in firms}
                    self.assertEqual(len(seen), 1, "month %d: one cluster, colours %s" % (s, seen))
                    colours[label] = seen.pop()
                if len(groups) <= 9:
                    self.assertEqual(len(set(colours.values())), len(colours),
                                     "month %d: two clusters share a colour" % s)
                if previous:
                    for label, firms in groups.items():
                        for old_label, old in previous.items():
                            shared = len(firms & old)
                            if 2 * shared > len(firms) and 2 * shared > len(old):
                                f = next(iter(firms & old))
                                self.assertEqual(fills[s][f], fills[s - 1][f],
                                                 "month %d: cluster changed colour" % s)
                                kept += 1
                previous = groups
                checked_steps += 1
        self.assertGreater(kept, 10)  # the check had clusters to follow
        self.assertGreater(checked_steps, 0)

    def test_files_without_labels_show_code_names(self):
        # A file written before labels existed has neither attribute: the report falls back.
        old = os.path.join(self.tmp, "old.h5")
        shutil.copyfile(self.results, old)
        with h5py.File(old, "r+") as f:
            for name in f["variants"]:
                del f["variants"][name].attrs["label"]
                del f["variants"][name].attrs["intervention_labels"]
        page = os.path.join(self.tmp, "old.html")
        subprocess.run([ARGS.klynge, "report", old, "-o", page, "--quiet"], check=True,
                       env=self.env)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        legend = re.findall(r'class="legend-item"[^>]*data-variant="([^"]+)"[^>]*>(.*?)</button>',
                            text, re.S)
        self.assertEqual(len(legend), len(self.labels))
        for name, inner in legend:
            self.assertEqual(text_of(inner), name)
        for name in self.labels:
            row = re.search(r'<tr[^>]*data-variant="%s"><td class="num">[^<]*</td>'
                            r'<td class="name">(.*?)</td>' % re.escape(name), text, re.S)
            self.assertIsNotNone(row, name)
            self.assertTrue(text_of(row.group(1)).startswith(name), row.group(1))

    def test_twelve_variants_get_twelve_looks(self):
        out = os.path.join(self.tmp, "twelve.h5")
        report = os.path.join(self.tmp, "twelve.html")
        scenario = os.path.join(ARGS.source, "tests", "scenarios", "twelve_variants.yaml")
        subprocess.run([ARGS.klynge, "run", scenario, "-o", out, "--force", "--quiet"],
                       check=True, env=self.env)
        subprocess.run([ARGS.klynge, "report", out, "-o", report, "--quiet"], check=True,
                       env=self.env)
        with open(report, encoding="utf-8") as f:
            page = f.read()
        charts = re.findall(r'<svg class="chart-svg".*?</svg>', page, re.S)
        self.assertEqual(len(charts), 6)
        for chart in charts:
            looks = {}
            for name, attrs in re.findall(
                    r'<g class="series" data-variant="([^"]+)">.*?<path class="line" ([^>]*)>',
                    chart, re.S):
                stroke = re.search(r'stroke="([^"]+)"', attrs).group(1)
                dash = re.search(r'stroke-dasharray="([^"]+)"', attrs)
                looks[name] = (stroke, dash.group(1) if dash else "")
            self.assertEqual(len(looks), 12)
            self.assertEqual(len(set(looks.values())), 12, looks)
        legend = re.findall(r'class="legend-item"[^>]*data-colour="([^"]+)" data-dash="([^"]*)"',
                            page)
        self.assertEqual(len(legend), 12)
        self.assertEqual(len(set(legend)), 12)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it (pages, screenshot)")
    ARGS, rest = parser.parse_known_args()
    ARGS.klynge = os.path.abspath(ARGS.klynge)
    ARGS.source = os.path.abspath(ARGS.source)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
