"""The plausibility targets of model.md v2.5, computed from klynge results files.

Shared by tests/python/test_plausibility.py (which asserts them) and scripts/activity_table.py
(which writes the activity table of docs/model.md). Run as a script it prints every figure, for
calibration:

    python3 tests/python/plausibility_targets.py --klynge build/klynge --source . \
        --replicates 40 [--param key=value]...

(--param overrides a model parameter in all three scenarios through their `parameters:` block.)
"""
import argparse
import os
import re
import subprocess
import tempfile

import h5py
import numpy as np

MAIN_VARIANTS = ["baseline", "meetings_only", "full_programme"]
VALUE_ADDED_SHARE = 0.30  # model.md v2.5; until the value-added metrics exist

# The ten activities: (activity, base variant, variant with the activity, metric, how it is read,
# mechanism). Reads: ("at", row) = the metric at that row; ("sum", first, last) = summed over
# rows first..last (flows).
ACTIVITIES = [
    ("recruitment", "recruitment_none", "recruitment", "participants_enrolled", ("at", 3),
     "contacts un-enrolled target firms; they enrol with probability willingness x (0.5 + 0.5 competence)"),
    ("interviews", "baseline", "interviews", "participants_mapped", ("at", 36),
     "maps firms (matchable, scan-able), motivation up, dev opportunities activated (x2 development for 12 months)"),
    ("opportunity_scan", "interviews", "interviews_scan", "participant_bids", ("sum", 3, 12),
     "phase 3: mapped targets whose estimated capabilities fit become aware of opportunities"),
    ("matchmaking", "interviews", "interviews_matchmaking", "ties_partner", ("at", 36),
     "introductions (ties at introduction trust) and facilitator proposals as partners in phase 4"),
    ("network_meeting", "baseline", "meetings", "ties_knowledge", ("at", 12),
     "attendees meet each other: new ties at 0.15 or +0.1 trust"),
    ("joint_development", "interviews_matchmaking", "interviews_matchmaking_jd", "joint_bids",
     ("sum", 7, 18),
     "consortia with >= 2 enrolled members: lower bid threshold, subsidy, success bonus, development boost"),
    ("study_trip", "baseline", "study_trip", "participant_mean_absorptive", ("at", 36),
     "attendees: absorptive capacity and ambition up, ties among them"),
    ("staff_training", "interviews_matchmaking", "interviews_matchmaking_training",
     "facilitator_competence", ("at", 36),
     "facilitator competence up: wider matchmaking search, better estimates, higher introduction trust"),
    ("value_chain_linkage", "baseline", "value_chain", "participant_export_projects_won",
     ("sum", 7, 36), "targets see export (value-chain) opportunities with boosted awareness"),
    ("cluster_strategy", "baseline", "cluster_strategy", "cluster_organisations", ("at", 24),
     "clusters become funded organisations: awareness boost, co-member partners, slower decay"),
]


def paired_ci(diff):
    diff = np.asarray(diff, dtype=float)
    mean = diff.mean()
    half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff))
    return mean, mean - half, mean + half


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

    def has_detail(self, variant):
        return f"variants/{variant}/detail" in self.f

    def ties(self, variant):
        g = self.f[f"variants/{variant}/detail/ties"]
        return {k: g[k][()] for k in g}

    def drift_growth(self, years):
        """The target group's revenue growth its segments' drifts imply over `years`."""
        drift = np.array([0.02, 0.05, 0.01])
        p = self.participant
        g = self.export[p] * 0.04 + (1 - self.export[p]) * (self.shares[p] @ drift)
        return (self.revenue0[p] * np.exp(years * g)).sum() / self.revenue0[p].sum() - 1


def read(results, variant, metric, how):
    m = results.metric(variant, metric)
    if how[0] == "at":
        return m[:, how[1]]
    return m[:, how[1]:how[2] + 1].sum(axis=1)


def value_added_per_dkk(r, variant, base="baseline", months=36):
    """value_added_share x paired difference of regional revenue (participants + others, mDKK/yr)
    summed over months 1..months, each / 12 x 1e6 DKK, / incremental cost (cost at `months`)."""
    regional = lambda v: (r.metric(v, "participant_revenue_mdkk") +
                          r.metric(v, "nonparticipant_revenue_mdkk"))[:, 1:months + 1]
    gained = VALUE_ADDED_SHARE * (regional(variant) - regional(base)).sum(axis=1) / 12 * 1e6
    cost = (r.metric(variant, "cost_dkk_cumulative")[:, months] -
            r.metric(base, "cost_dkk_cumulative")[:, months])
    return gained.mean() / cost.mean(), gained, cost


