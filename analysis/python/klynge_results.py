"""Load klynge's HDF5 results files into tidy pandas DataFrames.

A single-file module with no install step: add ``analysis/python`` to ``sys.path`` (or copy
this file next to your notebook) and import it. It needs only Debian's ``python3-h5py``,
``python3-numpy`` and ``python3-pandas``; run it with ``/usr/bin/python3``.

    import sys; sys.path.insert(0, "analysis/python")
    import klynge_results as kr

    res = kr.open_results("results.h5")        # provenance, variants, metrics, units
    m = kr.metrics(res)                          # variant, replicate, step, metric, value, unit
    d = kr.paired_differences(m, metric="participant_revenue_mdkk")   # last step
    print(kr.summarise_differences(d))           # mean and 95% CI per variant

Every function takes either a path or the object returned by :func:`open_results`. Strings are
decoded to ``str``; codes (event types, reasons, tie types) are decoded to their names; firm
indices come with the firm's pseudonym. The layout itself is documented in
``docs/results-layout.md``.
"""

import math
import os

import h5py
import numpy as np
import pandas as pd

__all__ = [
    "SCHEMA_VERSION", "SIZE_CLASSES", "Results", "open_results", "metrics", "metrics_wide",
    "paired_differences", "summarise_differences", "population", "initial_ties",
    "firm_outcomes", "trajectories", "events", "ties", "size_class",
]

#: The results layout version this module reads (root attribute ``schema_version``).
SCHEMA_VERSION = 1

#: The names in the results file that this module reads: key -> path in the results layout table
#: (``sim/io/results_layout.hpp``, listed in ``docs/results-layout.md``; ``<variant>`` stands for
#: a variant's name, ``OBJECT@name`` is an attribute). ``tests/python/test_results_layout.py``
#: checks every path against that table, so renaming a dataset there fails a test until this
#: module follows.
LAYOUT = {
    "format": "/@format",
    "schema_version": "/@schema_version",
    "status": "/@status",
    "seed": "/@seed",
    "replicates": "/@replicates",
    "horizon": "/@horizon",
    "detail_replicates": "/@detail_replicates",
    "scenario_name": "/@scenario_name",
    "variant_names": "/@variants",
    "metric": "/metric",
    "firm_variable": "/firm_variable",
    "firm": "/firm",
    "capability": "/capability",
    "units": "*@units",
    "metric_descriptions": "/metric@descriptions",
    "population": "/population",
    "participant": "/population/participant",
    "synthetic": "/population/synthetic",
    "employees": "/population/employees",
    "capabilities": "/population/capabilities",
    "initial_ties": "/population/initial_ties",
    "variants": "/variants",
    "intervention_ids": "/variants/<variant>@intervention_ids",
    "intervention_types": "/variants/<variant>@intervention_types",
    "variant_configuration": "/variants/<variant>@resolved_configuration",
    "metrics": "/variants/<variant>/metrics",
    "completed": "/variants/<variant>/completed",
    "final_firms": "/variants/<variant>/final_firms",
    "detail": "/variants/<variant>/detail",
    "detail_replicate": "/variants/<variant>/detail/detail_replicate",
    "trajectories": "/variants/<variant>/detail/trajectories",
    "event_offset": "/variants/<variant>/detail/event_offset",
    "event_count": "/variants/<variant>/detail/event_count",
    "tie_offset": "/variants/<variant>/detail/tie_offset",
    "tie_count": "/variants/<variant>/detail/tie_count",
    "events": "/variants/<variant>/detail/events",
    "event_detail_replicate": "/variants/<variant>/detail/events/detail_replicate",
    "event_intervention": "/variants/<variant>/detail/events/intervention",
    "event_type_names": "/variants/<variant>/detail/events/type@names",
    "ties": "/variants/<variant>/detail/ties",
    "tie_detail_replicate": "/variants/<variant>/detail/ties/detail_replicate",
}


def _name(key):
    """The HDF5 name of ``LAYOUT[key]``: the last part of its path."""
    path = LAYOUT[key]
    return path[max(path.rfind("/"), path.rfind("@")) + 1:]

#: Firm size classes by initial employees, the same as ``klynge compare`` uses for its effects
#: by firm size: (name, lower bound inclusive, upper bound exclusive).
SIZE_CLASSES = (("under_50", 0, 50), ("50_99", 50, 100), ("100_199", 100, 200),
                ("200_plus", 200, math.inf))


