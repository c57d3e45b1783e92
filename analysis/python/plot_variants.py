#!/usr/bin/python3
"""Plot every variant against the baseline over time, paired by replicate.

    /usr/bin/python3 analysis/python/plot_variants.py RESULTS.h5 -o variants.png
        [--metric NAME]... [--relative] [--baseline NAME] [--variant NAME]...

For each chosen metric, one panel: the mean over replicates of (variant - baseline) at every
step, with its 95% confidence band (Student t over the paired replicates). Replicates pair up
because equal replicate numbers share their random numbers in every variant (common random
numbers), so the band shows the uncertainty of the *difference*, which is much narrower than
that of either variant alone.

Default panels: participants' revenue as a percentage of the baseline's, partner ties, and the
participants' largest connected component share. With --metric, the chosen metrics are shown
as absolute differences in their units; add --relative for percentages of the baseline.

Only matplotlib's Agg backend is used: no display needed. Exit codes: 0 written, 2 bad input.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import klynge_results as kr  # noqa: E402

#: (metric, shown as % of baseline?) when no --metric is given
DEFAULT_PANELS = [("participant_revenue_mdkk", True), ("ties_partner", False),
                  ("participant_largest_component_share", False)]


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="plot_variants.py",
        description="Plot each variant's mean paired difference from the baseline over steps, "
                    "with a 95%% confidence band, one panel per metric.")
    p.add_argument("results", help="klynge results file (HDF5)")
    p.add_argument("-o", "--output", default="variants.png", help="PNG to write "
                   "(default: variants.png)")
    p.add_argument("--metric", action="append", metavar="NAME",
                   help="metric to plot (repeatable; default: participant revenue in %%, "
                        "ties_partner, participant_largest_component_share)")
    p.add_argument("--relative", action="store_true",
                   help="show the --metric panels as %% difference from the baseline")
    p.add_argument("--baseline", help="variant to compare against (default: the variant "
                   "named baseline, else the first)")
    p.add_argument("--variant", action="append", metavar="NAME",
                   help="variant to show (repeatable; default: all but the baseline)")
    p.add_argument("--dpi", type=int, default=120, help="resolution (default: 120)")
    return p.parse_args(argv)


def plot(res, panels, baseline, variants, output, dpi=120):
    """Draw the panels into ``output``; returns the summaries plotted (a list of DataFrames)."""
    metric_names = [m for m, _ in panels]
    wanted = None if variants is None else list(dict.fromkeys([baseline, *variants]))
    tidy = kr.metrics(res, variants=wanted, metrics=metric_names)
    diffs = kr.paired_differences(tidy, baseline=baseline, step=None)
    shown = [v for v in res.variants if v != baseline and (variants is None or v in variants)]
    colours = plt.get_cmap("tab10")

    n = len(panels)
    ncols = min(n, 3)
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 3.8 * nrows + 0.9),
                             squeeze=False)
    summaries = []
    for k, (metric, relative) in enumerate(panels):
        ax = axes[k // ncols][k % ncols]
        column = "percent_difference" if relative else "difference"
        summary = kr.summarise_differences(diffs[diffs["metric"] == metric], column=column)
        summaries.append(summary.assign(column=column))
        for i, v in enumerate(shown):
            s = summary[summary["variant"] == v].sort_values("step")
            if s.empty:
                continue
            colour = colours(i % 10)
            ax.plot(s["step"], s["mean"], color=colour, lw=1.6, label=v)
            ax.fill_between(s["step"], s["ci_low"], s["ci_high"], color=colour, alpha=0.18,
                            lw=0)
        ax.axhline(0.0, color="0.3", lw=0.8, ls="--")
        unit = res.units.get(metric, "")
        ax.set_title(metric, fontsize=10)
        ax.set_xlabel("month (step)")
        ax.set_ylabel(f"% vs {baseline}" if relative
                      else f"difference vs {baseline}" + (f" ({unit})" if unit not in ("", "1")
                                                          else ""))
        ax.grid(alpha=0.3)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4) or 1,
               fontsize=9, frameon=False)
    replicates = int(diffs["replicate"].nunique()) if len(diffs) else 0
    fig.suptitle(f"{res.scenario_name}: variants minus {baseline}, mean and 95% CI over "
                 f"{replicates} paired replicates (seed {res.seed}"
                 f"{', INCOMPLETE run' if not res.complete else ''})", fontsize=11)
    legend_rows = (len(labels) + 3) // 4
    fig.tight_layout(rect=(0, 0.04 + 0.035 * legend_rows, 1, 0.95))
    fig.savefig(output, dpi=dpi)
    plt.close(fig)
    return summaries


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        res = kr.open_results(args.results)
        if args.metric:
            panels = [(m, args.relative) for m in args.metric]
        else:
            panels = list(DEFAULT_PANELS)
        for m, _ in panels:
            if m not in res.metric_names:
                raise ValueError(f"no metric {m!r} in {args.results}"
                                 f"{kr._suggest(m, res.metric_names)}; metrics: "
                                 f"{', '.join(res.metric_names)}")
        if args.baseline is None:
            args.baseline = "baseline" if "baseline" in res.variants else res.variants[0]
        if args.baseline not in res.variants:
            raise ValueError(f"no variant {args.baseline!r} in {args.results}"
                             f"{kr._suggest(args.baseline, res.variants)}; variants: "
                             f"{', '.join(res.variants)} (choose one with --baseline)")
        if args.variant:
            for v in args.variant:
                if v not in res.variants:
                    raise ValueError(f"no variant {v!r} in {args.results}"
                                     f"{kr._suggest(v, res.variants)}")
        if len(res.variants) < 2:
            raise ValueError(f"{args.results} holds one variant only; nothing to compare")
    except (OSError, ValueError) as e:
        print(f"plot_variants.py: error: {e}", file=sys.stderr)
        return 2
    plot(res, panels, args.baseline, args.variant, args.output, dpi=args.dpi)
    print(f"wrote {os.path.abspath(args.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
