"""Probabilistic runs (`uncertainty:`): the draws are deterministic and thread-independent, the
file says what was drawn, `compare` summarises the within-draw comparisons over the draws
(checked against a recomputation from the file), --resume works, and bad `uncertainty:` input
gets exit 2 with file:line:column, the key and the expected form. Run by ctest with
/usr/bin/python3 (h5py)."""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

ARGS = None


def scenario():
    return os.path.join(ARGS.source, "tests", "scenarios", "psa_small.yaml")


class Uncertainty(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
        import samebits
        cls.samebits = samebits
        cls.tmp = tempfile.mkdtemp(prefix="klynge-psa-")
        cls.out = {}
        for threads in (1, 2):
            path = os.path.join(cls.tmp, f"psa-{threads}.h5")
            subprocess.run([ARGS.klynge, "run", scenario(), "-o", path, "--threads", str(threads),
                            "--quiet"], check=True, stdout=subprocess.DEVNULL)
            cls.out[threads] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_same_bits_on_1_and_2_threads(self):
        a, b = self.samebits.digests(self.out[1]), self.samebits.digests(self.out[2])
        self.assertEqual(self.samebits.differences(a, b), [])

    def test_the_file_says_what_was_drawn(self):
        with h5py.File(self.out[1], "r") as f:
            self.assertEqual(f.attrs["draws"], 6)
            self.assertEqual(f.attrs["replicates_per_draw"], 3)
            self.assertEqual(f.attrs["replicates"], 18)
            g = f["uncertainty"]
            names = [x.decode() if isinstance(x, bytes) else x for x in g["parameter"][()]]
            self.assertEqual(names, ["project_share", "new_tie_trust",
                                     "matchmaking.introductions_per_month"])
            values, design = g["values"][()], g["design"][()]
            self.assertEqual(values.shape, (6, 3))
            self.assertTrue(((values[:, 0] >= 0.15) & (values[:, 0] <= 0.35)).all())
            self.assertTrue(((values[:, 1] >= 0.1) & (values[:, 1] <= 0.2)).all())
            self.assertTrue(set(values[:, 2]) <= {2.0, 4.0, 6.0})
            # Latin hypercube: one point in each of the 6 strata of every dimension.
            for j in range(3):
                self.assertEqual(sorted((design[:, j] * 6).astype(int)), list(range(6)))
            # uniform: value = lo + u (hi - lo)
            np.testing.assert_allclose(values[:, 0], 0.15 + design[:, 0] * 0.2, rtol=1e-12)
            np.testing.assert_array_equal(g["draw_of_replicate"][()], np.repeat(np.arange(6), 3))
            self.assertIn("draw", f)

    def test_the_draws_change_the_simulation(self):
        # project_share drives the market: draws differ in the baseline's project book.
        with h5py.File(self.out[1], "r") as f:
            names = [x.decode() if isinstance(x, bytes) else x for x in f["metric"][()]]
            book = f["variants/baseline/metrics"][:, 12, names.index("project_revenue_mdkk")]
            per_draw = book.reshape(6, 3).mean(axis=1)
            share = f["uncertainty/values"][:, 0]
            self.assertGreater(np.corrcoef(per_draw, share)[0, 1], 0.8)

    def test_compare_summarises_the_draws_as_recomputed_from_the_file(self):
        run = subprocess.run([ARGS.klynge, "compare", self.out[1], "--metric", "ties_partner",
                              "--at", "12", "--format", "json"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        u = json.loads(run.stdout)["uncertainty"]
        with h5py.File(self.out[1], "r") as f:
            names = [x.decode() if isinstance(x, bytes) else x for x in f["metric"][()]]
            m = names.index("ties_partner")
            level = {v: f[f"variants/{v}/metrics"][:, 12, m].reshape(6, 3) for v in f["variants"]}
        effect = {v: (level[v] - level["baseline"]).mean(axis=1) for v in level}
        variants = {v["name"]: v for v in u["variants"]}
        for name in ("meetings_only", "programme"):
            np.testing.assert_allclose(variants[name]["plane"]["effect"], effect[name])
            self.assertAlmostEqual(variants[name]["effect"]["median"], np.median(effect[name]))
            self.assertAlmostEqual(variants[name]["p_positive"], np.mean(effect[name] > 0))
        # P(best), ties split, recomputed; sums to 1; so does every acceptability point.
        order = list(variants)
        table = np.array([effect[v] for v in order])
        best = np.zeros(len(order))
        for d in range(6):
            winners = np.flatnonzero(table[:, d] == table[:, d].max())
            best[winners] += 1 / len(winners)
        for i, name in enumerate(order):
            self.assertAlmostEqual(variants[name]["p_best"], best[i] / 6)
        self.assertAlmostEqual(sum(v["p_best"] for v in u["variants"]), 1.0)
        for i in range(len(u["lambdas"])):
            self.assertAlmostEqual(sum(v["acceptability"][i] for v in u["variants"]), 1.0)
        # At lambda = 0 only cost counts: the cheapest (the baseline) is best in every draw.
        self.assertEqual(variants["baseline"]["acceptability"][0], 1.0)
        self.assertIn("plausible worlds", u["verdict"])
        table_run = subprocess.run([ARGS.klynge, "compare", self.out[1]], capture_output=True,
                                   text=True)
        self.assertIn("How sure are we?", table_run.stdout)
        self.assertIn("Verdict:", table_run.stdout)

    def test_resume_of_a_probabilistic_run(self):
        path = os.path.join(self.tmp, "resumed.h5")
        shutil.copy(self.out[1], path)
        with h5py.File(path, "r+") as f:  # pretend draws 4-5 never finished
            for v in f["variants"]:
                f[f"variants/{v}/completed"][12:] = 0
                f[f"variants/{v}/metrics"][12:] = np.nan
                f[f"variants/{v}/final_firms"][12:] = np.nan
            f.attrs["status"] = "incomplete"
        run = subprocess.run([ARGS.klynge, "run", scenario(), "-o", path, "--resume", "--quiet"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("36 of 54 replicates were already there", run.stdout)  # 3 variants x 12 rows
        a, b = self.samebits.digests(self.out[1]), self.samebits.digests(path)
        self.assertEqual(self.samebits.differences(a, b), [])

    def test_a_sweep_shows_each_variant_against_its_own_baseline_at_every_grid_point(self):
        path = os.path.join(self.tmp, "sweep.h5")
        subprocess.run([ARGS.klynge, "run", os.path.join(ARGS.source, "tests", "scenarios",
                                                         "sweep_small.yaml"),
                        "-o", path, "--quiet"], check=True, stdout=subprocess.DEVNULL)
        with h5py.File(path, "r") as f:
            self.assertEqual(f["uncertainty"].attrs["sampling"], "grid")
            values = f["uncertainty/values"][()]
            np.testing.assert_array_equal(values, [[0, 2], [0, 6], [60000, 2], [60000, 6],
                                                   [250000, 2], [250000, 6]])
            names = [x.decode() if isinstance(x, bytes) else x for x in f["metric"][()]]
            m = names.index("ties_knowledge")
            level = {v: f[f"variants/{v}/metrics"][:, 12, m].reshape(6, 4) for v in f["variants"]}
        run = subprocess.run([ARGS.klynge, "compare", path, "--metric", "ties_knowledge", "--at",
                              "12", "--format", "json"], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        u = json.loads(run.stdout)["uncertainty"]
        meetings = next(v for v in u["variants"] if v["name"] == "meetings_only")
        by_point = meetings["effect_by_draw"]
        expected = (level["meetings_only"] - level["baseline"]).mean(axis=1)
        np.testing.assert_allclose([p["mean"] for p in by_point], expected)
        # No envelope: the meetings cannot run, so the variant is the baseline exactly.
        self.assertEqual(by_point[0]["mean"], 0)
        # The whole envelope: an effect with its CI above zero.
        self.assertGreater(by_point[4]["ci_low"], 0)
        table = subprocess.run([ARGS.klynge, "compare", path], capture_output=True, text=True)
        self.assertIn("Sweep: 6 grid points", table.stdout)

    def test_uncertainty_and_sweep_exclude_each_other(self):
        err = self.bad("uncertainty:\n  parameters:\n    project_share: {uniform: [0.1, 0.3]}\n"
                       "sweep:\n  project_share: [0.2, 0.3]\n")
        self.assertIn("not both", err)
        err = self.bad("sweep:\n  project_share: [0.2, 3]\n")
        self.assertIn("sweep.project_share", err)

    def test_set_changes_a_parameter_in_every_variant_and_is_recorded(self):
        path = os.path.join(self.tmp, "set.h5")
        run = subprocess.run([ARGS.klynge, "run", os.path.join(ARGS.source, "tests", "golden",
                                                               "golden.yaml"),
                              "-o", path, "--quiet", "--set", "project_share=0.2", "--set",
                              "matchmaking.introductions_per_month=7"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        with h5py.File(path, "r") as f:
            self.assertIn("--set project_share=0.2", f.attrs["command_line"])
            resolved = f["variants/programme"].attrs["resolved_configuration"]
            self.assertIn("project_share: 0.2", resolved)
            self.assertIn("introductions_per_month: 7", resolved)
            self.assertIn("project_share: 0.2", f["variants/baseline"].attrs["resolved_configuration"])
        for bad, expected in [("project_shar=0.2", "did you mean 'project_share'"),
                              ("matchmaking.introductions_per_month=2.5", "expected an integer"),
                              ("project_share", "expected KEY=VALUE"),
                              ("project_share=2", "expected a number from 0 to")]:
            err = subprocess.run([ARGS.klynge, "validate", scenario(), "--set", bad],
                                 capture_output=True, text=True)
            self.assertEqual(err.returncode, 2, bad)
            self.assertIn(expected, err.stderr)

    def bad(self, section):
        path = self.edited("bad.yaml", lambda text: text[:text.index("uncertainty:")] + section)
        run = subprocess.run([ARGS.klynge, "validate", path], capture_output=True, text=True)
        self.assertEqual(run.returncode, 2, run.stdout + run.stderr)
        return run.stderr

    def edited(self, name, change):
        """psa_small.yaml with `change` applied to its text, data paths made absolute."""
        with open(scenario()) as f:
            text = change(f.read())
        text = text.replace("../../scenarios/",
                            os.path.join(os.path.abspath(ARGS.source), "scenarios") + "/")
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_a_disabled_block_is_checked_but_not_run(self):
        off = self.edited("off.yaml", lambda t: t.replace("uncertainty:\n",
                                                          "uncertainty:\n  enabled: false\n"))
        out = os.path.join(self.tmp, "off.h5")
        subprocess.run([ARGS.klynge, "run", off, "-o", out, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(out, "r") as f:
            self.assertNotIn("uncertainty", f)
            self.assertEqual(int(f.attrs["replicates"]), 3)  # the top-level count, one set
        # Still checked: a typo in a disabled block is exit 2 like any other.
        err = self.bad("uncertainty:\n  enabled: false\n  parameters:\n"
                       "    project_shar: {uniform: [0.1, 0.3]}\n")
        self.assertIn("uncertainty.parameters.project_shar", err)
        err = self.bad("uncertainty:\n  enabled: maybe\n  parameters:\n"
                       "    project_share: {uniform: [0.1, 0.3]}\n")
        self.assertIn("uncertainty.enabled", err)

    def test_the_block_may_set_its_own_replicates_per_draw(self):
        own = self.edited("own.yaml", lambda t: t.replace("uncertainty:\n",
                                                          "uncertainty:\n  replicates: 2\n"))
        out = os.path.join(self.tmp, "own.h5")
        subprocess.run([ARGS.klynge, "run", own, "-o", out, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        with h5py.File(out, "r") as f:
            self.assertEqual(int(f["uncertainty"].attrs["replicates_per_draw"]), 2)
            self.assertEqual(int(f.attrs["replicates"]), 2 * int(f["uncertainty"].attrs["draws"]))

    def test_the_workshop_scenario_ships_a_valid_disabled_block(self):
        workshop = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        with open(workshop) as f:
            text = f.read()
        self.assertIn("uncertainty:\n  enabled: false\n", text)
        # Switched on (next to the original, so the data paths resolve), it is a valid PSA.
        on = os.path.join(os.path.dirname(workshop), ".klynge-test-psa-on.yaml")
        with open(on, "w") as f:
            f.write(text.replace("  enabled: false\n", "  enabled: true\n", 1))
        try:
            run = subprocess.run([ARGS.klynge, "validate", on, "--resolved"], capture_output=True,
                                 text=True)
        finally:
            os.unlink(on)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("draws: 500", run.stdout)
        self.assertIn("replicates: 20", run.stdout)

    def test_bad_uncertainty_input_is_exit_2_with_position_key_and_form(self):
        err = self.bad("uncertainty:\n  draws: 4\n  parameters:\n    project_shar: {uniform: [0.1, 0.3]}\n")
        self.assertIn("bad.yaml:25:5: uncertainty.parameters.project_shar", err)
        self.assertIn("project_shar", err)
        self.assertIn("project_share", err)  # did you mean
        err = self.bad("uncertainty:\n  parameters:\n    project_share: {uniform: [0.3, 0.1]}\n")
        self.assertIn("uncertainty.parameters.project_share", err)
        self.assertIn("impossible distribution", err)
        err = self.bad("uncertainty:\n  parameters:\n    project_share: {uniform: [0.1, 3]}\n")
        self.assertIn("valid range", err)
        err = self.bad("uncertainty:\n  draws: 0\n  parameters:\n    project_share: {uniform: [0.1, 0.3]}\n")
        self.assertIn("draws", err)
        err = self.bad("uncertainty:\n  parameters:\n    name: {uniform: [1, 2]}\n")
        self.assertIn("unknown model parameter", err)
        err = self.bad("uncertainty:\n  parameters:\n    matchmaking.colour: {values: [1, 2]}\n")
        self.assertIn("not a parameter of matchmaking", err)
        err = self.bad("uncertainty:\n  parameters:\n    project_share: {gaussian: [0.2, 0.1]}\n")
        self.assertIn("uniform", err)
        err = self.bad("uncertainty:\n  parameters:\n    project_share: 0.2\n")
        self.assertIn("one distribution", err)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