# --------------------------------------------------------------------------------------------
# small helpers

def _str(x):
    """One value as ``str`` (h5py hands out ``bytes`` for string datasets)."""
    if isinstance(x, bytes):
        return x.decode("utf-8")
    if isinstance(x, np.generic):
        return _str(x.item())
    return str(x)


def _strings(values):
    """An array/list of bytes or str as a list of ``str``."""
    return [_str(v) for v in np.asarray(values).ravel()]


def _read_strings(ds):
    """A 1-D string dataset as a list of ``str``."""
    return _strings(ds[()])


def _suggest(name, choices):
    """' (did you mean X?)' for the closest of ``choices``, or ''."""
    import difflib
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _select(requested, available, what):
    """``requested`` (None, one name or a list) checked against ``available``; keeps order."""
    if requested is None:
        return list(available)
    if isinstance(requested, str):
        requested = [requested]
    requested = list(requested)
    for name in requested:
        if name not in available:
            raise ValueError(f"no {what} {name!r} in this results file{_suggest(name, available)}; "
                             f"available: {', '.join(available)}")
    return requested


def _axis(ds, dim, fallback_length):
    """The values of dimension scale ``dim`` of ``ds`` (0..n-1 if none is attached)."""
    try:
        scales = ds.dims[dim]
        if len(scales):
            return np.asarray(scales[0][()])
    except (RuntimeError, KeyError, IndexError):
        pass
    return np.arange(fallback_length)


def size_class(employees):
    """Size class name(s) for employee count(s), using :data:`SIZE_CLASSES`.

    Accepts a number or an array-like; returns a ``str`` or a numpy array of ``str``.
    """
    e = np.asarray(employees, dtype=float)
    out = np.full(e.shape, "unknown", dtype=object)
    for name, low, high in SIZE_CLASSES:
        out[(e >= low) & (e < high)] = name
    return out.item() if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------
# the file's metadata

class Results:
    """What a results file holds, read once; the file is not kept open.

    Attributes:
        path: the file's path.
        attrs: every root attribute as a plain dict (provenance: ``tool_version``, ``created``,
            ``seed``, ``scenario_text``, ``resolved_configuration``, ``command_line``, ...).
        variants: variant names in scenario order.
        metric_names: metric names in file order (the ``/metric`` dimension scale).
        units: dict metric name -> unit string.
        descriptions: dict metric name -> one-line description.
        firm_variables: names on the ``firm_variable`` axis (revenue_mdkk, employees, degree,
            cluster); ``firm_variable_units`` maps them to units.
        firms: firm pseudonyms in firm index order.
        status: ``"complete"`` or ``"incomplete"``; ``complete`` is the same as a bool.
        completed: dict variant -> bool array over replicates (True once written).
        interventions: dict variant -> list of (intervention id, type) in the order that the
            event table's ``intervention`` column indexes.
        variant_configuration: dict variant -> that variant's resolved configuration (YAML text).
        seed, replicates, horizon, detail_replicates, scenario_name, schema_version: shortcuts
            for the root attributes.
    """

    def __init__(self, path):
        self.path = os.fspath(path)
        with h5py.File(self.path, "r") as f:
            attrs = {k: _attr_value(v) for k, v in f.attrs.items()}
            fmt = attrs.get(_name("format"))
            if fmt != "klynge-results":
                raise ValueError(f"{self.path}: not a klynge results file "
                                 f"(root attribute format = {fmt!r})")
            version = int(attrs.get(_name("schema_version"), -1))
            if version != SCHEMA_VERSION:
                raise ValueError(f"{self.path}: results schema version {version}; this module "
                                 f"reads version {SCHEMA_VERSION} (use the klynge_results.py "
                                 f"that ships with the klynge that wrote the file)")
            self.attrs = attrs
            self.variants = list(attrs.get(_name("variant_names")) or list(f[_name("variants")]))
            metric = f[_name("metric")]
            self.metric_names = _read_strings(metric)
            self.units = dict(zip(self.metric_names, _strings(metric.attrs[_name("units")])))
            self.descriptions = dict(zip(self.metric_names,
                                         _strings(metric.attrs.get(_name("metric_descriptions"),
                                                                   [""] * len(self.metric_names)))))
            firm_variable = f[_name("firm_variable")]
            self.firm_variables = _read_strings(firm_variable)
            self.firm_variable_units = dict(zip(self.firm_variables,
                                                _strings(firm_variable.attrs[_name("units")])))
            self.firms = _read_strings(f[_name("firm")])
            self.completed = {}
            self.interventions = {}
            self.variant_configuration = {}
            for v in self.variants:
                g = f[_name("variants")][v]
                self.completed[v] = np.asarray(g[_name("completed")][()], dtype=bool)
                ids = _strings(g.attrs.get(_name("intervention_ids"), []))
                types = _strings(g.attrs.get(_name("intervention_types"), []))
                self.interventions[v] = list(zip(ids, types))
                self.variant_configuration[v] = _str(
                    g.attrs.get(_name("variant_configuration"), ""))
        self.status = _str(attrs.get(_name("status"), "incomplete"))
        self.seed = int(attrs.get(_name("seed"), 0))
        self.replicates = int(attrs.get(_name("replicates"), 0))
        self.horizon = int(attrs.get(_name("horizon"), 0))
        self.detail_replicates = int(attrs.get(_name("detail_replicates"), 0))
        self.scenario_name = _str(attrs.get(_name("scenario_name"), ""))
        self.schema_version = int(attrs[_name("schema_version")])

    @property
    def complete(self):
        """True when the run finished and every replicate of every variant was written."""
        return self.status == "complete"

    def __repr__(self):
        done = sum(int(c.sum()) for c in self.completed.values())
        total = sum(c.size for c in self.completed.values())
        return (f"<klynge results {self.path!r}: scenario {self.scenario_name!r}, "
                f"{len(self.variants)} variants, {self.replicates} replicates, "
                f"{self.horizon} steps, {len(self.metric_names)} metrics, {self.status} "
                f"({done}/{total} replicates written)>")


