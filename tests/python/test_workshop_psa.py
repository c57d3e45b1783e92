"""The workshop scenario's shipped `uncertainty:` block, switched on, at its full 500 draws (2
replicates per draw instead of 20, to keep the suite short: 7,000 simulations): `compare` gives
the probabilities of being best and the acceptability curves, and the report shows them in
headless Chromium with the same numbers (issue 11, "done when"). The page machinery itself is
tested in detail on small files by test_report_uncertainty.py, whose Page helper this reuses.

usage: /usr/bin/python3 test_workshop_psa.py --klynge BINARY --source REPO [--keep DIR]
"""
import argparse
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_report_uncertainty as pages  # noqa: E402

ARGS = None
DRAWS = 500


class WorkshopPsa(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.path.exists(pages.CHROMIUM):
            raise AssertionError("%s is missing: run scripts/setup.sh (as root)" % pages.CHROMIUM)
        pages.ARGS = ARGS
        cls.tmp = ARGS.keep or tempfile.mkdtemp(prefix="klynge-workshop-psa-")
        os.makedirs(cls.tmp, exist_ok=True)
        workshop = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        with open(workshop, encoding="utf-8") as f:
            text = f.read()
        for old, new in (("  enabled: false\n", "  enabled: true\n"),
                         ("  replicates: 20\n", "  replicates: 2\n"),
                         ("detail_replicates: 3", "detail_replicates: 1")):
            if old not in text:
                raise AssertionError("the workshop scenario no longer has %r" % old)
            text = text.replace(old, new, 1)
        # Beside the original, so that its relative data paths resolve.
        scenario = os.path.join(os.path.dirname(workshop), ".klynge-test-workshop-psa.yaml")
        with open(scenario, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            env = dict(os.environ, HOME=cls.tmp)
            cls.page = pages.Page(cls.tmp, env, scenario, "workshop-psa")
        finally:
            os.unlink(scenario)

    @classmethod
    def tearDownClass(cls):
        if not ARGS.keep and getattr(cls, "tmp", None):
            shutil.rmtree(cls.tmp, ignore_errors=True)

    def robust(self):
        return self.page.compare["uncertainty"]

    def test_compare_has_the_draws_probabilities_and_curves(self):
        u = self.robust()
        self.assertEqual(u["draws"], DRAWS)
        self.assertEqual(len(u["variants"]), 7)
        self.assertAlmostEqual(sum(v["p_best"] for v in u["variants"]), 1.0, places=9)
        for v in u["variants"]:
            self.assertEqual(len(v["acceptability"]), len(u["lambdas"]))
        self.assertIn("of %d plausible worlds" % DRAWS, u["verdict"])

    def test_the_report_draws_them_with_compares_numbers(self):
        self.assertEqual(self.page.script_errors(), "")
        self.assertEqual(self.page.body.attrs.get("data-rendered"), "true")
        self.assertEqual(self.page.body.attrs.get("data-uncertainty-charts"), "2")
        u = self.robust()
        self.assertEqual(self.page.dom.by_id("u-verdict").all_text().strip(), u["verdict"])
        curves = self.page.dom.by_id("u-ceac-svg").find_all("path", cls="line")
        self.assertEqual(len(curves), len(u["variants"]))
        dots = self.page.dom.by_id("u-plane-svg").find_all("circle", cls="draw")
        self.assertEqual(len(dots), DRAWS * (len(u["variants"]) - 1))
        rows = {r.attrs["data-variant"]: r
                for r in self.page.dom.find_all("tr") if "data-p-best" in r.attrs}
        for v in u["variants"]:
            self.assertEqual(float(rows[v["name"]].attrs["data-p-best"]), v["p_best"])


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="work in this folder and keep it")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
