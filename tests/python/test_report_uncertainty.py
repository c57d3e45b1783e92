"""The report of a probabilistic run and of a sweep renders in a real browser and shows
`klynge compare`'s robust comparison: tests/scenarios/psa_small.yaml and sweep_small.yaml go
through `klynge run` and `klynge report`, headless Chromium loads each page offline, runs its
script and dumps the DOM; the test reads the drawn charts and the tables back and checks them
against `klynge compare --format json` and the results file:
  - probabilistic: the verdict; P(best), P(effect > 0) and expected loss per variant; one
    acceptability curve per variant; one dot per draw and non-baseline variant in the
    cost-effectiveness plane; the parameters and their distributions;
  - sweep: one panel per value of the other swept parameter, one line per non-baseline variant
    with a point per swept value, and the charted numbers are compare's effect per grid point;
  - a file without draws gets neither section (the page is as before);
  - no script errors.

usage: /usr/bin/python3 test_report_uncertainty.py --klynge BINARY --source REPO [--keep DIR]

Fails (never skips) when /usr/bin/chromium is missing: run scripts/setup.sh.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py  # Debian's python3-h5py

CHROMIUM = "/usr/bin/chromium"
ARGS = None
VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr", "area", "base"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children, self.text = [], ""

    def classes(self):
        return self.attrs.get("class", "").split()

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, tag=None, cls=None, **attrs):
        return [n for n in self.walk()
                if (tag is None or n.tag == tag) and (cls is None or cls in n.classes())
                and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, ident):
        found = [n for n in self.walk() if n.attrs.get("id") == ident]
        return found[0] if found else None

    def all_text(self):
        return self.text + "".join(c.all_text() for c in self.children)


class Tree(html.parser.HTMLParser):
    """The dumped DOM as a small tree (tag, attributes, text)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.at = self.root
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.at)
        self.at.children.append(node)
        if tag not in VOID:
            self.at = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.at = self.at.parent

    def handle_endtag(self, tag):
        node = self.at
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.at = node.parent

    def handle_data(self, data):
        # Text after a child goes to the parent too: all_text() keeps reading order well enough
        # for the cells and paragraphs read here.
        self.at.text += data


def chromium_dom(url, profile, env):
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
         "--virtual-time-budget=5000", "--dump-dom", url],
        capture_output=True, text=True, timeout=180, env=env)
    if done.returncode != 0 or "<html" not in done.stdout:
        raise AssertionError("chromium --dump-dom failed (%d):\n%s"
                             % (done.returncode, done.stderr[-3000:]))
    return done.stdout


def percent(share):
    """The page's rendering of a share (report_uncertainty.cpp, percent())."""
    if share <= 0:
        return "0%"
    if share >= 1:
        return "100%"
    if share < 0.005:
        return "<1%"
    if share > 0.995:
        return ">99%"
    return "%.0f%%" % (100 * share)