def _attr_value(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.ndarray):
        if v.dtype.kind in "OSU":
            return _strings(v)
        return v
    if isinstance(v, np.generic):
        return v.item()
    return v


def open_results(path):
    """Read a results file's metadata into a :class:`Results` object.

    Raises ``ValueError`` for a file that is not a klynge results file or has another
    ``schema_version``, and ``OSError``/``FileNotFoundError`` when HDF5 cannot open it.
    """
    return Results(path)


def _results(source):
    return source if isinstance(source, Results) else Results(source)


# --------------------------------------------------------------------------------------------
# metrics

METRIC_COLUMNS = ["variant", "replicate", "step", "metric", "value", "unit"]


def _metric_blocks(res, variants, metrics, completed_only):
    """(variant, replicate numbers, step numbers, array [replicate, step, metric]) per variant."""
    vs = _select(variants, res.variants, "variant")
    ms = _select(metrics, res.metric_names, "metric")
    cols = [res.metric_names.index(m) for m in ms]
    with h5py.File(res.path, "r") as f:
        for v in vs:
            ds = f[_name("variants")][v][_name("metrics")]
            data = ds[()][:, :, cols]
            reps = _axis(ds, 0, ds.shape[0])
            steps = _axis(ds, 1, ds.shape[1])
            if completed_only:
                keep = res.completed[v]
                data, reps = data[keep], reps[keep]
            yield v, ms, reps, steps, data


def metrics(source, variants=None, metrics=None, completed_only=True):
    """Every metric of every replicate at every step, one row per value (tidy).

    Args:
        source: a path or an :func:`open_results` object.
        variants: a name or list of names (default: all, in scenario order).
        metrics: a name or list of names (default: all, in file order). Choose a few for big
            files: the tidy table has variants x replicates x steps x metrics rows.
        completed_only: drop replicates whose ``completed`` flag is 0 (an interrupted run
            leaves them as NaN rows). With False they are kept, as NaN.

    Returns:
        DataFrame with columns ``variant`` (str), ``replicate`` (int), ``step`` (int, month;
        0 = initial state), ``metric`` (str), ``value`` (float; NaN where a metric was not
        measured, e.g. ``modularity`` between community detections) and ``unit`` (str).
        Equal replicate numbers share random numbers across variants (pair them up).
    """
    res = _results(source)
    frames = []
    for v, ms, reps, steps, data in _metric_blocks(res, variants, metrics, completed_only):
        r, s, m = data.shape
        names = np.array(ms, dtype=object)
        units = np.array([res.units[x] for x in ms], dtype=object)
        frames.append(pd.DataFrame({
            "variant": np.full(r * s * m, v, dtype=object),
            "replicate": np.repeat(reps.astype(np.int64), s * m),
            "step": np.tile(np.repeat(steps.astype(np.int64), m), r),
            "metric": np.tile(names, r * s),
            "value": data.reshape(-1).astype(float),
            "unit": np.tile(units, r * s),
        }))
    if not frames:
        return pd.DataFrame({c: [] for c in METRIC_COLUMNS})
    return pd.concat(frames, ignore_index=True)