def figures(main, long=None, activities=None):
    """Every target's figures as a dict (name -> value or tuple), from the results files."""
    out = {}
    r = main
    revenue = r.metric("baseline", "participant_revenue_mdkk")
    out["baseline_growth_36"] = (revenue[:, 36] / revenue[:, 0]).mean() - 1
    out["drift_growth_36"] = r.drift_growth(3)
    book = r.metric("baseline", "project_revenue_mdkk").mean(axis=0)
    out["baseline_book_36"] = ((book / book[0]).min(), (book / book[0]).max())
    cap = r.metric("baseline", "participant_mean_capability")
    out["baseline_capability_per_year"] = (cap[:, 36] - cap[:, 0]).mean() / 3
    base_nps = r.metric("baseline", "participant_new_partner_share")[:, 36]
    full_nps = r.metric("full_programme", "participant_new_partner_share")[:, 36]
    out["baseline_new_partner_share_36"] = base_nps.mean()
    out["full_new_partner_share_effect"] = paired_ci(full_nps - base_nps)
    out["full_largest_component_effect"] = paired_ci(
        r.metric("full_programme", "participant_largest_component_share")[:, 36] -
        r.metric("baseline", "participant_largest_component_share")[:, 36])
    out["full_density_36"] = r.metric("full_programme", "participant_density")[:, 36].mean()
    out["full_degree_cv_36"] = np.nanmean(r.metric("full_programme", "participant_degree_cv")[:, 36])
    base36 = r.metric("baseline", "participant_revenue_mdkk")[:, 36]
    full36 = r.metric("full_programme", "participant_revenue_mdkk")[:, 36]
    out["full_revenue_effect_36"] = paired_ci(full36 / base36 - 1)
    out["meetings_knowledge_ties_12"] = paired_ci(
        r.metric("meetings_only", "ties_knowledge")[:, 12] -
        r.metric("baseline", "ties_knowledge")[:, 12])
    out["full_value_added_per_dkk"] = value_added_per_dkk(r, "full_programme")[0]
    out["full_cost_36"] = r.metric("full_programme", "cost_dkk_cumulative")[:, 36].mean()
    out["full_cluster_organisations_24_36"] = (
        r.metric("full_programme", "cluster_organisations")[:, 24].mean(),
        r.metric("full_programme", "cluster_organisations")[:, 36].mean())
    out["full_ties_partner_36"] = r.metric("full_programme", "ties_partner")[:, 36].mean()
    if long is not None:
        L = long
        out.update(long_figures(L))
    if activities is not None:
        out["activities"] = activity_effects(activities)
    return out


def long_figures(L):
    out = {}
    variants = [k for k in L.f["variants"].keys()]
    effects = {}
    b36 = L.metric("baseline", "participant_revenue_mdkk")[:, 36]
    b72 = L.metric("baseline", "participant_revenue_mdkk")[:, 72]
    for v in variants:
        if v == "baseline":
            continue
        e36 = paired_ci(L.metric(v, "participant_revenue_mdkk")[:, 36] / b36 - 1)
        e72 = paired_ci(L.metric(v, "participant_revenue_mdkk")[:, 72] / b72 - 1)
        effects[v] = (e36, e72)
    out["effects_36_72"] = effects
    out["full_effect_ratio_72_36"] = effects["full_programme"][1][0] / effects["full_programme"][0][0]
    tp = L.metric("full_programme", "ties_partner")
    out["full_ties_partner_36_72"] = (tp[:, 36].mean(), tp[:, 72].mean())
    co = L.metric("full_programme", "cluster_organisations")
    out["full_cluster_organisations_36_72"] = (co[:, 36].mean(), co[:, 72].mean())
    revenue = L.metric("baseline", "participant_revenue_mdkk")
    out["baseline_growth_72"] = (revenue[:, 72] / revenue[:, 0]).mean() - 1
    out["drift_growth_72"] = L.drift_growth(6)
    book = L.metric("baseline", "project_revenue_mdkk").mean(axis=0)
    out["baseline_book_72"] = ((book / book[0]).min(), (book / book[0]).max())
    out["baseline_new_partner_share_72"] = L.metric("baseline",
                                                    "participant_new_partner_share")[:, 72].mean()
    out["full_value_added_per_dkk_72"] = value_added_per_dkk(L, "full_programme", months=72)[0]
    return out