class Page:
    """One results file through run, compare (json) and report, and the page in Chromium."""

    def __init__(self, tmp, env, scenario_path, name):
        self.h5 = os.path.join(tmp, name + ".h5")
        self.html = os.path.join(tmp, name + ".html")
        subprocess.run([ARGS.klynge, "run", scenario_path, "-o", self.h5, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        done = subprocess.run([ARGS.klynge, "report", self.h5, "-o", self.html, "--quiet"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError("klynge report failed (%d): %s" % (done.returncode, done.stderr))
        done = subprocess.run([ARGS.klynge, "compare", self.h5, "--format", "json"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise AssertionError("klynge compare failed (%d): %s"
                                 % (done.returncode, done.stderr))
        self.compare = json.loads(done.stdout)
        with open(self.html, encoding="utf-8") as f:
            self.source = f.read()
        profile = tempfile.mkdtemp(prefix="profile-", dir=tmp)
        self.dom = Tree(chromium_dom("file://" + os.path.abspath(self.html), profile, env)).root
        self.body = self.dom.find_all("body")[0]

    def data_block(self):
        m = re.search(r'<script type="application/json" id="klynge-uncertainty">(.*?)</script>',
                      self.source, re.S)
        return json.loads(m.group(1)) if m else None

    def script_errors(self):
        box = self.dom.by_id("script-errors")
        return None if box is None else box.all_text().strip()


class ReportOfDraws(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHROMIUM):
            raise AssertionError(
                "%s is missing: the report's browser test needs Debian's chromium package; "
                "run scripts/setup.sh (as root) to install it" % CHROMIUM)
        cls.tmp = ARGS.keep or tempfile.mkdtemp(prefix="klynge-report-uncertainty-")
        os.makedirs(cls.tmp, exist_ok=True)
        env = dict(os.environ, HOME=cls.tmp)  # chromium wants a writable home
        scenarios = os.path.join(ARGS.source, "tests", "scenarios")
        cls.psa = Page(cls.tmp, env, os.path.join(scenarios, "psa_small.yaml"), "psa")
        cls.sweep = Page(cls.tmp, env, os.path.join(scenarios, "sweep_small.yaml"), "sweep")
        cls.morris = Page(cls.tmp, env, os.path.join(scenarios, "morris_small.yaml"), "morris")
        # The same scenario without its `uncertainty:` section: an ordinary file.
        with open(os.path.join(scenarios, "psa_small.yaml"), encoding="utf-8") as f:
            text = f.read()
        text = text[:text.index("\nuncertainty:")] + "\n"
        text = text.replace("../../scenarios/",
                            os.path.join(os.path.abspath(ARGS.source), "scenarios") + "/")
        plain = os.path.join(cls.tmp, "plain.yaml")
        with open(plain, "w", encoding="utf-8") as f:
            f.write(text)
        cls.plain = Page(cls.tmp, env, plain, "plain")

    @classmethod
    def tearDownClass(cls):
        if not ARGS.keep and getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    # ---- every page ----

    def test_no_script_errors_and_the_script_finished(self):
        for page in (self.psa, self.sweep, self.plain, self.morris):
            self.assertEqual(page.script_errors(), "", page.html)
            self.assertEqual(page.body.attrs.get("data-rendered"), "true", page.html)

    def test_pages_are_self_contained(self):
        for page in (self.psa, self.sweep, self.plain):
            for forbidden in ("http://", "https://", "<link", " src="):
                self.assertNotIn(forbidden, page.source, page.html)

    def test_a_file_without_draws_has_neither_section(self):
        self.assertNotIn("uncertainty", self.plain.compare)
        self.assertIsNone(self.plain.data_block())
        self.assertIsNone(self.plain.dom.by_id("uncertainty"))
        self.assertIsNone(self.plain.dom.by_id("sweep"))
        self.assertNotIn("data-uncertainty-charts", self.plain.body.attrs)
        self.assertIsNotNone(self.plain.dom.by_id("ranking"))

    # ---- a global-sensitivity design: the tornado ----

    def test_tornado_has_a_bar_per_parameter_in_sensitivitys_order(self):
        done = subprocess.run([ARGS.klynge, "sensitivity", self.morris.h5, "--effect", "--format",
                               "json"], capture_output=True, text=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        expected = json.loads(done.stdout)
        names = [p["name"] for p in expected["parameters"]]
        self.assertGreaterEqual(len(names), 2)
        svg = self.morris.dom.by_id("u-tornado-svg")
        self.assertIsNotNone(svg, "no tornado chart on a Morris file")
        bars = svg.find_all("g", cls="tornado-bar")
        self.assertEqual([b.attrs.get("data-parameter") for b in bars], names)
        for bar in bars:
            self.assertEqual(len(bar.find_all("rect")), 1)
        self.assertEqual(self.morris.body.attrs.get("data-uncertainty-charts"), "3")
        block = self.morris.data_block()["sensitivity"]
        for got, want in zip(block["parameters"], expected["parameters"]):
            self.assertAlmostEqual(got["estimate"], want["estimate"], places=8)
        # No tornado where the draws are a sample, not a design.
        self.assertIsNone(self.psa.dom.by_id("u-tornado-svg"))
        self.assertIsNone(self.psa.data_block()["sensitivity"])

    # ---- a probabilistic run ----

    def robust(self):
        return self.psa.compare["uncertainty"]

    def test_psa_charts_were_drawn(self):
        self.assertEqual(self.psa.body.attrs.get("data-uncertainty-charts"), "2")
        self.assertIsNotNone(self.psa.dom.by_id("uncertainty"))
        # The ordinary page is still there.
        self.assertIsNotNone(self.psa.dom.by_id("ranking"))
        self.assertGreater(int(self.psa.body.attrs.get("data-charts", "0")), 0)

    def test_the_verdict_is_compares(self):
        verdict = self.psa.dom.by_id("u-verdict")
        self.assertIsNotNone(verdict)
        self.assertEqual(verdict.all_text().strip(), self.robust()["verdict"])
        self.assertIn("plausible worlds", verdict.all_text())

    def test_one_acceptability_curve_per_variant(self):
        svg = self.psa.dom.by_id("u-ceac-svg")
        variants = [v["name"] for v in self.robust()["variants"]]
        lines = svg.find_all("path", cls="line")
        self.assertEqual(len(lines), len(variants))
        self.assertEqual(len(svg.find_all("path")), len(variants), "other paths in the CEAC")
        self.assertEqual(sorted(g.attrs["data-variant"] for g in svg.find_all("g", cls="series")),
                         sorted(variants))
        for line in lines:
            # as many points as lambdas: one M and len(lambdas) - 1 L commands
            self.assertEqual(line.attrs["d"].count("L"), len(self.robust()["lambdas"]) - 1)
        # colour + dash: no two curves look alike
        looks = {(l.attrs.get("stroke"), l.attrs.get("stroke-dasharray")) for l in lines}
        self.assertEqual(len(looks), len(variants))
        text = svg.all_text()
        self.assertIn("probability of being the best choice", text)
        self.assertIn("DKK per pp", text)

    def test_the_plane_has_a_dot_per_draw_and_non_baseline_variant(self):
        svg = self.psa.dom.by_id("u-plane-svg")
        u = self.robust()
        others = [v for v in u["variants"] if not v["is_baseline"]]
        dots = svg.find_all("circle", cls="draw")
        self.assertEqual(len(dots), u["draws"] * len(others))
        self.assertEqual(u["draws"], 6)
        for v in others:
            group = [g for g in svg.find_all("g", cls="series")
                     if g.attrs["data-variant"] == v["name"]]
            self.assertEqual(len(group), 1)
            self.assertEqual(len(group[0].find_all("circle", cls="draw")), u["draws"])
            self.assertEqual(len(group[0].find_all("path", cls="mean")), 1)
        self.assertEqual(len(svg.find_all("path", cls="origin")), 1)
        # Dot d is draw d: more effect is further right, more cost further up (compare's plane).
        for v in others:
            group = [g for g in svg.find_all("g", cls="series")
                     if g.attrs["data-variant"] == v["name"]][0]
            dots = group.find_all("circle", cls="draw")
            for coordinate, values, sign in (("cx", v["plane"]["effect"], 1),
                                             ("cy", v["plane"]["incremental_cost_dkk"], -1)):
                at = [sign * float(c.attrs[coordinate]) for c in dots]
                by_value = sorted(range(len(values)), key=lambda d: values[d])
                for a, b in zip(by_value, by_value[1:]):
                    self.assertLessEqual(at[a], at[b] + 0.11, (coordinate, values))

    def test_the_table_shows_compares_probabilities(self):
        u = self.robust()
        rows = {r.attrs["data-variant"]: r
                for r in self.psa.dom.find_all("tr") if "data-p-best" in r.attrs}
        self.assertEqual(sorted(rows), sorted(v["name"] for v in u["variants"]))
        for v in u["variants"]:
            row = rows[v["name"]]
            self.assertEqual(float(row.attrs["data-p-best"]), v["p_best"])
            self.assertEqual(float(row.attrs["data-expected-loss"]), v["expected_loss"])
            if v["p_positive"] is not None:
                self.assertEqual(float(row.attrs["data-p-positive"]), v["p_positive"])
            cell = row.find_all("td", cls="p-best")[0].all_text().strip()
            self.assertEqual(cell, percent(v["p_best"]))
        # most often best first
        order = [r.attrs["data-variant"] for r in self.psa.dom.find_all("tr")
                 if "data-p-best" in r.attrs]
        best = [v["p_best"] for v in sorted(u["variants"], key=lambda v: order.index(v["name"]))]
        self.assertEqual(best, sorted(best, reverse=True))

    def test_the_parameters_and_their_distributions_are_listed(self):
        table = self.psa.dom.find_all("table", cls="u-parameters")[0]
        text = table.all_text()
        with h5py.File(self.psa.h5, "r") as f:
            values = f["uncertainty/values"][()]
        for j, p in enumerate(self.robust()["parameters"]):
            self.assertIn(p["name"], text)
            self.assertIn(p["distribution"], text)
        rows = table.find_all("tr")[1:]
        self.assertEqual(len(rows), values.shape[1])
        lowest = float(rows[0].find_all("td")[2].all_text())
        self.assertAlmostEqual(lowest, values[:, 0].min(), places=2)

    # ---- a sweep ----

    def test_sweep_has_a_panel_per_value_of_the_other_parameter(self):
        self.assertIsNotNone(self.sweep.dom.by_id("sweep"))
        self.assertIsNone(self.sweep.dom.by_id("uncertainty"))
        with h5py.File(self.sweep.h5, "r") as f:
            values = f["uncertainty/values"][()]
        # x: the parameter with most values (meetings.budget_dkk, 3); a panel per value of the
        # other (introductions per month, 2).
        panels = self.sweep.dom.find_all("svg", cls="u-sweep-svg")
        self.assertEqual(len(panels), len(set(values[:, 1])))
        self.assertEqual(self.sweep.body.attrs.get("data-uncertainty-charts"), str(len(panels)))
        u = self.sweep.compare["uncertainty"]
        others = [v for v in u["variants"] if not v["is_baseline"]]
        for svg in panels:
            self.assertEqual(len(svg.find_all("path", cls="line")), len(others))
            self.assertIn("meetings.budget_dkk", svg.all_text())
            for g in svg.find_all("g", cls="series"):
                self.assertEqual(len(g.find_all("circle", cls="pt")), len(set(values[:, 0])))
                self.assertEqual(len(g.find_all("line", cls="ci-bar")), len(set(values[:, 0])))
                self.assertEqual(g.find_all("path", cls="line")[0].attrs["d"].count("L"),
                                 len(set(values[:, 0])) - 1)

    def test_sweep_charts_compares_effect_at_every_grid_point(self):
        data = self.sweep.data_block()
        u = self.sweep.compare["uncertainty"]
        with h5py.File(self.sweep.h5, "r") as f:
            values = f["uncertainty/values"][()]
        self.assertEqual(data["x"]["name"], "meetings.budget_dkk")
        self.assertEqual(data["x"]["values"], sorted(set(values[:, 0])))
        names = [v["name"] for v in data["variants"]]
        checked = 0
        for panel in data["panels"]:
            level = float(panel["title"].split("=")[1])
            for s in panel["series"]:
                robust = next(v for v in u["variants"] if v["name"] == names[s["variant"]])
                for k, x in enumerate(data["x"]["values"]):
                    point = [i for i, row in enumerate(values) if row[0] == x and row[1] == level]
                    self.assertEqual(len(point), 1)
                    e = robust["effect_by_draw"][point[0]]
                    self.assertAlmostEqual(s["mean"][k], e["mean"], places=12)
                    if e["ci_low"] is not None:
                        self.assertAlmostEqual(s["lo"][k], e["ci_low"], places=12)
                        self.assertAlmostEqual(s["hi"][k], e["ci_high"], places=12)
                    checked += 1
        self.assertEqual(checked, len(values) * (len(names) - 1))
        # The table under the charts has a row per grid point.
        table = self.sweep.dom.find_all("table", cls="u-sweep-table")[0]
        self.assertEqual(len(table.find_all("tr")) - 1, len(values))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it (pages)")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