def metrics_wide(source, variants=None, metrics=None, completed_only=True):
    """The metrics with one column per metric, indexed by (variant, replicate, step).

    Same arguments as :func:`metrics`. The units are in ``df.attrs["units"]`` (metric -> unit).
    """
    res = _results(source)
    frames = []
    chosen = _select(metrics, res.metric_names, "metric")
    for v, ms, reps, steps, data in _metric_blocks(res, variants, chosen, completed_only):
        r, s, m = data.shape
        index = pd.MultiIndex.from_arrays(
            [np.full(r * s, v, dtype=object), np.repeat(reps.astype(np.int64), s),
             np.tile(steps.astype(np.int64), r)], names=["variant", "replicate", "step"])
        frames.append(pd.DataFrame(data.reshape(r * s, m), index=index, columns=ms))
    if frames:
        df = pd.concat(frames)
    else:
        df = pd.DataFrame(columns=chosen, index=pd.MultiIndex.from_arrays(
            [[], [], []], names=["variant", "replicate", "step"]))
    df.columns.name = "metric"
    df.attrs["units"] = {m: res.units[m] for m in chosen}
    return df


def paired_differences(df, baseline=None, metric=None, step=-1):
    """Per-replicate differences variant - baseline (common random numbers pair them).

    Args:
        df: a tidy table from :func:`metrics`, or a path / :func:`open_results` object (then
            the metrics are loaded, completed replicates only).
        baseline: the variant to subtract (default: the variant named ``"baseline"``, else the
            first variant in ``df``, as ``klynge compare`` does).
        metric: a metric name or list of names (default: every metric in ``df``).
        step: the step to compare; ``-1`` (default) is the last step in ``df``, ``None`` keeps
            every step (for time series).

    Returns:
        DataFrame with one row per (variant, replicate, step, metric) for every variant but the
        baseline, in the order the variants appear in ``df``: columns ``variant``,
        ``replicate``, ``step``, ``metric``, ``unit``, ``variant_value``, ``baseline_value``,
        ``difference`` (variant_value - baseline_value) and ``percent_difference``
        (100 * difference / baseline_value; NaN where the baseline is 0). Only replicates
        present in both the variant and the baseline are paired.
    """
    if not isinstance(df, pd.DataFrame):
        df = metrics(df, metrics=metric)
    missing = [c for c in ("variant", "replicate", "step", "metric", "value") if c not in df]
    if missing:
        raise ValueError(f"paired_differences needs a tidy metrics table (from metrics()); "
                         f"missing columns: {', '.join(missing)}")
    variants = list(pd.unique(df["variant"]))
    if baseline is None:
        baseline = "baseline" if "baseline" in variants or not variants else variants[0]
    if baseline not in variants:
        raise ValueError(f"no baseline variant {baseline!r}{_suggest(baseline, variants)}; "
                         f"variants: {', '.join(map(str, variants))}")
    if metric is not None:
        wanted = [metric] if isinstance(metric, str) else list(metric)
        have = list(pd.unique(df["metric"]))
        for m in wanted:
            if m not in have:
                raise ValueError(f"no metric {m!r} in the table{_suggest(m, have)}")
        df = df[df["metric"].isin(wanted)]
    if step is not None:
        if step < 0:
            steps = np.sort(pd.unique(df["step"]))
            step = int(steps[step]) if len(steps) >= -step else None
        df = df[df["step"] == step]
    keys = ["replicate", "step", "metric"]
    base = df[df["variant"] == baseline][keys + ["value"]].rename(
        columns={"value": "baseline_value"})
    rest = df[df["variant"] != baseline]
    cols = ["variant"] + keys + (["unit"] if "unit" in df else []) + ["value"]
    out = rest[cols].rename(columns={"value": "variant_value"}).merge(base, on=keys, how="inner")
    out["difference"] = out["variant_value"] - out["baseline_value"]
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = 100.0 * out["difference"].to_numpy() / out["baseline_value"].to_numpy()
    pct[out["baseline_value"].to_numpy() == 0] = np.nan
    out["percent_difference"] = pct
    order = {v: i for i, v in enumerate(variants)}
    out = out.sort_values(["variant", "metric", "step", "replicate"],
                          key=lambda c: c.map(order) if c.name == "variant" else c,
                          kind="mergesort").reset_index(drop=True)
    if "unit" not in out:
        out["unit"] = ""
    return out[["variant", "replicate", "step", "metric", "unit", "variant_value",
                "baseline_value", "difference", "percent_difference"]]


