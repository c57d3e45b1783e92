"""The report renders in a real browser: `klynge demo` writes results.h5 and report.html, then
headless Chromium (Debian's `chromium`, installed by scripts/setup.sh) loads the page offline,
runs its script and dumps the resulting DOM; the test asserts that the charts and the network were
drawn, that every firm has a circle in every network panel and ties have lines, and that no script
error occurred. A second run takes a screenshot (PNG).

usage: /usr/bin/python3 test_report_browser.py --klynge BINARY --source REPO [--keep DIR]

Fails (never skips) when /usr/bin/chromium is missing: run scripts/setup.sh.
"""
import argparse
import html.parser
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

CHROMIUM = "/usr/bin/chromium"
ARGS = None


class DomSummary(html.parser.HTMLParser):
    """Counts what the test needs in the dumped DOM, by the enclosing SVG's class."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body = {}
        self.stack = []  # open elements: (tag, attrs)
        self.svgs = []  # [{"class": ..., "counts": {tag: n}, "classes": {class: n}}]
        self.current_svg = None
        self.errors_text = None
        self._in_errors = 0
        self.json_blocks = 0

    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr", "area", "base"}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if tag == "script" and a.get("type") == "application/json":
            self.json_blocks += 1
        if tag == "svg" and self.current_svg is None:
            self.current_svg = {"class": a.get("class", ""), "counts": {}, "classes": {}}
            self.svgs.append(self.current_svg)
        elif self.current_svg is not None:
            self.current_svg["counts"][tag] = self.current_svg["counts"].get(tag, 0) + 1
            for c in a.get("class", "").split():
                self.current_svg["classes"][c] = self.current_svg["classes"].get(c, 0) + 1
        if a.get("id") == "script-errors":
            self._in_errors = len(self.stack) + 1
            self.errors_text = ""
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        while self.stack:
            top = self.stack.pop()
            if self._in_errors and len(self.stack) < self._in_errors:
                self._in_errors = 0
            if top == "svg" and "svg" not in self.stack:
                self.current_svg = None
            if top == tag:
                break

    def handle_data(self, data):
        if self._in_errors:
            self.errors_text += data


def chromium_args(profile):
    return [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile,
        "--virtual-time-budget=5000",
    ]


class ReportInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CHROMIUM):
            raise AssertionError(
                "%s is missing: the report's browser test needs Debian's chromium package; "
                "run scripts/setup.sh (as root) to install it" % CHROMIUM)
        cls.tmp = ARGS.keep or tempfile.mkdtemp(prefix="klynge-report-browser-")
        os.makedirs(cls.tmp, exist_ok=True)
        cls.demo_dir = os.path.join(cls.tmp, "demo")
        shutil.rmtree(cls.demo_dir, ignore_errors=True)
        cls.env = dict(os.environ, HOME=cls.tmp)  # chromium wants a writable home
        done = subprocess.run(
            [ARGS.klynge, "demo", "-o", cls.demo_dir, "--replicates", "8", "--quiet"],
            capture_output=True, text=True, timeout=600)
        cls.demo_stdout = done.stdout
        if done.returncode != 0:
            raise AssertionError("klynge demo failed (%d):\n%s\n%s"
                                 % (done.returncode, done.stdout, done.stderr))
        cls.report = os.path.join(cls.demo_dir, "report.html")
        cls.url = "file://" + os.path.abspath(cls.report)

        profile = tempfile.mkdtemp(prefix="profile-", dir=cls.tmp)
        dump = subprocess.run(chromium_args(profile) + ["--dump-dom", cls.url],
                              capture_output=True, text=True, timeout=180, env=cls.env)
        cls.dom = dump.stdout
        cls.chromium_stderr = dump.stderr
        if dump.returncode != 0 or "<html" not in cls.dom:
            raise AssertionError("chromium --dump-dom failed (%d):\n%s"
                                 % (dump.returncode, dump.stderr[-3000:]))
        cls.summary = DomSummary()
        cls.summary.feed(cls.dom)

        # The number of firms, from the results file itself (independent of the page).
        import h5py  # Debian's python3-h5py
        with h5py.File(os.path.join(cls.demo_dir, "results.h5"), "r") as f:
            cls.firms = int(f["firm"].shape[0])
            cls.pseudonyms = [s.decode() if isinstance(s, bytes) else s for s in f["firm"][()]]

    @classmethod
    def tearDownClass(cls):
        if not ARGS.keep and getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_demo_says_how_to_open_the_report(self):
        self.assertIn("Ranking", self.demo_stdout)
        self.assertIn("in a browser", self.demo_stdout)
        self.assertIn(self.report, self.demo_stdout)

    def test_page_is_self_contained(self):
        with open(self.report, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn("http://", text)
        self.assertNotIn("https://", text)
        self.assertNotIn("<link", text)
        self.assertNotIn(" src=", text)

    def test_no_script_errors(self):
        self.assertIsNotNone(self.summary.errors_text, "no #script-errors container in the DOM")
        self.assertEqual(self.summary.errors_text.strip(), "",
                         "script errors: " + self.summary.errors_text)

    def test_script_ran_to_the_end(self):
        self.assertEqual(self.summary.body.get("data-rendered"), "true",
                         "the page's script did not finish (body attributes: %r)"
                         % self.summary.body)

    def test_charts_were_drawn(self):
        charts = [s for s in self.summary.svgs if "chart-svg" in s["class"]]
        self.assertGreaterEqual(len(charts), 5)
        for chart in charts:
            self.assertGreater(chart["counts"].get("path", 0), 0, "a chart without paths")
            self.assertGreater(chart["classes"].get("line", 0), 0, "a chart without mean lines")
            self.assertGreater(chart["classes"].get("band", 0), 0, "a chart without bands")
        self.assertGreater(int(self.summary.body.get("data-charts", "0")), 0)

    def test_network_was_drawn(self):
        panels = [s for s in self.summary.svgs if "network-svg" in s["class"]]
        self.assertEqual(len(panels), 2, "expected two network panels")
        self.assertEqual(self.summary.body.get("data-network-panels"), "2")
        for panel in panels:
            # The script draws one circle per firm and one line per live tie.
            self.assertEqual(panel["counts"].get("circle", 0), self.firms)
            self.assertGreater(panel["counts"].get("line", 0), 0, "no ties drawn")
            self.assertEqual(panel["classes"].get("tie", 0), panel["counts"].get("line", 0))
            self.assertGreater(panel["classes"].get("participant", 0), 0)

    def test_pseudonyms_are_tooltips(self):
        # Every firm's pseudonym is in a <title> in the drawn network (hover text).
        for pseudonym in self.pseudonyms[:5]:
            self.assertIn("<title>%s \u00b7" % pseudonym, self.dom)

    def test_screenshot(self):
        shot = os.path.join(self.tmp, "report.png")
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.tmp)
        done = subprocess.run(
            chromium_args(profile) + ["--hide-scrollbars", "--window-size=1280,3600",
                                      "--screenshot=" + shot, self.url],
            capture_output=True, text=True, timeout=180, env=self.env)
        self.assertEqual(done.returncode, 0, done.stderr[-3000:])
        self.assertTrue(os.path.exists(shot), "no screenshot written")
        with open(shot, "rb") as f:
            header = f.read(24)
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        width = int.from_bytes(header[16:20], "big")
        height = int.from_bytes(header[20:24], "big")
        self.assertEqual((width, height), (1280, 3600))
        self.assertGreater(os.path.getsize(shot), 50_000, "the screenshot looks blank")


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it (report, screenshot)")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
