"""`klynge sensitivity` end to end: tiny `sampling: saltelli` and `sampling: morris` scenarios
(tests/scenarios/sobol_small.yaml, morris_small.yaml) through `run` and `sensitivity` in all three
formats. Checks the file's self-description of the design, determinism (threads, repeated runs),
the indices against a recomputation from the file with numpy, the known answers (the baseline runs
no intervention, so `matchmaking.introductions_per_month` cannot change its project revenue, while
`project_share` sizes the project market), incomplete files, and exit 2 with a clear message for
the wrong kind of file, unknown names and bad `sampling:`/`levels:` input. Run by ctest with
/usr/bin/python3 (h5py)."""
import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

ARGS = None
OUTPUT = ["--metric", "project_revenue_mdkk", "--at", "12"]  # the baseline's level at month 12
DEAD = "matchmaking.introductions_per_month"  # no matchmaking in the baseline
STRONG = "project_share"


def scenario(name):
    return os.path.join(ARGS.source, "tests", "scenarios", name)


def klynge(*args):
    return subprocess.run([ARGS.klynge, *args], capture_output=True, text=True)


def names(dataset):
    return [x.decode() if isinstance(x, bytes) else x for x in dataset[()]]


class Sensitivity(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="klynge-sens-")
        cls.files = {}
        for design, threads in (("sobol", 1), ("sobol", 2), ("morris", 1), ("morris", 2)):
            path = os.path.join(cls.tmp, f"{design}-{threads}.h5")
            subprocess.run([ARGS.klynge, "run", scenario(f"{design}_small.yaml"), "-o", path,
                            "--threads", str(threads), "--quiet"], check=True,
                           stdout=subprocess.DEVNULL)
            cls.files[design, threads] = path

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def sensitivity(self, path, *args):
        run = klynge("sensitivity", path, *args)
        self.assertEqual(run.returncode, 0, run.stderr)
        return run.stdout

    def json(self, path, *args):
        return json.loads(self.sensitivity(path, *args, "--format", "json"))

    # --- the file describes its design ---------------------------------------------------------

    def test_saltelli_file_describes_its_design(self):
        with h5py.File(self.files["sobol", 1], "r") as f:
            g = f["uncertainty"]
            self.assertEqual(g.attrs["sampling"], "saltelli")
            self.assertEqual(g.attrs["base_points"], 8)
            self.assertEqual(g.attrs["dimensions"], 3)
            self.assertEqual(g.attrs["draws"], 8 * (3 + 2))
            self.assertEqual(f.attrs["replicates"], 40 * 2)
            design = g["design"][()].reshape(8, 5, 3)
            # Rows per base point: A, A with column i from B (i = 0..2), B.
            for k in range(8):
                a, b = design[k, 0], design[k, 4]
                for i in range(3):
                    expected = a.copy()
                    expected[i] = b[i]
                    np.testing.assert_array_equal(design[k, 1 + i], expected)
            values = g["values"][()]
            np.testing.assert_allclose(values[:, 0], 0.1 + 0.3 * g["design"][:, 0], rtol=1e-12)

    def test_morris_file_describes_its_design(self):
        with h5py.File(self.files["morris", 1], "r") as f:
            g = f["uncertainty"]
            self.assertEqual(g.attrs["sampling"], "morris")
            self.assertEqual(g.attrs["trajectories"], 6)
            self.assertEqual(g.attrs["levels"], 4)
            self.assertEqual(g.attrs["dimensions"], 3)
            self.assertEqual(g.attrs["draws"], 6 * (3 + 1))
            design, values = g["design"][()], g["values"][()]
            # Grid levels l/3; each trajectory step moves exactly one parameter by 2/3.
            np.testing.assert_allclose(design * 3, np.round(design * 3), atol=1e-12)
            for t in range(6):
                rows = design[t * 4:(t + 1) * 4]
                for s in range(3):
                    moved = np.flatnonzero(rows[s + 1] != rows[s])
                    self.assertEqual(len(moved), 1)
                    self.assertAlmostEqual(abs(rows[s + 1][moved[0]] - rows[s][moved[0]]), 2 / 3)
            # The quantile is taken at the centre of the level's stratum, (l + 1/2) / 4.
            levels = np.round(design[:, 0] * 3)
            np.testing.assert_allclose(values[:, 0], 0.1 + 0.3 * (levels + 0.5) / 4, rtol=1e-12)

    # --- formats, determinism, known answers ------------------------------------------------------

    def test_three_formats_agree(self):
        for design, measure, second in (("sobol", "ST", "S1"), ("morris", "mu_star", "mu")):
            path = self.files[design, 1]
            doc = self.json(path, *OUTPUT)
            self.assertEqual(doc["method"], design)
            self.assertEqual(doc["measure"], measure)
            self.assertEqual(doc["output"]["metric"], "project_revenue_mdkk")
            self.assertEqual(doc["output"]["variant"], "baseline")
            self.assertFalse(doc["output"]["effect"])
            self.assertEqual(doc["output"]["month"], 12)
            self.assertEqual(doc["design"]["parameters"], 3)
            self.assertEqual(doc["design"]["dropped_incomplete"], 0)
            self.assertEqual([p["rank"] for p in doc["parameters"]], [1, 2, 3])
            estimates = [p["estimate"] for p in doc["parameters"]]
            self.assertEqual(estimates, sorted(estimates, reverse=True))
            for p in doc["parameters"]:
                self.assertLessEqual(p["ci_low"], p["estimate"] + 1e-12)
                self.assertGreaterEqual(p["ci_high"], p["estimate"] - 1e-12)
            rows = list(csv.DictReader(io.StringIO(self.sensitivity(path, *OUTPUT, "--format",
                                                                    "csv"))))
            self.assertEqual(list(rows[0].keys()),
                             ["parameter", "measure", "estimate", "ci_low", "ci_high", "n"])
            by = {(r["parameter"], r["measure"]): r for r in rows}
            for p in doc["parameters"]:
                self.assertAlmostEqual(float(by[p["name"], measure]["estimate"]), p["estimate"])
                self.assertIn((p["name"], second), by)
            # The CSV lists the parameters in the JSON's order (most influential first).
            self.assertEqual([r["parameter"] for r in rows if r["measure"] == measure],
                             [p["name"] for p in doc["parameters"]])
            table = self.sensitivity(path, *OUTPUT)
            self.assertIn("project revenue", table)
            self.assertIn("mu*" if design == "morris" else "ST [95% CI]", table)
            positions = [table.index("\n" + p["name"] + " ") for p in doc["parameters"]]
            self.assertEqual(positions, sorted(positions))

    def test_deterministic_across_threads_and_runs(self):
        for design in ("sobol", "morris"):
            for fmt in ("table", "csv", "json"):
                a = self.sensitivity(self.files[design, 1], "--effect", "--format", fmt)
                b = self.sensitivity(self.files[design, 2], "--effect", "--format", fmt)
                c = self.sensitivity(self.files[design, 1], "--effect", "--format", fmt)
                a, b = a.replace(self.files[design, 1], "F"), b.replace(self.files[design, 2], "F")
                self.assertEqual(a, b, f"{design} {fmt}: 1 vs 2 threads")
                self.assertEqual(a, c.replace(self.files[design, 1], "F"))

    def test_dead_parameter_is_zero_and_strong_one_first(self):
        sobol = self.json(self.files["sobol", 1], *OUTPUT)
        by = {p["name"]: p for p in sobol["parameters"]}
        self.assertEqual(sobol["parameters"][0]["name"], STRONG)
        self.assertGreater(by[STRONG]["ST"]["estimate"], 0.3)
        self.assertGreater(by[STRONG]["ST"]["ci_low"], 0)
        # Common random numbers: the baseline's replicates are bit-identical whatever the
        # matchmaking parameter, so f(A) = f(A_B) exactly and the index is exactly 0.
        self.assertEqual(by[DEAD]["ST"]["estimate"], 0)
        self.assertEqual(by[DEAD]["S1"]["estimate"], 0)
        morris = self.json(self.files["morris", 1], *OUTPUT)
        by = {p["name"]: p for p in morris["parameters"]}
        self.assertEqual(morris["parameters"][0]["name"], STRONG)
        self.assertEqual(by[DEAD]["mu_star"], 0)
        self.assertEqual(by[DEAD]["count"], 6)
        self.assertGreater(by[STRONG]["mu_star"], 2 * morris["parameters"][1]["mu_star"])
        self.assertGreater(by[STRONG]["mu"], 0)  # a bigger project market, more project revenue
        # In the programme's effect the matchmaking parameter does matter.
        effect = self.json(self.files["morris", 1], "--effect")
        self.assertEqual(effect["output"]["variant"], "programme")
        self.assertEqual(effect["output"]["baseline"], "baseline")
        self.assertGreater({p["name"]: p for p in effect["parameters"]}[DEAD]["mu_star"], 0)

    def outputs_from_file(self, path):
        """The per-draw output recomputed from the file: the baseline's project revenue at
        month 12, averaged over the draw's replicates."""
        with h5py.File(path, "r") as f:
            metric = names(f["metric"]).index("project_revenue_mdkk")
            per = f.attrs["replicates_per_draw"]
            y = f["variants/baseline/metrics"][:, 12, metric]
            return y.reshape(-1, per).mean(axis=1), f["uncertainty/design"][()]

    def test_sobol_indices_match_a_recomputation(self):
        y, _ = self.outputs_from_file(self.files["sobol", 1])
        groups = y.reshape(8, 5)
        a, ab, b = groups[:, 0], groups[:, 1:4], groups[:, 4]
        mean = np.concatenate([a, b]).mean()
        var = np.concatenate([a, b]).var()
        first = ((b - mean)[:, None] * (ab - a[:, None])).mean(axis=0) / var  # Saltelli 2010
        total = 0.5 * ((a[:, None] - ab) ** 2).mean(axis=0) / var              # Jansen
        doc = self.json(self.files["sobol", 1], *OUTPUT)
        order = ["project_share", "local_win_share", DEAD]
        by = {p["name"]: p for p in doc["parameters"]}
        for i, name in enumerate(order):
            self.assertAlmostEqual(by[name]["ST"]["estimate"], total[i], places=8)
            self.assertAlmostEqual(by[name]["S1"]["estimate"], first[i], places=8)
        self.assertLess(abs(doc["output_variance"] - var), 1e-9 * var)  # JSON: 10 digits

    def test_morris_effects_match_a_recomputation(self):
        y, design = self.outputs_from_file(self.files["morris", 1])
        effects = [[] for _ in range(3)]
        for t in range(6):
            for s in range(3):
                r = t * 4 + s
                j = int(np.flatnonzero(design[r + 1] != design[r])[0])
                effects[j].append((y[r + 1] - y[r]) / (design[r + 1, j] - design[r, j]))
        doc = self.json(self.files["morris", 1], *OUTPUT)
        by = {p["name"]: p for p in doc["parameters"]}
        for j, name in enumerate(["project_share", "local_win_share", DEAD]):
            e = np.array(effects[j])
            self.assertAlmostEqual(by[name]["mu_star"], np.abs(e).mean(), places=6)
            self.assertAlmostEqual(by[name]["mu"], e.mean(), places=6)
            self.assertAlmostEqual(by[name]["sigma"], e.std(ddof=1), places=6)

    def test_incomplete_file_uses_complete_groups_only(self):
        path = os.path.join(self.tmp, "incomplete.h5")
        shutil.copy(self.files["sobol", 1], path)
        with h5py.File(path, "r+") as f:
            done = f["variants/programme/completed"]
            row = (3 * 5 + 2) * 2 + 1  # base point 3, its second A_B row, second replicate
            flags = done[()]
            flags[row] = 0
            done[...] = flags
        run = klynge("sensitivity", path, *OUTPUT, "--format", "json")
        self.assertEqual(run.returncode, 0, run.stderr)
        doc = json.loads(run.stdout)
        self.assertEqual(doc["design"]["dropped_incomplete"], 1)
        self.assertEqual(doc["design"]["used"], 7)
        self.assertIn("1 of 8 base points are incomplete", run.stderr)
        self.assertIn("1 of 8 base points are incomplete", doc["warnings"][0])
        table = klynge("sensitivity", path, *OUTPUT).stdout
        self.assertIn("warning: 1 of 8 base points are incomplete", table)

    def test_resume_completes_an_interrupted_design(self):
        # An interrupted file (the later replicate rows unfinished) resumed with --resume gives the
        # same datasets and the same indices as the uninterrupted run.
        sys.path.insert(0, os.path.join(ARGS.source, "scripts"))
        import samebits
        path = os.path.join(self.tmp, "resumed.h5")
        shutil.copy(self.files["morris", 1], path)
        with h5py.File(path, "r+") as f:
            for name in ("baseline", "programme"):
                done = f[f"variants/{name}/completed"]
                flags = done[()]
                flags[29:] = 0
                done[...] = flags
            f.attrs["status"] = "incomplete"
        partial = klynge("sensitivity", path, "--format", "json")
        self.assertEqual(partial.returncode, 0, partial.stderr)
        self.assertEqual(json.loads(partial.stdout)["design"]["dropped_incomplete"], 3)
        subprocess.run([ARGS.klynge, "run", scenario("morris_small.yaml"), "-o", path, "--resume",
                        "--quiet"], check=True, stdout=subprocess.DEVNULL)
        self.assertEqual(samebits.differences(samebits.digests(path),
                                              samebits.digests(self.files["morris", 1])), [])
        self.assertEqual(self.sensitivity(path, "--format", "csv"),
                         self.sensitivity(self.files["morris", 1], "--format", "csv"))

    # --- errors: exit 2 with a message that says what to do ---------------------------------------

    def variant_of(self, name, old, new):
        """A copy of a test scenario with one text replaced, in the temporary folder."""
        with open(scenario(name)) as f:
            text = f.read()
        self.assertIn(old, text)
        text = text.replace(old, new).replace(
            "../../scenarios/data/", os.path.join(os.path.abspath(ARGS.source), "scenarios", "data") + "/")
        path = os.path.join(self.tmp, f"edited-{abs(hash((name, old, new)))}.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_wrong_kind_of_file(self):
        lhs_yaml = self.variant_of("sobol_small.yaml", "sampling: saltelli", "sampling: lhs")
        lhs = os.path.join(self.tmp, "lhs.h5")
        subprocess.run([ARGS.klynge, "run", lhs_yaml, "-o", lhs, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        run = klynge("sensitivity", lhs)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("sampling: lhs", run.stderr)
        self.assertIn("sampling: morris", run.stderr)
        self.assertIn("klynge compare", run.stderr)
        plain_yaml = self.variant_of("sobol_small.yaml", "uncertainty:", "unused_section:")
        with open(plain_yaml) as f:
            text = f.read()
        with open(plain_yaml, "w") as f:
            f.write(text[:text.index("unused_section:")])
        plain = os.path.join(self.tmp, "plain.h5")
        subprocess.run([ARGS.klynge, "run", plain_yaml, "-o", plain, "--quiet"], check=True,
                       stdout=subprocess.DEVNULL)
        run = klynge("sensitivity", plain)
        self.assertEqual(run.returncode, 2, run.stderr)
        self.assertIn("no parameter draws", run.stderr)
        self.assertIn("klynge compare", run.stderr)

    def test_unknown_names(self):
        path = self.files["sobol", 1]
        run = klynge("sensitivity", path, "--metric", "project_revenue")
        self.assertEqual(run.returncode, 2)
        self.assertIn("project_revenue_mdkk", run.stderr)  # the did-you-mean and the list
        run = klynge("sensitivity", path, "--variant", "programme_x")
        self.assertEqual(run.returncode, 2)
        self.assertIn("the variants are: baseline, programme", run.stderr)
        run = klynge("sensitivity", path, "--baseline", "nobody")
        self.assertEqual(run.returncode, 2)
        self.assertIn("baseline, programme", run.stderr)
        run = klynge("sensitivity", path, "--format", "xml")
        self.assertEqual(run.returncode, 2)
        run = klynge("sensitivity", path, "--effect", "--variant", "baseline")
        self.assertEqual(run.returncode, 2)
        self.assertIn("name another variant", run.stderr)

    def test_bad_sampling_and_levels(self):
        cases = [
            ("morris_small.yaml", "levels: 4", "levels: 3", "uncertainty.levels", "even"),
            ("morris_small.yaml", "levels: 4", "levels: 0", "uncertainty.levels", "from 2 to 100"),
            ("morris_small.yaml", "sampling: morris", "sampling: moris", "uncertainty.sampling",
             "did you mean 'morris'"),
            ("sobol_small.yaml", "draws: 8", "draws: 8\n  levels: 4", "uncertainty.levels",
             "belongs to `sampling: morris`"),
            ("sobol_small.yaml", "draws: 8", "draws: 0", "uncertainty.draws", "from 1"),
            ("sobol_small.yaml", "draws: 8", "draws: 300000", "uncertainty.draws",
             "parameter sets"),
        ]
        for name, old, new, key, expected in cases:
            path = self.variant_of(name, old, new)
            run = klynge("validate", path)
            self.assertEqual(run.returncode, 2, (new, run.stdout, run.stderr))
            self.assertRegex(run.stderr, re.escape(path) + r":\d+:\d+: " + re.escape(key), new)
            self.assertIn(expected, run.stderr, new)

    def test_saltelli_base_points_not_a_power_of_two_warn(self):
        path = self.variant_of("sobol_small.yaml", "draws: 8", "draws: 6")
        run = klynge("validate", path)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.assertIn("not a power of two", run.stdout + run.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