def _t_quantile(p, dof):
    """Student-t quantile (scipy when installed, else a table; exact to 3 decimals)."""
    try:
        from scipy import stats
        return float(stats.t.ppf(p, dof))
    except ImportError:
        pass
    if abs(p - 0.975) > 1e-9:
        # without scipy, other levels use the normal quantile (bisection on erf)
        lo, hi = -10.0, 10.0
        for _ in range(100):
            mid = (lo + hi) / 2
            if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2
    table = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
             9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
             16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
             23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
             30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}
    if dof in table:
        return table[dof]
    if dof > 120:
        return 1.960 + (1.980 - 1.960) * 120.0 / dof
    below = max(k for k in table if k < dof)
    above = min(k for k in table if k > dof)
    w = (1 / below - 1 / dof) / (1 / below - 1 / above)   # interpolate in 1/dof
    return table[below] + w * (table[above] - table[below])


def summarise_differences(diffs, column="difference", level=0.95):
    """Mean and confidence interval of paired differences per (variant, metric, step).

    Args:
        diffs: the table from :func:`paired_differences`.
        column: ``"difference"`` (default) or ``"percent_difference"``.
        level: confidence level of the two-sided Student-t interval (default 0.95).

    Returns:
        DataFrame with columns ``variant``, ``metric``, ``step``, ``n`` (paired replicates with
        a value), ``mean``, ``sd``, ``se``, ``ci_low``, ``ci_high``, in the order of ``diffs``.
    """
    rows = []
    for (v, m, s), g in diffs.groupby(["variant", "metric", "step"], sort=False):
        x = g[column].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        n = x.size
        mean = float(x.mean()) if n else math.nan
        sd = float(x.std(ddof=1)) if n > 1 else math.nan
        se = sd / math.sqrt(n) if n > 1 else math.nan
        half = _t_quantile(0.5 + level / 2, n - 1) * se if n > 1 else math.nan
        rows.append((v, m, s, n, mean, sd, se, mean - half, mean + half))
    return pd.DataFrame(rows, columns=["variant", "metric", "step", "n", "mean", "sd", "se",
                                       "ci_low", "ci_high"])


# --------------------------------------------------------------------------------------------
# firms

def population(source, capabilities=False):
    """The initial (step 0) firm table, pseudonymised, one row per firm.

    Columns: ``firm`` (index on the firm axis), ``pseudonym``, ``municipality``, ``lat``,
    ``lon``, ``employees``, ``revenue_mdkk``, ``export_share``, ``market_*`` shares,
    ``participant`` and ``synthetic`` (bool), ``size_class`` (from employees, see
    :data:`SIZE_CLASSES`) and ``name`` only when the run used ``--reveal-names``. With
    ``capabilities=True`` one ``cap_<capability>`` column per capability (level in [0, 1]).
    """
    res = _results(source)
    with h5py.File(res.path, "r") as f:
        pop = f[_name("population")]
        cols = {"firm": np.arange(len(res.firms)), "pseudonym": list(res.firms)}
        for name in pop:
            ds = pop[name]
            if not isinstance(ds, h5py.Dataset) or ds.ndim != 1:
                continue
            if ds.dtype.kind in "OSU":
                cols[name] = _read_strings(ds)
            elif name in (_name("participant"), _name("synthetic")):
                cols[name] = ds[()].astype(bool)
            else:
                cols[name] = ds[()]
        df = pd.DataFrame(cols)
        if _name("employees") in df:
            df["size_class"] = size_class(df[_name("employees")].to_numpy())
        if capabilities and _name("capabilities") in pop:
            names = _read_strings(f[_name("capability")])
            caps = pop[_name("capabilities")][()]
            for i, c in enumerate(names):
                df[f"cap_{c}"] = caps[:, i]
    first = ["firm", "pseudonym", "municipality", "lat", "lon", "employees", "revenue_mdkk",
             "export_share"]
    order = [c for c in first if c in df] + [c for c in df if c not in first]
    return df[order]


