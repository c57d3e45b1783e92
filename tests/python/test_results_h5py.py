#!/usr/bin/python3
"""The results file as a researcher sees it: h5py + pandas (docs/results-layout.md).

Run by ctest as
    /usr/bin/python3 test_results_h5py.py --klynge <klynge binary> --source <repository>
It runs `klynge run` on the workshop scenario and checks the layout: dimension scales, units
and descriptions, metric names, completeness, compression, a pandas DataFrame from the metrics,
the detail tables, --force, `klynge inspect`, and identical datasets for any --threads.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import pandas as pd

ARGS = None
REPLICATES = 4


def klynge(*args, check=True):
    proc = subprocess.run([ARGS.klynge, *args], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"klynge {' '.join(args)} exited {proc.returncode}\n"
            f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def run_scenario(path, *extra, check=True):
    scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
    return klynge("run", scenario, "-o", path, "--replicates", str(REPLICATES), "--quiet",
                  *extra, check=check)


def datasets(f):
    found = {}
    f.visititems(lambda name, obj: found.__setitem__("/" + name, obj)
                 if isinstance(obj, h5py.Dataset) else None)
    return found


class ResultsLayout(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="klynge-h5py-")
        cls.path = os.path.join(cls.tmp.name, "r.h5")
        run_scenario(cls.path)
        cls.f = h5py.File(cls.path, "r")

    @classmethod
    def tearDownClass(cls):
        cls.f.close()
        cls.tmp.cleanup()

    def test_root_attributes(self):
        a = self.f.attrs
        self.assertEqual(a["format"], "klynge-results")
        self.assertEqual(int(a["schema_version"]), 1)
        self.assertEqual(a["status"], "complete")
        for key in ("tool_version", "created", "scenario_name", "scenario_text",
                    "resolved_configuration", "command_line", "status"):
            self.assertIsInstance(a[key], str, key)  # variable-length UTF-8 strings
        self.assertRegex(a["created"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(int(a["replicates"]), REPLICATES)
        self.assertGreater(int(a["horizon"]), 0)
        self.assertIn("seed", a)
        self.assertEqual(int(a["reveal_names"]), 0)
        self.assertEqual(glob.glob(self.path + ".tmp*"), [])  # no temporary left
        # the variants attribute gives the scenario order; the group iterates in that order too
        self.assertEqual(list(a["variants"]), list(self.f["variants"]))
        self.assertIn("baseline", self.f["variants"])

    def test_every_dataset_has_units_and_description(self):
        for name, ds in datasets(self.f).items():
            self.assertIn("units", ds.attrs, name)
            self.assertIn("description", ds.attrs, name)

    def test_metrics_axes_are_dimension_scales(self):
        horizon = int(self.f.attrs["horizon"])
        metric_names = list(self.f["metric"].asstr()[()])
        self.assertIn("participant_revenue_mdkk", metric_names)
        for name, group in self.f["variants"].items():
            m = group["metrics"]
            self.assertEqual(m.dtype, np.float64)
            self.assertEqual(m.shape, (REPLICATES, horizon + 1, len(metric_names)), name)
            self.assertEqual([d.label for d in m.dims], ["replicate", "step", "metric"])
            self.assertEqual(m.dims[0][0].name, "/replicate")
            self.assertEqual(m.dims[1][0].name, "/step")
            self.assertEqual(m.dims[2][0].name, "/metric")
            self.assertEqual(list(m.dims[1][0][()]), list(range(horizon + 1)))
            self.assertEqual(list(m.dims[2][0].asstr()[()]), metric_names)
            units = list(m.attrs["units"])
            self.assertEqual(len(units), len(metric_names))
            self.assertEqual(units[metric_names.index("participant_revenue_mdkk")], "mDKK/year")
            self.assertTrue(np.all(group["completed"][()] == 1))
            self.assertEqual([d.label for d in group["completed"].dims], ["replicate"])
            # step 0 is the initial state: the same in every replicate
            revenue = m[:, 0, metric_names.index("participant_revenue_mdkk")]
            self.assertFalse(np.isnan(revenue).any())
            self.assertTrue(np.all(revenue == revenue[0]))
            ff = group["final_firms"]
            self.assertEqual([d.label for d in ff.dims], ["replicate", "firm", "firm_variable"])
            self.assertEqual(ff.shape, (REPLICATES, len(self.f["firm"]), 4))
            self.assertFalse(np.isnan(ff[()]).any())

    def test_compression(self):
        for name, ds in datasets(self.f).items():
            if ds.dtype.kind in "fiu" and ds.size > 0:
                self.assertIsNotNone(ds.chunks, name)
                self.assertEqual(ds.compression, "gzip", name)
                self.assertTrue(1 <= ds.compression_opts <= 4, name)
                self.assertTrue(ds.shuffle, name)

    def test_pandas_long_table(self):
        m = self.f["variants/baseline/metrics"]
        names = m.dims[2][0].asstr()[()]
        index = pd.MultiIndex.from_product(
            [m.dims[0][0][()], m.dims[1][0][()]], names=["replicate", "step"])
        df = pd.DataFrame(m[()].reshape(-1, m.shape[2]), index=index, columns=names)
        self.assertEqual(df.shape, (m.shape[0] * m.shape[1], m.shape[2]))
        mean = df.groupby(level="step")["participant_revenue_mdkk"].mean()
        self.assertEqual(len(mean), m.shape[1])
        self.assertFalse(mean.isna().any())

    def test_population_is_pseudonymised(self):
        pop = self.f["population"]
        self.assertNotIn("name", pop)
        firms = list(self.f["firm"].asstr()[()])
        self.assertTrue(all(p.startswith("F") for p in firms))
        table = pd.DataFrame({k: pop[k][()] for k in pop
                              if isinstance(pop[k], h5py.Dataset) and pop[k].ndim == 1},
                             index=firms)
        self.assertIn("employees", table)
        self.assertEqual(pop["employees"].dims[0].label, "firm")
        self.assertEqual([d.label for d in pop["capabilities"].dims], ["firm", "capability"])
        ties = pop["initial_ties"]
        self.assertTrue(np.all(ties["firm_a"][()] < ties["firm_b"][()]))

    def test_detail_tables(self):
        detail = int(self.f.attrs["detail_replicates"])
        self.assertGreater(detail, 0)
        g = self.f["variants/baseline/detail"]
        tr = g["trajectories"]
        self.assertEqual(tr.dtype, np.float32)
        self.assertEqual([d.label for d in tr.dims],
                         ["detail_replicate", "step", "firm", "firm_variable"])
        self.assertEqual(tr.shape[0], detail)
        self.assertEqual(list(g["detail_replicate"][()]), list(range(detail)))
        events = pd.DataFrame({k: g["events"][k][()] for k in g["events"]})
        self.assertEqual(set(events.columns),
                         {"detail_replicate", "step", "type", "firm_a", "firm_b", "intervention",
                          "value", "units_skipped", "reason"})
        type_names = list(g["events/type"].attrs["names"])
        self.assertIn("tie_formed", type_names)
        events["type_name"] = [type_names[t] for t in events["type"]]
        ties = pd.DataFrame({k: g["ties"][k][()] for k in g["ties"]})
        self.assertTrue((ties["firm_a"] < ties["firm_b"]).all())
        for d in range(detail):  # the offset/count datasets slice the tables
            for table, prefix in ((events, "event"), (ties, "tie")):
                offset = int(g[prefix + "_offset"][d])
                count = int(g[prefix + "_count"][d])
                rows = table["detail_replicate"] == d
                self.assertEqual(int(rows.sum()), count)
                if count:
                    self.assertTrue(rows.iloc[offset:offset + count].all())


class ResultsCommands(unittest.TestCase):
    def test_force_and_inspect(self):
        with tempfile.TemporaryDirectory(prefix="klynge-h5py-") as tmp:
            path = os.path.join(tmp, "r.h5")
            run_scenario(path)
            scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
            again = klynge("run", scenario, "-o", path, "--replicates", "2", "--quiet",
                           check=False)
            self.assertEqual(again.returncode, 2)
            self.assertIn("--force", again.stderr)
            with h5py.File(path, "r") as f:
                self.assertEqual(int(f.attrs["replicates"]), REPLICATES)  # untouched
            klynge("run", scenario, "-o", path, "--replicates", "2", "--quiet", "--force")
            with h5py.File(path, "r") as f:
                self.assertEqual(int(f.attrs["replicates"]), 2)

            shown = klynge("inspect", path)
            self.assertIn("complete", shown.stdout)
            self.assertIn("/variants/baseline/metrics", shown.stdout)
            missing = klynge("inspect", os.path.join(tmp, "missing.h5"), check=False)
            self.assertEqual(missing.returncode, 2)
            self.assertIn("missing.h5", missing.stderr)

    def test_same_datasets_for_any_thread_count(self):
        with tempfile.TemporaryDirectory(prefix="klynge-h5py-") as tmp:
            one, two = os.path.join(tmp, "t1.h5"), os.path.join(tmp, "t2.h5")
            run_scenario(one, "--threads", "1")
            run_scenario(two, "--threads", "2")
            with h5py.File(one, "r") as a, h5py.File(two, "r") as b:
                da, db = datasets(a), datasets(b)
                self.assertEqual(sorted(da), sorted(db))
                for name in da:
                    x, y = da[name][()], db[name][()]
                    if x.dtype.kind == "f":
                        self.assertTrue(np.array_equal(x, y, equal_nan=True), name)
                    else:
                        self.assertTrue(np.array_equal(x, y), name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
