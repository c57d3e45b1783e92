#!/usr/bin/python3
"""The researcher's Python helpers: analysis/python/klynge_results.py and plot_variants.py.

Run by ctest as
    /usr/bin/python3 test_analysis_helpers.py --klynge <klynge binary> --source <repository>
It runs `klynge run` on the workshop scenario with a few replicates and checks that the helpers
give tidy tables of the right shape with units and decoded names, that paired differences are
exactly variant - baseline per replicate, that unfinished replicates are dropped, and that the
example plotting script writes a PNG.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np
import pandas as pd

ARGS = None
REPLICATES = 6
kr = None  # klynge_results, imported once --source is known

EVENT_TYPES = {"tie_formed", "tie_dissolved", "project_awarded", "project_succeeded",
               "project_failed", "intervention_ran", "intervention_skipped",
               "intervention_partial", "firm_enrolled", "firm_unenrolled", "cluster_organised",
               "cluster_funding_ended", "cluster_dissolved"}
REASONS = {"none", "budget", "staff_hours", "no_eligible_firms"}
TIE_TYPES = {"trade", "partner", "knowledge"}


def klynge(*args):
    proc = subprocess.run([ARGS.klynge, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"klynge {' '.join(args)} exited {proc.returncode}\n"
                             f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


class AnalysisHelpers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="klynge-analysis-")
        cls.path = os.path.join(cls.tmp.name, "r.h5")
        scenario = os.path.join(ARGS.source, "scenarios", "midtjylland.yaml")
        klynge("run", scenario, "-o", cls.path, "--replicates", str(REPLICATES), "--quiet")
        cls.res = kr.open_results(cls.path)
        cls.f = h5py.File(cls.path, "r")
        cls.tidy = kr.metrics(cls.res)

    @classmethod
    def tearDownClass(cls):
        cls.f.close()
        cls.tmp.cleanup()

    # ---- metadata ---------------------------------------------------------------------------

    def test_open_results(self):
        r = self.res
        self.assertTrue(r.complete)
        self.assertEqual(r.status, "complete")
        self.assertEqual(r.variants, list(self.f.attrs["variants"]))
        self.assertIn("baseline", r.variants)
        self.assertEqual(r.metric_names, list(self.f["metric"].asstr()[()]))
        self.assertEqual(list(r.units), r.metric_names)
        self.assertTrue(all(isinstance(u, str) and u for u in r.units.values()))
        self.assertEqual(r.replicates, REPLICATES)
        self.assertEqual(r.seed, int(self.f.attrs["seed"]))
        self.assertEqual(r.firms, list(self.f["firm"].asstr()[()]))
        self.assertIsInstance(r.attrs["resolved_configuration"], str)
        self.assertIsInstance(r.attrs["scenario_text"], str)
        for v in r.variants:
            self.assertTrue(r.completed[v].all(), v)
            self.assertIsInstance(r.variant_configuration[v], str)
        self.assertEqual(r.interventions["baseline"], [])
        self.assertIn("midtjylland", repr(r))

    def test_not_a_results_file(self):
        other = os.path.join(self.tmp.name, "other.h5")
        with h5py.File(other, "w") as f:
            f.attrs["format"] = "something-else"
        with self.assertRaisesRegex(ValueError, "not a klynge results file"):
            kr.open_results(other)

    # ---- metrics ----------------------------------------------------------------------------

    def test_metrics_tidy_shape_and_units(self):
        df, r = self.tidy, self.res
        steps = r.horizon + 1
        self.assertEqual(list(df.columns), ["variant", "replicate", "step", "metric", "value",
                                            "unit"])
        self.assertEqual(len(df), len(r.variants) * REPLICATES * steps * len(r.metric_names))
        self.assertEqual(list(pd.unique(df["variant"])), r.variants)
        self.assertEqual(list(pd.unique(df["metric"])), r.metric_names)
        self.assertEqual(sorted(pd.unique(df["replicate"])), list(range(REPLICATES)))
        self.assertEqual(sorted(pd.unique(df["step"])), list(range(steps)))
        self.assertFalse(df.duplicated(["variant", "replicate", "step", "metric"]).any())
        file_units = dict(zip(r.metric_names, self.f["metric"].attrs["units"]))
        self.assertTrue((df["unit"] == df["metric"].map(file_units)).all())
        self.assertTrue(df["unit"].map(lambda u: isinstance(u, str) and u != "").all())
        self.assertTrue(df["variant"].map(lambda s: isinstance(s, str)).all())

    def test_metrics_values_match_the_file(self):
        raw = self.f["variants/full_programme/metrics"][()]
        df = self.tidy
        for rep, step, metric in [(0, 0, "participant_revenue_mdkk"), (3, 17, "ties_partner"),
                                  (5, 36, "participant_largest_component_share")]:
            row = df[(df.variant == "full_programme") & (df.replicate == rep) &
                     (df.step == step) & (df.metric == metric)]
            self.assertEqual(len(row), 1)
            expected = raw[rep, step, self.res.metric_names.index(metric)]
            self.assertEqual(row["value"].iloc[0], expected)

    def test_metrics_selection_and_errors(self):
        df = kr.metrics(self.path, variants="baseline",
                        metrics=["ties_partner", "participant_revenue_mdkk"])
        self.assertEqual(len(df), REPLICATES * (self.res.horizon + 1) * 2)
        self.assertEqual(set(df["variant"]), {"baseline"})
        self.assertEqual(list(pd.unique(df["metric"])), ["ties_partner",
                                                         "participant_revenue_mdkk"])
        with self.assertRaisesRegex(ValueError, "did you mean 'ties_partner'"):
            kr.metrics(self.res, metrics="ties_partnr")
        with self.assertRaisesRegex(ValueError, "no variant"):
            kr.metrics(self.res, variants="nope")

    def test_metrics_wide(self):
        w = kr.metrics_wide(self.res)
        r = self.res
        self.assertEqual(w.shape, (len(r.variants) * REPLICATES * (r.horizon + 1),
                                   len(r.metric_names)))
        self.assertEqual(list(w.index.names), ["variant", "replicate", "step"])
        self.assertEqual(list(w.columns), r.metric_names)
        self.assertEqual(w.attrs["units"], r.units)
        pivot = self.tidy.pivot_table(index=["variant", "replicate", "step"], columns="metric",
                                      values="value", dropna=False, aggfunc="first")
        pivot = pivot.reindex(index=w.index, columns=w.columns)
        np.testing.assert_array_equal(pivot.to_numpy(), w.to_numpy())

    def test_paired_differences_are_variant_minus_baseline(self):
        metric = "participant_revenue_mdkk"
        d = kr.paired_differences(self.tidy, metric=metric)  # last step
        r = self.res
        others = [v for v in r.variants if v != "baseline"]
        self.assertEqual(len(d), len(others) * REPLICATES)
        self.assertEqual(list(pd.unique(d["variant"])), others)
        self.assertEqual(set(d["step"]), {r.horizon})
        k = r.metric_names.index(metric)
        base = self.f["variants/baseline/metrics"][:, r.horizon, k]
        for v in others:
            vals = self.f[f"variants/{v}/metrics"][:, r.horizon, k]
            rows = d[d["variant"] == v].sort_values("replicate")
            self.assertEqual(list(rows["replicate"]), list(range(REPLICATES)))
            np.testing.assert_array_equal(rows["difference"].to_numpy(), vals - base)
            np.testing.assert_array_equal(rows["baseline_value"].to_numpy(), base)
            np.testing.assert_allclose(rows["percent_difference"].to_numpy(),
                                       100 * (vals - base) / base, rtol=1e-12)
        # every step, every metric; step 0 is the shared initial state: no difference
        allsteps = kr.paired_differences(self.path, step=None)
        self.assertEqual(len(allsteps), len(others) * REPLICATES * (r.horizon + 1) *
                         len(r.metric_names))
        first = allsteps[(allsteps["step"] == 0) & (allsteps["metric"] == metric)]
        self.assertTrue((first["difference"] == 0).all())
        with self.assertRaisesRegex(ValueError, "no baseline variant 'basline'"):
            kr.paired_differences(self.tidy, baseline="basline")
        # without a variant named baseline the first variant is the baseline (as in compare)
        sub = self.tidy[self.tidy.variant.isin(["meetings_only", "full_programme"])]
        self.assertEqual(set(kr.paired_differences(sub)["variant"]), {"full_programme"})

    def test_summarise_differences(self):
        d = kr.paired_differences(self.tidy, metric=["ties_partner", "participant_revenue_mdkk"])
        s = kr.summarise_differences(d)
        self.assertEqual(len(s), (len(self.res.variants) - 1) * 2)
        self.assertTrue((s["n"] == REPLICATES).all())
        for _, row in s.iterrows():
            x = d[(d.variant == row.variant) & (d.metric == row.metric)]["difference"]
            self.assertAlmostEqual(row["mean"], x.mean())
            self.assertLessEqual(row["ci_low"], row["mean"])
            self.assertGreaterEqual(row["ci_high"], row["mean"])
        # the t quantile: scipy or the built-in table agree
        self.assertAlmostEqual(kr._t_quantile(0.975, 5), 2.571, places=3)
        self.assertAlmostEqual(kr._t_quantile(0.975, 1000), 1.962, places=2)

    def test_completed_only_drops_unfinished_replicates(self):
        # an interrupted run: replicate 2 of the baseline and 4 of full_programme never written
        path = os.path.join(self.tmp.name, "incomplete.h5")
        shutil.copy(self.path, path)
        with h5py.File(path, "r+") as f:
            f.attrs["status"] = "incomplete"
            for v, rep in (("baseline", 2), ("full_programme", 4)):
                f[f"variants/{v}/completed"][rep] = 0
                f[f"variants/{v}/metrics"][rep] = np.nan
                f[f"variants/{v}/final_firms"][rep] = np.nan
        res = kr.open_results(path)
        self.assertFalse(res.complete)
        r, steps, m = res, res.horizon + 1, len(res.metric_names)
        full = len(r.variants) * REPLICATES * steps * m
        df = kr.metrics(res)
        self.assertEqual(len(df), full - 2 * steps * m)
        self.assertNotIn(2, set(df[df.variant == "baseline"]["replicate"]))
        self.assertFalse(df[df.metric == "participant_revenue_mdkk"]["value"].isna().any())
        kept = kr.metrics(res, completed_only=False)
        self.assertEqual(len(kept), full)
        self.assertTrue(kept[(kept.variant == "baseline") & (kept.replicate == 2)]["value"]
                        .isna().all())
        d = kr.paired_differences(df, metric="participant_revenue_mdkk")
        # replicate 2 has no baseline to pair with; replicate 4 is missing for full_programme
        self.assertNotIn(2, set(d["replicate"]))
        self.assertEqual(set(d[d.variant == "full_programme"]["replicate"]),
                         set(range(REPLICATES)) - {2, 4})
        fo = kr.firm_outcomes(res, variants="baseline")
        self.assertEqual(len(fo), (REPLICATES - 1) * len(res.firms))
        self.assertFalse(fo["revenue_mdkk"].isna().any())

    # ---- firms ------------------------------------------------------------------------------

    def test_population(self):
        pop = kr.population(self.res, capabilities=True)
        self.assertEqual(len(pop), len(self.res.firms))
        self.assertEqual(list(pop["pseudonym"]), self.res.firms)
        self.assertEqual(list(pop["firm"]), list(range(len(self.res.firms))))
        self.assertNotIn("name", pop)  # names only with --reveal-names
        self.assertEqual(pop["participant"].dtype, bool)
        self.assertTrue(pop["municipality"].map(lambda s: isinstance(s, str) and s).all())
        caps = list(self.f["capability"].asstr()[()])
        self.assertTrue(all(f"cap_{c}" in pop for c in caps))
        ties0 = kr.initial_ties(self.res)
        self.assertEqual(len(ties0), self.f["population/initial_ties/firm_a"].shape[0])
        self.assertTrue(set(ties0["type"]) <= TIE_TYPES)

    def test_firm_outcomes(self):
        fo = kr.firm_outcomes(self.res)
        r = self.res
        nf = len(r.firms)
        self.assertEqual(len(fo), len(r.variants) * REPLICATES * nf)
        for c in ("variant", "replicate", "firm", "pseudonym", "municipality", "participant",
                  "employees0", "revenue0", "size_class", "revenue_mdkk", "employees", "degree",
                  "cluster", "revenue_growth"):
            self.assertIn(c, fo)
        self.assertTrue(set(fo["size_class"]) <= {"under_50", "50_99", "100_199", "200_plus"})
        for name, low, high in kr.SIZE_CLASSES:
            sel = fo[fo["size_class"] == name]
            self.assertTrue(((sel["employees0"] >= low) & (sel["employees0"] < high)).all())
        # the sample firms have 50-249 employees: the classes klynge compare reports
        self.assertTrue({"50_99", "100_199"} <= set(fo["size_class"]))
        self.assertEqual(kr.size_class(49), "under_50")
        self.assertEqual(kr.size_class(200), "200_plus")
        pop = kr.population(r)
        one = fo[(fo.variant == "full_programme") & (fo.replicate == 1)]
        np.testing.assert_array_equal(one["revenue0"].to_numpy(), pop["revenue_mdkk"].to_numpy())
        np.testing.assert_array_equal(one["pseudonym"].to_numpy(), pop["pseudonym"].to_numpy())
        raw = self.f["variants/full_programme/final_firms"][1]
        np.testing.assert_array_equal(one["revenue_mdkk"].to_numpy(), raw[:, 0])
        np.testing.assert_allclose(one["revenue_growth"].to_numpy(),
                                   raw[:, 0] / pop["revenue_mdkk"].to_numpy() - 1)

    # ---- detail replicates ------------------------------------------------------------------

    def test_trajectories_have_every_firm_and_step(self):
        r = self.res
        tr = kr.trajectories(self.path, "full_programme")
        nd = r.detail_replicates
        steps, nf, nv = r.horizon + 1, len(r.firms), len(r.firm_variables)
        self.assertEqual(len(tr), nd * steps * nf * nv)
        self.assertEqual(list(tr.columns), ["variant", "detail_replicate", "replicate", "step",
                                            "firm", "pseudonym", "variable", "value"])
        counts = tr.groupby(["detail_replicate", "step"])["firm"].nunique()
        self.assertEqual(len(counts), nd * steps)
        self.assertTrue((counts == nf).all())
        self.assertEqual(set(tr["pseudonym"]), set(r.firms))
        self.assertEqual(list(pd.unique(tr["variable"])), r.firm_variables)
        axis = self.f["variants/full_programme/detail/detail_replicate"][()]
        self.assertEqual(sorted(pd.unique(tr["replicate"])), sorted(axis))
        raw = self.f["variants/full_programme/detail/trajectories"][()]
        wide = kr.trajectories(self.res, "full_programme", wide=True)
        self.assertEqual(len(wide), nd * steps * nf)
        sel = wide[(wide.detail_replicate == 1) & (wide.step == 20)]
        np.testing.assert_array_equal(sel["employees"].to_numpy(), raw[1, 20, :, 1])
        # the last step of a detail replicate is that replicate's final outcome
        final = self.f["variants/full_programme/final_firms"][int(axis[0])]
        last = wide[(wide.detail_replicate == 0) & (wide.step == r.horizon)]
        np.testing.assert_allclose(last["revenue_mdkk"].to_numpy(), final[:, 0], rtol=1e-6)

    def test_events_decode_to_known_names(self):
        r = self.res
        for v in r.variants:
            ev = kr.events(self.res, v)
            table = self.f[f"variants/{v}/detail/events"]
            self.assertEqual(len(ev), table["type"].shape[0], v)
            self.assertTrue(set(ev["type"]) <= EVENT_TYPES, v)
            self.assertTrue(set(ev["reason"]) <= REASONS, v)
            codes = table["type"][()]
            names = list(table["type"].attrs["names"])
            self.assertEqual(list(ev["type"]), [names[c] for c in codes])
            ids = {i for i, _ in r.interventions[v]}
            interv = ev[ev["intervention"] >= 0]
            self.assertTrue(set(interv["intervention_id"]) <= ids, v)
            self.assertTrue(ev.loc[ev["intervention"] < 0, "intervention_id"].isna().all())
            with_a = ev[ev["firm_a"] >= 0]
            self.assertTrue(with_a["pseudonym_a"].isin(r.firms).all())
            self.assertTrue(ev.loc[ev["firm_a"] < 0, "pseudonym_a"].isna().all())
            if v == "baseline":
                self.assertTrue(interv.empty)
        ev = kr.events(self.res, "full_programme")
        self.assertIn("intervention_ran", set(ev["type"]))
        self.assertIn("tie_formed", set(ev["type"]))
        # reading one detail replicate through event_offset/event_count
        one = kr.events(self.res, "full_programme", detail_replicate=1)
        self.assertTrue((one["detail_replicate"] == 1).all())
        pd.testing.assert_frame_equal(one.reset_index(drop=True),
                                      ev[ev.detail_replicate == 1].reset_index(drop=True))
        both = kr.events(self.res)
        self.assertEqual(list(pd.unique(both["variant"])), r.variants)

    def test_ties(self):
        t = kr.ties(self.res, "full_programme")
        table = self.f["variants/full_programme/detail/ties"]
        self.assertEqual(len(t), table["trust"].shape[0])
        self.assertTrue(set(t["type"]) <= TIE_TYPES)
        self.assertTrue((t["firm_a"] < t["firm_b"]).all())
        self.assertTrue(t["trust"].between(0, 1).all())
        self.assertTrue(t["pseudonym_b"].isin(self.res.firms).all())
        self.assertTrue(t["step"].between(0, self.res.horizon).all())

    # ---- the example script -----------------------------------------------------------------

    def test_plot_variants_writes_a_png(self):
        script = os.path.join(ARGS.source, "analysis", "python", "plot_variants.py")
        png = os.path.join(self.tmp.name, "variants.png")
        proc = subprocess.run([sys.executable, script, self.path, "-o", png],
                              capture_output=True, text=True, env={**os.environ,
                                                                   "MPLBACKEND": "Agg"})
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(png, proc.stdout)
        self.assertGreater(os.path.getsize(png), 10000)
        with open(png, "rb") as fh:
            self.assertEqual(fh.read(8), b"\x89PNG\r\n\x1a\n")
        png2 = os.path.join(self.tmp.name, "one.png")
        proc = subprocess.run([sys.executable, script, self.path, "-o", png2, "--metric",
                               "clusters", "--variant", "full_programme"],
                              capture_output=True, text=True)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertGreater(os.path.getsize(png2), 0)
        bad = subprocess.run([sys.executable, script, self.path, "-o", png2, "--metric",
                              "participant_revenue"], capture_output=True, text=True)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("did you mean 'participant_revenue_mdkk'", bad.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    sys.path.insert(0, os.path.join(ARGS.source, "analysis", "python"))
    import klynge_results as kr  # noqa: E402,F811
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