def initial_ties(source):
    """The initial ties (from the interview relations): ``firm_a``, ``firm_b``,
    ``pseudonym_a``, ``pseudonym_b``, ``trust``, ``type`` (trade/partner/knowledge)."""
    res = _results(source)
    with h5py.File(res.path, "r") as f:
        df = _table(f[_name("population")][_name("initial_ties")])
    return _decorate(df, res, {})


def firm_outcomes(source, variants=None, completed_only=True):
    """Every firm's final outcome in every replicate, joined with its initial state.

    One row per (variant, replicate, firm), from ``/variants/<v>/final_firms``. Columns:
    ``variant``, ``replicate``, ``firm``, ``pseudonym``, ``municipality``, ``participant``,
    ``synthetic``, ``employees0``, ``revenue0`` (initial employees and revenue, mDKK/year),
    ``size_class`` (initial employees), then the final ``revenue_mdkk``, ``employees``,
    ``degree`` and ``cluster`` (-1 = in no cluster), and ``revenue_growth`` /
    ``employment_growth`` (final / initial - 1). Use it for effects by firm size, segment or
    place with full replicate statistics (pair variants by replicate and firm).
    """
    res = _results(source)
    vs = _select(variants, res.variants, "variant")
    pop = population(res)
    nf = len(res.firms)
    frames = []
    with h5py.File(res.path, "r") as f:
        for v in vs:
            ds = f[_name("variants")][v][_name("final_firms")]
            data = ds[()]
            reps = _axis(ds, 0, ds.shape[0])
            if completed_only:
                data, reps = data[res.completed[v]], reps[res.completed[v]]
            r = data.shape[0]
            cols = {"variant": np.full(r * nf, v, dtype=object),
                    "replicate": np.repeat(reps.astype(np.int64), nf),
                    "firm": np.tile(np.arange(nf), r)}
            for i, name in enumerate(res.firm_variables):
                cols[name] = data[:, :, i].reshape(-1)
            frames.append(pd.DataFrame(cols))
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        {c: [] for c in ["variant", "replicate", "firm", *res.firm_variables]})
    keep = pop[[c for c in ("firm", "pseudonym", "municipality", "participant", "synthetic",
                            "employees", "revenue_mdkk", "size_class") if c in pop]]
    keep = keep.rename(columns={"employees": "employees0", "revenue_mdkk": "revenue0"})
    out = out.merge(keep, on="firm", how="left", sort=False)
    for name in ("degree", "cluster"):
        if name in out and len(out) and np.all(np.isfinite(out[name])):
            out[name] = out[name].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        if "revenue_mdkk" in out and "revenue0" in out:
            out["revenue_growth"] = out["revenue_mdkk"] / out["revenue0"] - 1
        if "employees" in out and "employees0" in out:
            out["employment_growth"] = out["employees"] / out["employees0"] - 1
    first = ["variant", "replicate", "firm", "pseudonym", "municipality", "participant",
             "synthetic", "employees0", "revenue0", "size_class"]
    return out[[c for c in first if c in out] + [c for c in out if c not in first]]


# --------------------------------------------------------------------------------------------
# detail replicates: trajectories, events, ties

def _table(group, start=0, stop=None):
    """A table group (equally long 1-D columns) as a DataFrame, rows start:stop."""
    data, names = {}, {}
    for k in group:
        ds = group[k]
        data[k] = ds[start:stop]
        if _name("event_type_names") in ds.attrs:  # a code column: names[code]
            names[k] = _strings(ds.attrs[_name("event_type_names")])
    df = pd.DataFrame(data)
    for k, labels in names.items():
        codes = df[k].to_numpy().astype(np.int64)
        lookup = np.array(labels + ["unknown"], dtype=object)
        codes = np.where((codes >= 0) & (codes < len(labels)), codes, len(labels))
        df[k] = lookup[codes]
    return df