# Further outcomes the activity table reports beside the direct one (not asserted).
SECONDARY = [
    ("interviews", "baseline", "interviews", "participant_mean_capability", ("at", 36)),
    ("staff_training", "interviews_matchmaking", "interviews_matchmaking_training",
     "introductions_accepted", ("at", 18)),
    ("study_trip", "baseline", "study_trip", "ties_knowledge", ("at", 12)),
]


def secondary_effects(A):
    out = {}
    for name, base, variant, metric, how in SECONDARY:
        b = read(A, base, metric, how)
        v = read(A, variant, metric, how)
        out[(name, metric)] = (b.mean(), v.mean(), paired_ci(v - b))
    return out


def activity_effects(A):
    """Per activity: (base mean, with-activity mean, paired effect (mean, low, high))."""
    out = {}
    for name, base, variant, metric, how, _ in ACTIVITIES:
        b = read(A, base, metric, how)
        v = read(A, variant, metric, how)
        out[name] = (b.mean(), v.mean(), paired_ci(v - b))
    return out


def run(klynge, scenario, output, replicates, variants=None, params=None):
    """Runs `scenario` (with `params` written into its parameters block) into `output`."""
    path = scenario
    tmp = None
    if params:
        text = open(scenario).read()
        block = "parameters: {" + ", ".join(f"{k}: {v}" for k, v in params.items()) + "}"
        if re.search(r"^parameters:.*$", text, flags=re.M):
            text = re.sub(r"^parameters:.*$", block, text, count=1, flags=re.M)
        else:
            text += "\n" + block + "\n"
        # Next to the original, so its relative data paths still resolve.
        fd, tmp = tempfile.mkstemp(prefix=".calibration-", suffix=".yaml",
                                   dir=os.path.dirname(scenario))
        with os.fdopen(fd, "w") as f:
            f.write(text)
        path = tmp
    command = [klynge, "run", path, "-o", output, "--replicates", str(replicates), "--quiet",
               "--force"]
    for v in variants or []:
        command += ["--variant", v]
    try:
        subprocess.run(command, check=True)
    finally:
        if tmp:
            os.unlink(tmp)


def run_all(klynge, source, directory, replicates, params=None, long=True, activities=True):
    main = os.path.join(directory, "main.h5")
    run(klynge, os.path.join(source, "scenarios", "midtjylland.yaml"), main, replicates,
        MAIN_VARIANTS, params)
    paths = {"main": main, "long": None, "activities": None}
    if long:
        paths["long"] = os.path.join(directory, "long.h5")
        run(klynge, os.path.join(source, "tests", "scenarios", "workshop_72.yaml"), paths["long"],
            replicates, None, params)
    if activities:
        paths["activities"] = os.path.join(directory, "activities.h5")
        run(klynge, os.path.join(source, "tests", "scenarios", "activities.yaml"),
            paths["activities"], replicates, None, params)
    return paths


def show(figs):
    for k, v in figs.items():
        if k == "activities":
            for name, (b, a, ci) in v.items():
                print(f"  activity {name:20s} base {b:9.3f} with {a:9.3f} "
                      f"effect {ci[0]:+.3f} [{ci[1]:+.3f}, {ci[2]:+.3f}]")
        elif k == "effects_36_72":
            for name, (e36, e72) in v.items():
                print(f"  effect {name:22s} 36: {e36[0]:+.4f} [{e36[1]:+.4f}, {e36[2]:+.4f}]"
                      f"  72: {e72[0]:+.4f} [{e72[1]:+.4f}, {e72[2]:+.4f}]")
        else:
            if isinstance(v, tuple):
                v = "(" + ", ".join(f"{x:.4f}" for x in v) + ")"
            elif isinstance(v, float):
                v = f"{v:.4f}"
            print(f"{k:40s} {v}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--klynge", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--param", action="append", default=[])
    parser.add_argument("--no-long", action="store_true")
    parser.add_argument("--no-activities", action="store_true")
    args = parser.parse_args()
    params = dict(p.split("=", 1) for p in args.param)
    with tempfile.TemporaryDirectory(prefix="klynge-calibration-") as d:
        paths = run_all(args.klynge, args.source, d, args.replicates, params,
                        not args.no_long, not args.no_activities)
        figs = figures(Results(paths["main"]),
                       Results(paths["long"]) if paths["long"] else None,
                       Results(paths["activities"]) if paths["activities"] else None)
        show(figs)
