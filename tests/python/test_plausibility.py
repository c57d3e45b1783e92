"""Plausibility targets of model.md on the sample data: a fixed seed, 200 replicates.

Runs `klynge run` on the workshop scenario (baseline, meetings_only, full_programme) and checks
every target with the figures printed, so a failing run says by how much. Takes about a minute
on two cores. Run by ctest with Debian's /usr/bin/python3 (h5py).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import unittest

import h5py
import numpy as np

ARGS = None
RESULTS = None
REPLICATES = 200
VARIANTS = ["baseline", "meetings_only", "full_programme"]


def setUpModule():
    global RESULTS
    tmp = tempfile.mkdtemp(prefix="klynge-plausibility-")
    RESULTS = os.path.join(tmp, "plausibility.h5")
    command = [ARGS.klynge, "run", os.path.join(ARGS.source, "scenarios", "midtjylland.yaml"),
               "-o", RESULTS, "--replicates", str(REPLICATES), "--quiet"]
    for v in VARIANTS:
        command += ["--variant", v]
    subprocess.run(command, check=True)


class Results:
    def __init__(self, path):
        self.f = h5py.File(path, "r")
        names = [n.decode() if isinstance(n, bytes) else n for n in self.f["metric"][()]]
        self.index = {n: i for i, n in enumerate(names)}
        pop = self.f["population"]
        self.participant = pop["participant"][()] == 1
        self.revenue0 = pop["revenue_mdkk"][()]
        self.export = pop["export_share"][()]
        self.shares = np.stack([pop["market_food"][()], pop["market_energy_environment"][()],
                                pop["market_other"][()]], axis=1)

    def metric(self, variant, name):
        return self.f[f"variants/{variant}/metrics"][:, :, self.index[name]]

    def ties(self, variant):
        g = self.f[f"variants/{variant}/detail/ties"]
        return {k: g[k][()] for k in g}


def paired_ci(diff):
    mean = diff.mean()
    half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff))
    return mean, mean - half, mean + half


class Plausibility(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.r = Results(RESULTS)

    def test_baseline_revenue_grows_with_its_drift(self):
        r = self.r
        drift = np.array([0.02, 0.05, 0.01])
        p = r.participant
        g = r.export[p] * 0.04 + (1 - r.export[p]) * (r.shares[p] @ drift)
        expected = (r.revenue0[p] * np.exp(3 * g)).sum() / r.revenue0[p].sum() - 1
        revenue = r.metric("baseline", "participant_revenue_mdkk")
        growth = (revenue[:, 36] / revenue[:, 0]).mean() - 1
        print(f"baseline growth {growth:.4f}, drift-implied {expected:.4f}")
        self.assertLessEqual(abs(growth - expected), 0.03)

    def test_baseline_project_book_stays_stationary(self):
        book = self.r.metric("baseline", "project_revenue_mdkk").mean(axis=0)
        ratio = book / book[0]
        print(f"baseline project book / start: min {ratio.min():.3f}, max {ratio.max():.3f}")
        self.assertTrue(np.all(np.abs(ratio - 1) <= 0.15))

    def test_baseline_capabilities_rise_slowly(self):
        cap = self.r.metric("baseline", "participant_mean_capability")
        per_year = (cap[:, 36] - cap[:, 0]).mean() / 3
        print(f"baseline mean capability gain per year {per_year:.4f}")
        self.assertLessEqual(per_year, 0.05)

    def test_new_partner_share(self):
        base = self.r.metric("baseline", "participant_new_partner_share")[:, 36]
        full = self.r.metric("full_programme", "participant_new_partner_share")[:, 36]
        mean, low, high = paired_ci(full - base)
        print(f"new partner share: baseline {base.mean():.3f}; full - baseline {mean:.3f} [{low:.3f}, {high:.3f}]")
        self.assertLessEqual(base.mean(), 0.35)
        self.assertGreater(low, 0)

    def test_largest_component_share_rises(self):
        base = self.r.metric("baseline", "participant_largest_component_share")[:, 36]
        full = self.r.metric("full_programme", "participant_largest_component_share")[:, 36]
        mean, low, high = paired_ci(full - base)
        print(f"participant largest component: full - baseline {mean:.3f} [{low:.3f}, {high:.3f}]")
        self.assertGreater(low, 0)

    def test_full_programme_density_and_core_periphery(self):
        density = self.r.metric("full_programme", "participant_density")[:, 36].mean()
        cv = np.nanmean(self.r.metric("full_programme", "participant_degree_cv")[:, 36])
        print(f"full programme participant density {density:.3f}, degree CV {cv:.3f}")
        self.assertGreaterEqual(density, 0.05)
        self.assertLessEqual(density, 0.35)
        self.assertGreaterEqual(cv, 0.35)

    def test_full_programme_revenue_effect(self):
        base = self.r.metric("baseline", "participant_revenue_mdkk")[:, 36]
        full = self.r.metric("full_programme", "participant_revenue_mdkk")[:, 36]
        mean, low, high = paired_ci(full / base - 1)
        print(f"full programme revenue effect {mean:.4f} [{low:.4f}, {high:.4f}]")
        self.assertGreaterEqual(mean, 0.005)
        self.assertLessEqual(mean, 0.08)
        self.assertGreater(low, 0)

    def test_meetings_raise_knowledge_ties_at_month_12(self):
        base = self.r.metric("baseline", "ties_knowledge")[:, 12]
        meet = self.r.metric("meetings_only", "ties_knowledge")[:, 12]
        mean, low, high = paired_ci(meet - base)
        print(f"knowledge ties at 12: meetings - baseline {mean:.2f} [{low:.2f}, {high:.2f}]")
        self.assertGreater(low, 0)

    def _tie_histories(self, variant):
        t = self.r.ties(variant)
        histories = {}
        for d, s, a, b, trust, kind in zip(t["detail_replicate"], t["step"], t["firm_a"],
                                           t["firm_b"], t["trust"], t["type"]):
            histories.setdefault((int(d), int(a), int(b)), {})[int(s)] = (float(trust), int(kind))
        return histories

    def test_idle_new_ties_fade_within_a_year(self):
        # Ties that appear at trust 0.15 and never gain trust again: gone within 12 months?
        gone = total = 0
        for variant in VARIANTS:
            for key, history in self._tie_histories(variant).items():
                steps = sorted(history)
                first = steps[0]
                if first == 0 or first > 24 or abs(history[first][0] - 0.15) > 1e-6:
                    continue
                trusts = [history[s][0] for s in steps]
                contiguous = steps == list(range(first, first + len(steps)))
                if not contiguous or any(b > a + 1e-9 for a, b in zip(trusts, trusts[1:])):
                    continue  # interacted again (or re-formed): not an idle tie
                total += 1
                gone += (first + 12) not in history
        print(f"idle ties started at 0.15: {gone}/{total} gone within 12 months")
        self.assertGreater(total, 0)
        self.assertGreaterEqual(gone / total, 0.8)

    def test_ties_with_a_joint_project_persist(self):
        # Ties that became partners (a successful joint project) persist a year later?
        kept = total = 0
        for variant in VARIANTS:
            for key, history in self._tie_histories(variant).items():
                became = [s for s in sorted(history) if history[s][1] == 1 and s > 0
                          and history.get(s - 1, (0, 2))[1] != 1]
                for s in became:
                    if s + 12 > 36:
                        continue
                    total += 1
                    kept += (s + 12) in history
        print(f"ties with a joint project alive a year later: {kept}/{total}")
        self.assertGreater(total, 0)
        self.assertGreater(kept / total, 0.5)

    def test_cluster_strategy_runs_in_the_full_programme(self):
        g = self.r.f["variants/full_programme/detail/events"]
        ids = [x.decode() if isinstance(x, bytes) else x
               for x in self.r.f["variants/full_programme"].attrs["intervention_ids"]]
        names = [x.decode() if isinstance(x, bytes) else x for x in g["type"].attrs["names"]]
        strategy = ids.index("cluster_strategy")
        types = g["type"][()]
        intervention = g["intervention"][()]
        skipped = names.index("intervention_skipped")
        mine = intervention == strategy
        budget_skips = np.sum(mine & (types == skipped) & (g["reason"][()] == 1))
        organised = np.sum(types == names.index("cluster_organised"))
        ran = np.sum(mine & (types != skipped))
        print(f"cluster strategy: ran {ran}, budget skips {budget_skips}, clusters organised {organised}")
        self.assertEqual(budget_skips, 0)
        self.assertGreater(ran, 0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