def _decorate(df, res, extra):
    """Add pseudonyms for firm_a/firm_b (None where -1) and ``extra`` columns first."""
    firms = np.array(list(res.firms) + [None], dtype=object)
    n = len(res.firms)
    for side in ("a", "b"):
        col = f"firm_{side}"
        if col in df:
            idx = df[col].to_numpy().astype(np.int64)
            df[f"pseudonym_{side}"] = firms[np.where((idx >= 0) & (idx < n), idx, n)]
    for i, (k, v) in enumerate(extra.items()):
        df.insert(i, k, v)
    return df


def _detail(f, v, what):
    """Variant ``v``'s detail group, which must hold ``LAYOUT[what]``."""
    g = f[_name("variants")][v]
    if _name("detail") not in g:
        raise LookupError(f"variant {v!r} has no detail replicates (outputs.detail_replicates "
                          f"was 0 in the scenario)")
    d = g[_name("detail")]
    what = _name(what)
    if what not in d:
        raise LookupError(f"variant {v!r} stores no detail {what} (see the scenario's outputs:)")
    return d


def _detail_rows(d, prefix, detail_replicate):
    """(start, stop) rows of the ``prefix`` table for one detail replicate (all if None)."""
    if detail_replicate is None:
        return 0, None
    offset = d[_name(f"{prefix}_offset")][()]
    count = d[_name(f"{prefix}_count")][()]
    if not 0 <= detail_replicate < len(offset):
        raise ValueError(f"detail_replicate {detail_replicate} out of range 0..{len(offset) - 1}")
    if offset[detail_replicate] < 0:
        return 0, 0
    start = int(offset[detail_replicate])
    return start, start + int(count[detail_replicate])


def _detail_table(source, variant, prefix, detail_replicate, columns):
    res = _results(source)
    vs = _select(variant, res.variants, "variant")
    frames = []
    with h5py.File(res.path, "r") as f:
        for v in vs:
            d = _detail(f, v, prefix + "s")
            start, stop = _detail_rows(d, prefix, detail_replicate)
            df = _table(d[_name(prefix + "s")], start, stop)
            axis = d[_name("detail_replicate")][()].astype(np.int64)
            column = _name(f"{prefix}_detail_replicate")
            dr = df[column].to_numpy().astype(np.int64)
            valid = (dr >= 0) & (dr < len(axis))
            replicate = np.full(len(df), -1, dtype=np.int64)
            replicate[valid] = axis[dr[valid]]
            df = df.drop(columns=[column])
            df = _decorate(df, res, {"variant": np.full(len(df), v, dtype=object),
                                     "detail_replicate": dr, "replicate": replicate})
            if prefix == "event":
                labels = res.interventions[v]
                ids = np.array([i for i, _ in labels] + [None], dtype=object)
                types = np.array([t for _, t in labels] + [None], dtype=object)
                k = df[_name("event_intervention")].to_numpy().astype(np.int64)
                k = np.where((k >= 0) & (k < len(labels)), k, len(labels))
                df["intervention_id"] = ids[k]
                df["intervention_type"] = types[k]
            frames.append(df)
    out = pd.concat(frames, ignore_index=True)
    return out[[c for c in columns if c in out] + [c for c in out if c not in columns]]


EVENT_COLUMNS = ["variant", "detail_replicate", "replicate", "step", "type", "firm_a", "firm_b",
                 "pseudonym_a", "pseudonym_b", "intervention", "intervention_id",
                 "intervention_type", "value", "units_skipped", "reason"]
TIE_COLUMNS = ["variant", "detail_replicate", "replicate", "step", "firm_a", "firm_b",
               "pseudonym_a", "pseudonym_b", "trust", "type"]


def events(source, variant=None, detail_replicate=None):
    """The event table of the detail replicates, decoded.

    Args:
        source: a path or an :func:`open_results` object.
        variant: a variant name or list (default: all variants).
        detail_replicate: one index on the ``detail_replicate`` axis (read through
            ``event_offset``/``event_count``, cheap on big files), or None for all.

    Returns:
        DataFrame, rows in file order (by detail replicate, then step), columns ``variant``,
        ``detail_replicate``, ``replicate`` (the replicate number it is), ``step``, ``type``
        (``tie_formed``, ``tie_dissolved``, ``project_awarded``, ``project_succeeded``,
        ``project_failed``, ``intervention_ran``, ``intervention_skipped``,
        ``intervention_partial``, ``firm_enrolled``, ``firm_unenrolled``,
        ``cluster_organised``, ``cluster_funding_ended``, ``cluster_dissolved``),
        ``firm_a``/``firm_b`` (index, -1 = n/a) with
        ``pseudonym_a``/``pseudonym_b`` (None = n/a), ``intervention`` (index, -1 = n/a) with
        ``intervention_id``/``intervention_type``, ``value`` (tie trust, project value in
        mDKK, units run, ... depending on type), ``units_skipped`` and ``reason`` (``none``,
        ``budget``, ``staff_hours``, ``no_eligible_firms``).

    Raises ``LookupError`` when the file holds no detail replicates.
    """
    return _detail_table(source, variant, "event", detail_replicate, EVENT_COLUMNS)


def ties(source, variant=None, detail_replicate=None):
    """Every live tie at every step of the detail replicates.

    Columns ``variant``, ``detail_replicate``, ``replicate``, ``step``, ``firm_a`` <
    ``firm_b`` with ``pseudonym_a``/``pseudonym_b``, ``trust`` (in [0, 1]) and ``type``
    (``trade``, ``partner``, ``knowledge``). Arguments as for :func:`events`.
    """
    return _detail_table(source, variant, "tie", detail_replicate, TIE_COLUMNS)


def trajectories(source, variant=None, variables=None, wide=False):
    """Per-firm trajectories of the detail replicates (revenue, employees, degree, cluster).

    Args:
        source: a path or an :func:`open_results` object.
        variant: a variant name or list (default: all).
        variables: firm variable name(s) (default: all of ``revenue_mdkk``, ``employees``,
            ``degree``, ``cluster``).
        wide: False (default) gives one row per value; True one column per variable.

    Returns:
        Tidy DataFrame with columns ``variant``, ``detail_replicate``, ``replicate``,
        ``step``, ``firm``, ``pseudonym``, ``variable``, ``value`` (float; cluster -1 = in no
        cluster). Only detail replicates that were written are included. With ``wide=True``
        the columns are the key columns and one per variable. Units: ``open_results(path)
        .firm_variable_units``.

    Raises ``LookupError`` when the file holds no trajectories.
    """
    res = _results(source)
    vs = _select(variant, res.variants, "variant")
    chosen = _select(variables, res.firm_variables, "firm variable")
    cols = [res.firm_variables.index(x) for x in chosen]
    firms = np.array(res.firms, dtype=object)
    frames = []
    with h5py.File(res.path, "r") as f:
        for v in vs:
            d = _detail(f, v, "trajectories")
            ds = d[_name("trajectories")]
            data = ds[()][..., cols].astype(float)
            axis = d[_name("detail_replicate")][()].astype(np.int64)
            written = axis >= 0
            data, dr, axis = data[written], np.arange(len(axis))[written], axis[written]
            nd, ns, nf, nv = data.shape
            steps = _axis(ds, 1, ns).astype(np.int64)
            if wide:
                n = nd * ns * nf
                frame = {"variant": np.full(n, v, dtype=object),
                         "detail_replicate": np.repeat(dr, ns * nf),
                         "replicate": np.repeat(axis, ns * nf),
                         "step": np.tile(np.repeat(steps, nf), nd),
                         "firm": np.tile(np.arange(nf), nd * ns),
                         "pseudonym": np.tile(firms, nd * ns)}
                for i, name in enumerate(chosen):
                    frame[name] = data[..., i].reshape(-1)
            else:
                n = nd * ns * nf * nv
                frame = {"variant": np.full(n, v, dtype=object),
                         "detail_replicate": np.repeat(dr, ns * nf * nv),
                         "replicate": np.repeat(axis, ns * nf * nv),
                         "step": np.tile(np.repeat(steps, nf * nv), nd),
                         "firm": np.tile(np.repeat(np.arange(nf), nv), nd * ns),
                         "pseudonym": np.tile(np.repeat(firms, nv), nd * ns),
                         "variable": np.tile(np.array(chosen, dtype=object), nd * ns * nf),
                         "value": data.reshape(-1)}
            frames.append(pd.DataFrame(frame))
    return pd.concat(frames, ignore_index=True)
