#include "analysis/compare.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "sim/core/errors.hpp"
#include "sim/core/parameters.hpp"
#include "sim/core/text.hpp"

namespace klynge::analysis {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A month of revenue in mDKK/year, in DKK.
constexpr double kDkkPerMdkkYearMonth = 1e6 / 12.0;

double finite_or_nan(double x) {
  return std::isfinite(x) ? x : kNaN;
}

// ---------------------------------------------------------------------------------------------
// Quantities: one number per (variant, replicate) at the reading (month M, or months 1..M).

enum class How {
  metric,         // a metric's value
  growth,         // 100 * (participant revenue / at step 0 - 1), in %
  value_added,    // regional value added: participants + non-participants, mDKK/year
  employees,      // regional employees: participants + non-participants
  added_revenue,  // sum over months 1..M of (variant - baseline) participant revenue, in DKK
  added_value,    // sum over months 1..M of (variant - baseline) regional value added, in DKK
};

struct Quantity {
  std::string name, label;
  std::string unit;        // of a difference
  std::string level_unit;  // of the level
  How how = How::metric;
  int metric = -1;        // How::metric, How::growth
  bool at_month = false;  // read at month M whatever the reading (costs, jobs)
  bool difference_only() const { return how == How::added_revenue || how == How::added_value; }
};

struct Indices {
  std::size_t month = 0;   // the reading row M
  bool cumulative = true;  // average over rows 1..M, else row M
  int revenue = -1, employees = -1, nonparticipant_revenue = -1, nonparticipant_employees = -1,
      ties_partner = -1, clusters = -1, strategic_networks = -1, density = -1,
      participant_density = -1, cost = -1, cash = -1;
  // The value-added metrics; -1 in files written before model v2.5: then value_added_share x
  // revenue.
  int value_added = -1, nonparticipant_value_added = -1;
  double value_added_share = 0.30;
};

int require_metric(const ResultsFile& file, const std::string& name) {
  const int index = file.metric_index(name);
  if (index < 0)
    throw InputError({file.path, 0, 0}, "metric",
                     "the results file has no metric '" + name + "', which compare needs");
  return index;
}

Indices find_indices(const ResultsFile& file) {
  Indices ix;
  ix.revenue = require_metric(file, "participant_revenue_mdkk");
  ix.employees = require_metric(file, "participant_employees");
  ix.nonparticipant_revenue = require_metric(file, "nonparticipant_revenue_mdkk");
  ix.nonparticipant_employees = require_metric(file, "nonparticipant_employees");
  ix.ties_partner = require_metric(file, "ties_partner");
  ix.clusters = require_metric(file, "clusters");
  ix.strategic_networks = require_metric(file, "strategic_networks");
  ix.density = require_metric(file, "density");
  ix.participant_density = require_metric(file, "participant_density");
  ix.cost = require_metric(file, "cost_dkk_cumulative");
  ix.cash = require_metric(file, "cash_dkk_cumulative");
  ix.value_added = file.metric_index("participant_value_added_mdkk");
  ix.nonparticipant_value_added = file.metric_index("nonparticipant_value_added_mdkk");
  return ix;
}

std::string metric_unit(const ResultsFile& file, int metric) {
  if (metric < 0 || static_cast<std::size_t>(metric) >= file.metric_units.size()) return "";
  const std::string& unit = file.metric_units[static_cast<std::size_t>(metric)];
  return unit == "1" ? "" : unit;
}

Quantity metric_quantity(const ResultsFile& file, const std::string& name, std::string label,
                         int metric) {
  const std::string unit = metric_unit(file, metric);
  return {name, std::move(label), unit, unit, How::metric, metric};
}

// The paired effects, in output order (the ratios value_added_per_dkk and cost_per_job are
// computed from value_added_dkk, incremental_cost_dkk and jobs and follow them).
std::vector<Quantity> effect_quantities(const ResultsFile& file, const Indices& ix,
                                        bool nonparticipants) {
  std::vector<Quantity> q;
  q.push_back({"participant_revenue_growth", "participant revenue growth", "pp", "%", How::growth,
               ix.revenue});
  q.push_back(metric_quantity(file, "participant_revenue_mdkk", "participant revenue", ix.revenue));
  q.push_back(
      metric_quantity(file, "participant_employees", "participant employees", ix.employees));
  q.push_back(metric_quantity(file, "ties_partner", "partner ties", ix.ties_partner));
  q.push_back(metric_quantity(file, "clusters", "clusters", ix.clusters));
  q.push_back(
      metric_quantity(file, "strategic_networks", "strategic networks", ix.strategic_networks));
  q.push_back(metric_quantity(file, "density", "density (all firms)", ix.density));
  q.push_back(
      metric_quantity(file, "participant_density", "participant density", ix.participant_density));
  if (nonparticipants)
    q.push_back(metric_quantity(file, "nonparticipant_revenue_mdkk", "non-participant revenue",
                                ix.nonparticipant_revenue));
  q.push_back({"regional_value_added_mdkk", "regional value added", "mDKK/year", "mDKK/year",
               How::value_added});
  q.push_back({"value_added_dkk", "value added (region)", "DKK", "DKK", How::added_value});
  q.push_back(
      {"incremental_cost_dkk", "incremental cost", "DKK", "DKK", How::metric, ix.cost, true});
  q.push_back({"jobs", "additional jobs (region)", "persons", "persons", How::employees, -1, true});
  q.push_back({"added_revenue_dkk", "added participant revenue", "DKK", "DKK", How::added_revenue,
               ix.revenue});
  return q;
}

std::vector<Quantity> level_quantities(const Indices& ix) {
  return {{"participant_revenue_growth_level", "participant revenue growth", "%", "%", How::growth,
           ix.revenue},
          {"cost_dkk", "cost", "DKK", "DKK", How::metric, ix.cost, true},
          {"cash_dkk", "cash", "DKK", "DKK", How::metric, ix.cash, true}};
}

double metric_at(const VariantResults& v, std::size_t r, std::size_t t, int metric) {
  return v.metric(r, t, static_cast<std::size_t>(metric));
}

double regional_value_added(const VariantResults& v, std::size_t r, std::size_t t,
                            const Indices& ix) {
  if (ix.value_added >= 0 && ix.nonparticipant_value_added >= 0)
    return metric_at(v, r, t, ix.value_added) + metric_at(v, r, t, ix.nonparticipant_value_added);
  return ix.value_added_share *
         (metric_at(v, r, t, ix.revenue) + metric_at(v, r, t, ix.nonparticipant_revenue));
}

// The quantity's value in replicate r of v at row t (not for the difference-only quantities).
double value_at(const Quantity& q, const VariantResults& v, std::size_t r, std::size_t t,
                const Indices& ix) {
  switch (q.how) {
    case How::growth: {
      const double start = metric_at(v, r, 0, q.metric);
      const double end = metric_at(v, r, t, q.metric);
      return finite_or_nan(100.0 * (end / start - 1.0));
    }
    case How::metric:
      return finite_or_nan(metric_at(v, r, t, q.metric));
    case How::value_added:
      return finite_or_nan(regional_value_added(v, r, t, ix));
    case How::employees:
      return finite_or_nan(metric_at(v, r, t, ix.employees) +
                           metric_at(v, r, t, ix.nonparticipant_employees));
    case How::added_revenue:
    case How::added_value:
      break;
  }
  return kNaN;
}

// The quantity at the reading: at row M, or its mean over rows 1..M (months without a value,
// e.g. clusters between detections, are skipped; NaN when none has one).
double reading_value(const Quantity& q, const VariantResults& v, std::size_t r, const Indices& ix) {
  if (!ix.cumulative || q.at_month) return value_at(q, v, r, ix.month, ix);
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t t = 1; t <= ix.month; ++t) {
    const double x = value_at(q, v, r, t, ix);
    if (std::isnan(x)) continue;
    sum += x;
    ++n;
  }
  return n ? sum / static_cast<double>(n) : kNaN;
}

// Sum over months 1..last of the paired difference in participant revenue (added_revenue) or
// regional value added (added_value), each month's annualised mDKK/year / 12, in DKK.
double added_dkk(const Quantity& q, const VariantResults& v, const VariantResults& b, std::size_t r,
                 std::size_t last, const Indices& ix) {
  double sum = 0;
  for (std::size_t t = 1; t <= last; ++t)
    sum += q.how == How::added_value
               ? regional_value_added(v, r, t, ix) - regional_value_added(b, r, t, ix)
               : metric_at(v, r, t, ix.revenue) - metric_at(b, r, t, ix.revenue);
  return finite_or_nan(sum * kDkkPerMdkkYearMonth);
}

// The paired effect v - b of q in replicate r at the reading.
double paired_effect(const Quantity& q, const VariantResults& v, const VariantResults& b,
                     std::size_t r, const Indices& ix) {
  if (q.difference_only()) return added_dkk(q, v, b, r, ix.month, ix);
  return reading_value(q, v, r, ix) - reading_value(q, b, r, ix);
}

// The paired effect at row t (the trajectory): at that month, or summed up to it.
double paired_effect_at(const Quantity& q, const VariantResults& v, const VariantResults& b,
                        std::size_t r, std::size_t t, const Indices& ix) {
  if (q.difference_only()) return added_dkk(q, v, b, r, t, ix);
  return value_at(q, v, r, t, ix) - value_at(q, b, r, t, ix);
}

bool completed(const VariantResults& v, std::size_t r) {
  return r < v.completed.size() && v.completed[r] != 0 && r < v.replicates;
}

std::vector<std::size_t> paired_replicates(const VariantResults& v, const VariantResults& b) {
  std::vector<std::size_t> pairs;
  for (std::size_t r = 0; r < std::min(v.replicates, b.replicates); ++r)
    if (completed(v, r) && completed(b, r)) pairs.push_back(r);
  return pairs;
}

void set_replicates_needed(Outcome& o) {
  o.replicates_needed = replicates_needed(o.estimate);
  if (o.replicates_needed && *o.replicates_needed > kReplicatesNeededPractical) {
    o.replicates_needed.reset();
    o.beyond_practical = true;
  }
}

Outcome make_outcome(const Quantity& q, OutcomeKind kind, Estimate estimate) {
  Outcome o;
  o.name = q.name;
  o.label = q.label;
  o.unit = kind == OutcomeKind::level ? q.level_unit : q.unit;
  o.kind = kind;
  o.estimate = estimate;
  if (kind != OutcomeKind::level) set_replicates_needed(o);
  return o;
}

// value_added_per_dkk = value added / incremental cost and cost_per_job = incremental cost / jobs,
// ratios of means with delta-method CIs, defined only where the denominator is positive: a
// variant that costs no more than the baseline, or adds no jobs distinguishable from zero, gets
// no ratio (or no CI) and a note saying why (docs/compare.md).
Outcome ratio_outcome(const std::string& name, const std::string& label, const std::string& unit,
                      const std::vector<double>& numerators,
                      const std::vector<double>& denominators, const Outcome& denominator,
                      bool cost_denominator) {
  Outcome o;
  o.name = name;
  o.label = label;
  o.unit = unit;
  o.kind = OutcomeKind::ratio;
  const Estimate& d = denominator.estimate;
  if (d.n == 0) return o;
  if (cost_denominator) {
    if (!(d.mean > 0)) {
      o.estimate.n = d.n;
      o.note = d.mean == 0 ? "n/a: the variant costs the same as the baseline"
                           : "n/a: the variant costs less than the baseline (see the incremental "
                             "analysis)";
      return o;
    }
    o.estimate = estimate_ratio(numerators, denominators);
    set_replicates_needed(o);
    return o;
  }
  // Jobs in the denominator.
  if (!(d.mean > 0)) {
    o.estimate.n = d.n;
    o.note = "n/a: no additional jobs";
    return o;
  }
  o.estimate = estimate_ratio(numerators, denominators);
  if (!d.distinguishable()) {
    // The job effect's CI reaches zero: the cost per job has no upper bound.
    o.estimate.ci_low = o.estimate.ci_high = o.estimate.half_width = kNaN;
    o.note = "no upper bound: the job effect is not distinguishable from zero";
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Firm-size classes by initial employees.

struct SizeClass {
  const char* name;
  const char* label;
  double low, high;  // [low, high) employees
};
constexpr SizeClass kSizeClasses[] = {
    {"under_50", "under 50", 0.0, 50.0},
    {"50_99", "50-99", 50.0, 100.0},
    {"100_199", "100-199", 100.0, 200.0},
    {"200_plus", "200+", 200.0, std::numeric_limits<double>::infinity()},
};

std::vector<SizeClassEffect> size_class_effects(const ResultsFile& file, const VariantResults& v,
                                                const VariantResults& b,
                                                const std::vector<std::size_t>& pairs,
                                                int revenue_variable) {
  const ResultsHeader& h = file.header;
  std::vector<SizeClassEffect> effects;
  const std::size_t firms = h.employees.size();
  for (const SizeClass& c : kSizeClasses) {
    std::vector<std::size_t> members;
    SizeClassEffect e;
    e.name = c.name;
    e.label = c.label;
    for (std::size_t f = 0; f < firms; ++f)
      if (h.participant[f] && h.employees[f] >= c.low && h.employees[f] < c.high) {
        members.push_back(f);
        e.initial_revenue_mdkk += h.revenue_mdkk[f];
      }
    if (members.empty()) continue;
    e.firms = static_cast<int>(members.size());
    std::vector<double> mdkk, pp;
    const auto var = static_cast<std::size_t>(revenue_variable);
    for (std::size_t r : pairs) {
      double diff = 0;
      for (std::size_t f : members) diff += v.final_firm(r, f, var) - b.final_firm(r, f, var);
      diff = finite_or_nan(diff);
      mdkk.push_back(diff);
      pp.push_back(e.initial_revenue_mdkk > 0 ? 100.0 * diff / e.initial_revenue_mdkk : kNaN);
    }
    e.revenue_mdkk = estimate_mean(mdkk);
    e.revenue_growth_pp = estimate_mean(pp);
    effects.push_back(std::move(e));
  }
  return effects;
}

// Whether final_firms can be used for size classes (and why not).
std::string final_firms_problem(const ResultsFile& file, int revenue_variable) {
  const ResultsHeader& h = file.header;
  const std::size_t firms = h.employees.size();
  if (firms == 0) return "the population table is empty";
  if (h.participant.size() != firms || h.revenue_mdkk.size() != firms)
    return "the population table's columns differ in length";
  if (revenue_variable < 0) return "final_firms has no revenue_mdkk variable";
  for (const auto& v : file.variants)
    if (v.firms != firms || v.firm_variables <= static_cast<std::size_t>(revenue_variable) ||
        v.final_firms.size() != v.replicates * v.firms * v.firm_variables)
      return "final_firms of variant '" + v.name + "' does not match the population table";
  return "";
}

int firm_variable_index(const ResultsFile& file, const std::string& name) {
  for (std::size_t i = 0; i < file.firm_variable_names.size(); ++i)
    if (file.firm_variable_names[i] == name) return static_cast<int>(i);
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Ranking.

// Quantity for --metric.
Quantity ranking_quantity(const ResultsFile& file, const Indices& ix, const std::string& metric) {
  for (const Quantity& q : effect_quantities(file, ix, true))
    if (q.name == metric) return q;
  for (const Quantity& q : level_quantities(ix))
    if (q.name == metric) return q;
  if (metric == "value_added_per_dkk" || metric == "cost_per_job")
    throw UsageError("--metric " + metric +
                     " is a ratio and ranks nothing sensibly (a tiny programme can have the "
                     "best ratio); rank by value_added_dkk and read the incremental "
                     "cost-effectiveness table, or use --budget");
  const int index = file.metric_index(metric);
  if (index >= 0) {
    std::string label = metric;
    std::replace(label.begin(), label.end(), '_', ' ');
    return metric_quantity(file, metric, label, index);
  }
  const std::vector<std::string> names = ranking_metric_names(file);
  throw UsageError("unknown --metric '" + metric + "'" + did_you_mean(metric, names) +
                   "; choose one of: " + join(names));
}

std::vector<std::size_t> common_replicates(const ResultsFile& file) {
  std::vector<std::size_t> common;
  std::size_t max_replicates = 0;
  for (const auto& v : file.variants) max_replicates = std::max(max_replicates, v.replicates);
  for (std::size_t r = 0; r < max_replicates; ++r)
    if (std::all_of(file.variants.begin(), file.variants.end(),
                    [&](const VariantResults& v) { return completed(v, r); }))
      common.push_back(r);
  return common;
}

void rank_variants(Comparison& out, const ResultsFile& file, const Indices& ix, const Quantity& q,
                   std::size_t baseline, const std::vector<std::size_t>& common) {
  const auto& variants = file.variants;
  const VariantResults& b = variants[baseline];
  out.ranking_replicates = common.size();

  // values[v][i]: the quantity in the i-th common replicate (difference-only quantities: the
  // paired difference from the baseline, 0 for the baseline itself).
  const std::size_t nv = variants.size();
  std::vector<std::vector<double>> values(nv);
  for (std::size_t vi = 0; vi < nv; ++vi)
    for (std::size_t r : common)
      values[vi].push_back(q.difference_only()
                               ? (vi == baseline ? 0.0 : paired_effect(q, variants[vi], b, r, ix))
                               : reading_value(q, variants[vi], r, ix));

  // Levels and paired differences against the baseline over the common replicates.
  for (std::size_t vi = 0; vi < nv; ++vi) {
    VariantComparison& vc = out.variants[vi];
    vc.rank_values = values[vi];
    vc.rank_level = estimate_mean(values[vi]);
    std::vector<double> diff(common.size());
    for (std::size_t i = 0; i < common.size(); ++i) diff[i] = values[vi][i] - values[baseline][i];
    vc.rank_effect = estimate_mean(diff);
  }

  // Best share: in each common replicate the highest value wins; ties split the win.
  std::vector<double> wins(nv, 0.0);
  std::size_t contests = 0;
  for (std::size_t i = 0; i < common.size(); ++i) {
    double best = -std::numeric_limits<double>::infinity();
    std::size_t finite = 0;
    for (std::size_t vi = 0; vi < nv; ++vi)
      if (!std::isnan(values[vi][i])) {
        best = std::max(best, values[vi][i]);
        ++finite;
      }
    if (finite == 0) continue;
    ++contests;
    std::vector<std::size_t> winners;
    for (std::size_t vi = 0; vi < nv; ++vi)
      if (values[vi][i] == best) winners.push_back(vi);
    for (std::size_t vi : winners) wins[vi] += 1.0 / static_cast<double>(winners.size());
  }
  for (std::size_t vi = 0; vi < nv; ++vi)
    out.variants[vi].best_share = contests ? wins[vi] / static_cast<double>(contests) : kNaN;

  // Rank by the mean level, highest first; stable in scenario order; NaN unranked (0).
  std::vector<std::size_t> order(nv);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) {
    const double x = out.variants[a].rank_level.mean, y = out.variants[c].rank_level.mean;
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return x > y;
  });
  int rank = 0;
  for (std::size_t vi : order)
    out.variants[vi].rank = std::isnan(out.variants[vi].rank_level.mean) ? 0 : ++rank;
}

// ---------------------------------------------------------------------------------------------
// Incremental cost-effectiveness (NICE reference case): options sorted by cost; an option is
// dominated when a cheaper (or equally costly) one adds at least as much value, extendedly
// dominated when its ICER exceeds that of the next more costly option (a mix of its neighbours
// would do better); ICERs between neighbours on the remaining frontier.

void cost_effectiveness(Comparison& out, const ResultsFile& file, const Indices& ix,
                        std::size_t baseline, const std::vector<std::size_t>& common) {
  const auto& variants = file.variants;
  const VariantResults& b = variants[baseline];
  const std::size_t nv = variants.size();
  const Quantity added{"value_added_dkk", "", "DKK", "DKK", How::added_value};
  std::vector<std::vector<double>> effect(nv);
  std::vector<CostEffectPoint> points(nv);
  for (std::size_t vi = 0; vi < nv; ++vi) {
    const VariantResults& v = variants[vi];
    std::vector<double> cost, incremental;
    for (std::size_t r : common) {
      effect[vi].push_back(vi == baseline ? 0.0 : paired_effect(added, v, b, r, ix));
      cost.push_back(finite_or_nan(metric_at(v, r, ix.month, ix.cost)));
      incremental.push_back(cost.back() - finite_or_nan(metric_at(b, r, ix.month, ix.cost)));
    }
    CostEffectPoint& p = points[vi];
    p.variant = v.name;
    p.cost_dkk = estimate_mean(cost).mean;
    p.incremental_cost_dkk = estimate_mean(incremental).mean;
    p.effect_dkk = estimate_mean(effect[vi]).mean;
    p.status = std::isnan(p.cost_dkk) || std::isnan(p.effect_dkk) ? "unranked" : "";
  }

  // Cheapest first; equal costs: the larger effect first (the other is dominated); then
  // scenario order.
  std::vector<std::size_t> order;
  for (std::size_t vi = 0; vi < nv; ++vi)
    if (points[vi].status.empty()) order.push_back(vi);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t c) {
    if (points[a].cost_dkk != points[c].cost_dkk) return points[a].cost_dkk < points[c].cost_dkk;
    return points[a].effect_dkk > points[c].effect_dkk;
  });

  // Strong dominance: no more effect than the best of the cheaper ones.
  std::vector<std::size_t> frontier;
  for (std::size_t vi : order) {
    if (!frontier.empty() && points[vi].effect_dkk <= points[frontier.back()].effect_dkk) {
      points[vi].status = "dominated";
      points[vi].dominated_by = points[frontier.back()].variant;
      continue;
    }
    frontier.push_back(vi);
  }
  // The budget choice works on these: a programme is chosen whole, so a mix of two (what
  // extended dominance assumes) is not on offer.
  const std::vector<std::size_t> undominated = frontier;
  // Extended dominance: ICERs must rise along the frontier. Costs and effects both rise strictly
  // here, so every ICER is finite and positive.
  const auto icer = [&](std::size_t from, std::size_t to) {
    return (points[to].cost_dkk - points[from].cost_dkk) /
           (points[to].effect_dkk - points[from].effect_dkk);
  };
  for (bool changed = true; changed;) {
    changed = false;
    for (std::size_t k = 1; k + 1 < frontier.size(); ++k)
      if (icer(frontier[k - 1], frontier[k]) > icer(frontier[k], frontier[k + 1])) {
        CostEffectPoint& p = points[frontier[k]];
        p.status = "extendedly_dominated";
        p.dominated_by =
            points[frontier[k - 1]].variant + " and " + points[frontier[k + 1]].variant;
        frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(k));
        changed = true;
        break;
      }
  }
  for (std::size_t k = 0; k < frontier.size(); ++k) {
    CostEffectPoint& p = points[frontier[k]];
    p.status = "frontier";
    if (k == 0) continue;
    const std::size_t prev = frontier[k - 1];
    p.previous = points[prev].variant;
    p.step_cost_dkk = p.cost_dkk - points[prev].cost_dkk;
    std::vector<double> step(common.size());
    for (std::size_t i = 0; i < common.size(); ++i)
      step[i] = effect[frontier[k]][i] - effect[prev][i];
    p.step_effect = estimate_mean(step);
    p.icer = icer(prev, frontier[k]);
    p.value_added_per_dkk = 1.0 / p.icer;
  }

  // Best within the budget: the most effective variant whose mean cost fits (among the variants
  // that are not dominated, ordered by cost, that is the last that fits), and how it compares
  // with the next cheaper one of them.
  if (out.budget) {
    BudgetChoice& choice = *out.budget;
    for (std::size_t k = 0; k < undominated.size(); ++k) {
      const CostEffectPoint& p = points[undominated[k]];
      if (p.cost_dkk > choice.budget_dkk * (1 + 1e-9)) break;
      choice.variant = p.variant;
      choice.cost_dkk = p.cost_dkk;
      choice.effect_dkk = p.effect_dkk;
      choice.cheaper = k ? points[undominated[k - 1]].variant : "";
      choice.distinguishable_from_cheaper = true;
      if (k) {
        std::vector<double> step(common.size());
        for (std::size_t i = 0; i < common.size(); ++i)
          step[i] = effect[undominated[k]][i] - effect[undominated[k - 1]][i];
        choice.distinguishable_from_cheaper = estimate_mean(step).distinguishable();
      }
    }
  }

  out.cost_effect.clear();
  for (std::size_t vi : order) out.cost_effect.push_back(points[vi]);
  for (std::size_t vi = 0; vi < nv; ++vi)
    if (points[vi].status == "unranked") out.cost_effect.push_back(points[vi]);
}

// The value_added_share the file's baseline was run with (model parameter), else the default.
double recorded_value_added_share(const ResultsFile& file, std::size_t baseline) {
  double share = kNaN;
  if (const ParamSpec* spec = find_model_parameter("value_added_share"))
    share = spec->default_value;
  if (baseline < file.header.variants.size()) {
    try {
      const YAML::Node config = YAML::Load(file.header.variants[baseline].resolved_configuration);
      const YAML::Node recorded = config["parameters"]["value_added_share"];
      if (recorded && recorded.IsScalar()) share = recorded.as<double>();
    } catch (const YAML::Exception&) {
      // An unreadable configuration leaves the default; the programme summary warns.
    }
  }
  return share;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

const Outcome* VariantComparison::effect(const std::string& key) const {
  for (const auto& o : effects)
    if (o.name == key) return &o;
  return nullptr;
}

const Outcome* VariantComparison::level(const std::string& key) const {
  for (const auto& o : levels)
    if (o.name == key) return &o;
  return nullptr;
}

const VariantComparison* Comparison::find(const std::string& key) const {
  for (const auto& v : variants)
    if (v.name == key) return &v;
  return nullptr;
}

const ProgrammeSummary* Comparison::programme(const std::string& key) const {
  for (const auto& p : programmes)
    if (p.variant == key) return &p;
  return nullptr;
}

std::string Comparison::reading() const {
  return cumulative ? "averaged over months 1-" + std::to_string(month)
                    : "at month " + std::to_string(month);
}

std::vector<std::string> effect_names() {
  return {"participant_revenue_growth",
          "participant_revenue_mdkk",
          "participant_employees",
          "ties_partner",
          "clusters",
          "strategic_networks",
          "density",
          "participant_density",
          "nonparticipant_revenue_mdkk",
          "regional_value_added_mdkk",
          "value_added_dkk",
          "incremental_cost_dkk",
          "jobs",
          "added_revenue_dkk",
          "value_added_per_dkk",
          "cost_per_job"};
}

std::vector<std::string> ranking_metric_names(const ResultsFile& results) {
  std::vector<std::string> names;
  for (const auto& name : effect_names())
    if (name != "value_added_per_dkk" && name != "cost_per_job") names.push_back(name);
  for (const char* level : {"participant_revenue_growth_level", "cost_dkk", "cash_dkk"})
    names.emplace_back(level);
  for (const auto& m : results.metric_names)
    if (std::find(names.begin(), names.end(), m) == names.end()) names.push_back(m);
  return names;
}

Comparison compare(const ResultsFile& file, const CompareOptions& options) {
  if (file.variants.empty())
    throw InputError({file.path, 0, 0}, "variants", "the results file holds no variant");
  Comparison out;
  out.path = file.path;
  out.scenario = file.header.scenario_name;
  out.status = file.status;
  out.replicates = file.variants.front().replicates;
  out.firms = file.header.employees.size();
  out.participant_firms = static_cast<std::size_t>(
      std::count_if(file.header.participant.begin(), file.header.participant.end(),
                    [](std::uint8_t p) { return p != 0; }));

  // The baseline.
  std::size_t baseline = 0;
  std::vector<std::string> names;
  for (const auto& v : file.variants) names.push_back(v.name);
  if (!options.baseline.empty()) {
    const auto it = std::find(names.begin(), names.end(), options.baseline);
    if (it == names.end())
      throw UsageError("unknown --baseline '" + options.baseline + "'" +
                       did_you_mean(options.baseline, names) + "; the variants in " + file.path +
                       " are: " + join(names));
    baseline = static_cast<std::size_t>(it - names.begin());
  } else {
    const auto it = std::find(names.begin(), names.end(), "baseline");
    if (it != names.end()) baseline = static_cast<std::size_t>(it - names.begin());
  }
  out.baseline = names[baseline];

  Indices ix = find_indices(file);
  const VariantResults& b = file.variants[baseline];
  if (b.steps == 0) throw InputError({file.path, 0, 0}, "metrics", "the results hold no step");
  for (const auto& v : file.variants)
    if (v.steps != b.steps || v.metric_count != b.metric_count)
      throw InputError(
          {file.path, 0, 0}, "metrics",
          "variant '" + v.name + "' has a different metrics shape from '" + b.name + "'");
  out.horizon = static_cast<int>(b.steps - 1);
  if (options.at && (*options.at < 1 || *options.at > out.horizon))
    throw UsageError("--at " + std::to_string(*options.at) +
                     " is outside the results: choose a "
                     "month from 1 to " +
                     std::to_string(out.horizon) + " (the horizon)");
  out.month = options.at ? *options.at : out.horizon;
  out.cumulative = !options.at || options.cumulative;
  ix.month = static_cast<std::size_t>(out.month);
  ix.cumulative = out.cumulative;
  ix.value_added_share = recorded_value_added_share(file, baseline);
  out.value_added_share = ix.value_added_share;
  if (ix.value_added < 0 || ix.nonparticipant_value_added < 0)
    out.warnings.push_back(
        "the file has no value-added metrics (written before model v2.5): "
        "value added is taken as value_added_share (" +
        format_number(ix.value_added_share, kNaN) + ") x revenue");
  if (options.budget_dkk) {
    if (!(*options.budget_dkk >= 0) || !std::isfinite(*options.budget_dkk))
      throw UsageError("--budget must be a finite amount of DKK >= 0");
    out.budget = BudgetChoice{};
    out.budget->budget_dkk = *options.budget_dkk;
  }

  const std::string metric = options.metric.empty() ? kDefaultMetric : options.metric;
  const Quantity ranked = ranking_quantity(file, ix, metric);
  out.metric = ranked.name;
  out.metric_label = ranked.label;
  out.metric_unit = ranked.level_unit;
  out.metric_difference_unit = ranked.unit;

  if (!file.complete())
    out.warnings.push_back("the results file is incomplete (status '" + file.status +
                           "'): only replicates completed in both variants are paired");

  const bool nonparticipants = out.participant_firms < out.firms;
  const std::vector<Quantity> effects = effect_quantities(file, ix, nonparticipants);
  const std::vector<Quantity> levels = level_quantities(ix);
  const Quantity value_added_level{"regional_value_added_mdkk", "regional value added", "mDKK/year",
                                   "mDKK/year", How::value_added};
  const int revenue_variable = firm_variable_index(file, "revenue_mdkk");
  const std::string firms_problem = final_firms_problem(file, revenue_variable);
  if (!firms_problem.empty() && file.variants.size() > 1)
    out.warnings.push_back("no effects by firm size: " + firms_problem);
  if (file.variants.size() == 1)
    out.warnings.push_back("the file holds one variant ('" + out.baseline +
                           "'): there is nothing to compare it with");

  for (std::size_t vi = 0; vi < file.variants.size(); ++vi) {
    const VariantResults& v = file.variants[vi];
    VariantComparison vc;
    vc.name = v.name;
    for (const auto& info : file.header.variants)
      if (info.name == v.name) vc.label = info.label;
    vc.is_baseline = vi == baseline;
    vc.replicates = v.replicates;
    vc.completed = v.completed_count();
    std::vector<std::size_t> pairs;
    if (vc.is_baseline) {
      for (std::size_t r = 0; r < v.replicates; ++r)
        if (completed(v, r)) pairs.push_back(r);
    } else {
      pairs = paired_replicates(v, b);
    }
    vc.pairs = pairs.size();
    if (!vc.is_baseline && vc.pairs < std::max(v.replicates, b.replicates))
      out.warnings.push_back("variant '" + v.name + "': " + std::to_string(vc.pairs) + " of " +
                             std::to_string(std::max(v.replicates, b.replicates)) +
                             " replicates completed in both it and '" + b.name + "'");

    for (const Quantity& q : levels) {
      std::vector<double> x;
      for (std::size_t r : pairs) x.push_back(reading_value(q, v, r, ix));
      vc.levels.push_back(make_outcome(q, OutcomeKind::level, estimate_mean(x)));
    }

    if (!vc.is_baseline) {
      std::map<std::string, std::vector<double>> per_replicate;
      for (const Quantity& q : effects) {
        std::vector<double>& d = per_replicate[q.name];
        for (std::size_t r : pairs) d.push_back(paired_effect(q, v, b, r, ix));
        vc.effects.push_back(make_outcome(q, OutcomeKind::difference, estimate_mean(d)));
      }
      // The headline ratios, after their parts.
      const Outcome cost = *vc.effect("incremental_cost_dkk");
      const Outcome jobs = *vc.effect("jobs");
      vc.effects.push_back(ratio_outcome("value_added_per_dkk", "value added per DKK", "DKK/DKK",
                                         per_replicate["value_added_dkk"],
                                         per_replicate["incremental_cost_dkk"], cost, true));
      Outcome per_job =
          ratio_outcome("cost_per_job", "cost per job", "DKK/job",
                        per_replicate["incremental_cost_dkk"], per_replicate["jobs"], jobs, false);
      if (!(cost.estimate.mean > 0) && cost.estimate.n > 0) {
        per_job.estimate = Estimate{};
        per_job.estimate.n = cost.estimate.n;
        per_job.replicates_needed.reset();
        per_job.note = "n/a: the variant costs no more than the baseline";
      }
      vc.effects.push_back(per_job);
      if (firms_problem.empty())
        vc.size_classes = size_class_effects(file, v, b, pairs, revenue_variable);
      // Trajectories: the ranking metric and regional value added at every month.
      for (const Quantity* q : {&ranked, &value_added_level}) {
        Trajectory t;
        t.name = q->name;
        t.unit = q->unit;
        for (std::size_t month = 0; month < v.steps; ++month) {
          std::vector<double> d;
          for (std::size_t r : pairs) d.push_back(paired_effect_at(*q, v, b, r, month, ix));
          t.by_month.push_back(estimate_mean(d));
        }
        vc.trajectories.push_back(std::move(t));
        if (q->name == value_added_level.name) break;  // ranked by it: once is enough
      }
    }
    out.variants.push_back(std::move(vc));
  }

  const std::vector<std::size_t> common = common_replicates(file);
  rank_variants(out, file, ix, ranked, baseline, common);
  cost_effectiveness(out, file, ix, baseline, common);
  out.programmes = programme_summaries(file, ix.month, out.warnings);
  std::size_t most = 0;
  for (const auto& v : file.variants) most = std::max(most, v.replicates);
  if (out.ranking_replicates < most && file.variants.size() > 1)
    out.warnings.push_back("the ranking and the incremental analysis use the " +
                           std::to_string(out.ranking_replicates) +
                           " replicates completed in every variant");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

std::string format_number(double value, double half_width, bool show_plus) {
  if (!std::isfinite(value)) return "n/a";
  int decimals = 0;
  bool strip_zeros = false;
  if (std::isfinite(half_width) && half_width > 0) {
    // The half-width's second significant digit.
    decimals = 1 - static_cast<int>(std::floor(std::log10(half_width)));
  } else if (value != 0) {
    // No spread: three significant digits, trailing zeros dropped.
    decimals = 2 - static_cast<int>(std::floor(std::log10(std::fabs(value))));
    strip_zeros = true;
  }
  decimals = std::clamp(decimals, 0, 6);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string text = buffer;
  if (strip_zeros && text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  const bool zero = text.find_first_not_of("-0.") == std::string::npos;
  if (zero && text.front() == '-') text.erase(0, 1);
  if (show_plus && !zero && value > 0) text.insert(0, "+");
  return text;
}

std::string json_escape(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string json_string(const std::string& text) {
  return "\"" + json_escape(text) + "\"";
}

namespace {

// Shortest text that reads back as the same double; "" for NaN and infinities.
std::string exact_number(double value) {
  if (!std::isfinite(value)) return "";
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

std::string json_number(double value) {
  return std::isfinite(value) ? exact_number(value) : "null";
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// How the table shows an amount of `unit`: DKK as mDKK (million DKK).
struct Display {
  double scale = 1;
  std::string unit;
};
Display display_unit(const std::string& unit) {
  if (unit == "DKK") return {1e-6, "mDKK"};
  if (unit == "DKK/DKK") return {1, "DKK per DKK"};
  if (unit == "DKK/job") return {1e-3, "thousand DKK per job"};
  return {1, unit};
}

std::string with_unit(const std::string& number, const std::string& unit) {
  if (unit.empty()) return number;
  if (unit == "%") return number + "%";
  return number + " " + unit;
}

// "+5.7 pp [5.5, 5.9]" (the CI only when there is one).
std::string estimate_text(const Estimate& e, const std::string& unit, bool show_plus) {
  const Display d = display_unit(unit);
  const double half = e.half_width * d.scale;
  std::string text = with_unit(format_number(e.mean * d.scale, half, show_plus), d.unit);
  if (e.has_ci() && std::isfinite(e.ci_low) && e.sd > 0)
    text += " [" + format_number(e.ci_low * d.scale, half) + ", " +
            format_number(e.ci_high * d.scale, half) + "]";
  return text;
}

std::string count_text(std::uint64_t n) {
  if (n >= kReplicatesNeededCap) return "more than 10^12";
  return std::to_string(n);
}

// What a person should read into an effect's CI.
std::string verdict(const Outcome& o, std::size_t pairs) {
  const Estimate& e = o.estimate;
  const std::string n = "n=" + std::to_string(e.n);
  if (o.kind == OutcomeKind::level) return "";
  if (e.n == 0) return "no paired replicate";
  if (!o.note.empty() && std::isnan(e.mean)) return o.note;
  if (std::isnan(e.mean)) return "n/a (" + n + ")";
  if (!o.note.empty()) return o.note + " (" + n + ")";
  if (!e.has_ci()) return "one paired replicate: no confidence interval";
  if (e.zero_everywhere()) return "no difference: zero in every replicate (" + n + ")";
  if (e.distinguishable() && e.sd == 0) return "the same in every replicate (" + n + ")";
  if (e.distinguishable()) return e.n < pairs ? "(" + n + ")" : "";
  if (e.mean == 0)
    return "not distinguishable from zero (" + n + "; the mean difference is exactly zero)";
  if (o.beyond_practical)
    return "not distinguishable from zero (" + n + "): no effect of practical size; over " +
           std::to_string(kReplicatesNeededPractical) + " replicates would be needed to tell";
  if (o.replicates_needed)
    return "not distinguishable from zero (" + n + "; about " + count_text(*o.replicates_needed) +
           " replicates would tell it)";
  return "not distinguishable from zero (" + n + ")";
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

std::string share_text(double share) {
  if (std::isnan(share)) return "n/a";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * share);
  return buffer;
}

// Amounts in the incremental table: mDKK with two decimals (they are means, compared by eye).
std::string mdkk(double dkk, bool plus = false) {
  if (!std::isfinite(dkk)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, plus ? "%+.2f" : "%.2f", dkk * 1e-6);
  std::string text = buffer;
  if (text == "-0.00" || text == "+0.00") text = "0.00";
  return text;
}

std::string ratio_text(double x) {
  if (!std::isfinite(x)) return "-";
  return format_number(x, kNaN);
}

// The incremental cost-effectiveness table and the budget choice.
void format_cost_effect(std::ostringstream& out, const Comparison& c) {
  if (c.cost_effect.size() < 2) return;
  out << "\nIncremental cost-effectiveness (value added over months 1-" << c.month
      << ", region, vs '" << c.baseline << "'; cost at month " << c.month
      << "):\nvariants by cost; dominated: another costs no more and adds at least as much; "
         "extendedly dominated:\na mix of its neighbours would do better; along the frontier, "
         "each step's extra value added per extra DKK.\n";
  std::vector<std::array<std::string, 6>> lines;
  lines.push_back({"variant", "cost mDKK", "vs " + c.baseline + " mDKK", "value added mDKK",
                   "extra value added per extra DKK", "status"});
  for (const CostEffectPoint& p : c.cost_effect) {
    std::string status = p.status, step = "";
    if (p.status == "dominated") status = "dominated by " + p.dominated_by;
    if (p.status == "extendedly_dominated") status = "ext. dominated (" + p.dominated_by + ")";
    if (p.status == "frontier") {
      status = "frontier";
      if (!p.previous.empty()) {
        step = ratio_text(p.value_added_per_dkk) + " vs " + p.previous;
        if (p.step_effect.has_ci() && !p.step_effect.distinguishable())
          step += " (extra value added n.d.)";
      } else {
        step = "(cheapest)";
      }
    }
    lines.push_back({p.variant, mdkk(p.cost_dkk), mdkk(p.incremental_cost_dkk, true),
                     mdkk(p.effect_dkk, true), step.empty() ? "-" : step, status});
  }
  std::array<std::size_t, 6> widths{};
  for (const auto& l : lines)
    for (std::size_t k = 0; k < l.size(); ++k) widths[k] = std::max(widths[k], l[k].size() + 2);
  for (const auto& l : lines) {
    std::string line = "  ";
    for (std::size_t k = 0; k + 1 < l.size(); ++k) line += pad(l[k], widths[k]);
    line += l.back();
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
  bool any_nd = false;
  for (const CostEffectPoint& p : c.cost_effect)
    any_nd = any_nd || (p.step_effect.has_ci() && !p.step_effect.distinguishable());
  if (any_nd)
    out << "  (n.d.: the extra value added over the previous frontier variant is not "
           "distinguishable from zero at 95%)\n";
  if (c.budget) {
    const BudgetChoice& b = *c.budget;
    out << "Best variant within a budget of " << mdkk(b.budget_dkk) << " mDKK (cost = cash + "
        << "staff hours at month " << c.month << "): ";
    if (b.variant.empty()) {
      out << "none: every variant costs more.\n";
    } else {
      out << b.variant << " (cost " << mdkk(b.cost_dkk) << " mDKK, value added "
          << mdkk(b.effect_dkk, true) << " mDKK vs " << c.baseline << ")";
      if (!b.cheaper.empty() && !b.distinguishable_from_cheaper)
        out << "; its extra value added over the cheaper " << b.cheaper
            << " is not distinguishable from zero";
      out << ".\n";
    }
  }
}

}  // namespace

std::string format_table(const Comparison& c) {
  std::ostringstream out;
  const VariantComparison* base = c.find(c.baseline);
  out << "Comparison of " << c.path << ": scenario '" << c.scenario << "', " << c.replicates
      << " replicates per variant, " << c.status << "\n";
  for (const auto& w : c.warnings) out << "warning: " << w << "\n";
  out << "Baseline '" << c.baseline << "'";
  if (base) {
    out << " (" << base->pairs << " replicates)";
    std::string sep = ": ";
    if (const Outcome* g = base->level("participant_revenue_growth_level")) {
      out << sep << "participant revenue growth " << estimate_text(g->estimate, g->unit, true)
          << " " << c.reading();
      sep = ", ";
    }
    if (const Outcome* cost = base->level("cost_dkk"))
      out << sep << "cost " << estimate_text(cost->estimate, cost->unit, false) << " at month "
          << c.month;
  }
  out << ".\nEffects: paired differences variant - baseline, replicate by replicate (common random "
         "numbers),\n"
      << c.reading()
      << (c.cumulative ? " (the cumulative effect / months; --at M reads one month)"
                       : " (--cumulative averages months 1-M)")
      << ": mean [95% confidence interval].\nEconomics: value added = "
      << format_number(c.value_added_share, kNaN)
      << " x revenue of all firms (participants + non-participants, so\ndisplacement is netted "
         "out), summed over months 1-"
      << c.month << "; costs and jobs at month " << c.month
      << "; per DKK of\nincremental cost (the variant's cost - the baseline's).\n";

  // Effect rows of every variant share one label column.
  std::size_t label_width = 24;
  for (const auto& v : c.variants) {
    for (const auto& o : v.effects) label_width = std::max(label_width, o.label.size() + 4);
    for (const auto& s : v.size_classes) label_width = std::max(label_width, s.label.size() + 16);
  }

  for (const auto& v : c.variants) {
    if (v.is_baseline) continue;
    // A label (`label:`) leads, the code name follows: the name is what --baseline and the CSV use.
    const VariantComparison* reference = c.find(c.baseline);
    out << "\n"
        << (v.label.empty() ? v.name : v.label + " (" + v.name + ")") << " vs "
        << (reference && !reference->label.empty() ? reference->label + " (" + c.baseline + ")"
                                                   : c.baseline)
        << " (" << v.pairs << " paired replicates";
    if (v.pairs < v.replicates) out << " of " << v.replicates;
    out << ")\n";
    if (v.pairs == 0) {
      out << "  no replicate was completed in both variants\n";
      continue;
    }
    std::vector<std::pair<std::string, std::string>> rows;  // label, text
    std::vector<std::string> notes;
    for (const auto& o : v.effects) {
      if (o.name == "value_added_dkk") {
        rows.emplace_back("", "");
        notes.push_back("");
      }
      std::string note = verdict(o, v.pairs);
      if (o.name == "nonparticipant_revenue_mdkk" && o.estimate.distinguishable())
        note = o.estimate.mean > 0 ? "spill-over" : "displacement";
      if (o.name == "incremental_cost_dkk")
        if (const Outcome* cash = v.level("cash_dkk"))
          if (const Outcome* own = v.level("cost_dkk"))
            note = "own cost " + estimate_text(own->estimate, own->unit, false) +
                   ", of which cash " + estimate_text(cash->estimate, cash->unit, false) +
                   (note.empty() ? "" : "; " + note);
      if (o.name == "added_revenue_dkk")
        note = "secondary: revenue, not value added" + (note.empty() ? "" : "; " + note);
      const bool ratio_without_number = o.kind == OutcomeKind::ratio && std::isnan(o.estimate.mean);
      rows.emplace_back(o.label,
                        ratio_without_number
                            ? "n/a"
                            : estimate_text(o.estimate, o.unit, o.kind == OutcomeKind::difference));
      notes.push_back(note);
    }
    std::size_t text_width = 0;
    for (const auto& r : rows) text_width = std::max(text_width, r.second.size() + 2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rows[i].first.empty()) {
        out << "  economics (months 1-" << c.month << "):\n";
        continue;
      }
      std::string line =
          "  " + pad(rows[i].first, label_width) +
          (notes[i].empty() ? rows[i].second : pad(rows[i].second, text_width) + notes[i]);
      out << line << "\n";
    }
    if (!v.size_classes.empty()) {
      out << "  by firm size (initial employees), participants' revenue at month " << c.horizon
          << " (the horizon):\n";
      for (const auto& s : v.size_classes) {
        const std::string label =
            s.label + " (" + std::to_string(s.firms) + (s.firms == 1 ? " firm)" : " firms)");
        std::string text = estimate_text(s.revenue_mdkk, "mDKK/year", true) + ", " +
                           estimate_text(s.revenue_growth_pp, "pp", true);
        Outcome probe;
        probe.estimate = s.revenue_mdkk;
        set_replicates_needed(probe);
        const std::string note = verdict(probe, v.pairs);
        out << "    " << pad(label, label_width - 2) << text << (note.empty() ? "" : "  " + note)
            << "\n";
      }
    }
  }

  format_cost_effect(out, c);

  // The ranking.
  out << "\nRanking by " << c.metric_label << " " << c.reading() << ", highest first ("
      << c.ranking_replicates << " replicates completed in every variant).\n"
      << (c.cumulative ? "Averaged over the months by default: a late programme cannot win by "
                         "timing alone (--at M reads one month).\n"
                       : "")
      << "'best in': the share of those replicates in which the variant is highest (ties "
         "split).\n";
  std::vector<const VariantComparison*> order;
  for (const auto& v : c.variants) order.push_back(&v);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return (a->rank == 0 ? 1 << 30 : a->rank) < (b->rank == 0 ? 1 << 30 : b->rank);
  });
  std::vector<std::array<std::string, 5>> lines;
  lines.push_back({"rank", "variant", "mean", "vs " + c.baseline, "best in"});
  for (const auto* v : order) {
    const std::string level =
        with_unit(format_number(v->rank_level.mean * display_unit(c.metric_unit).scale,
                                v->rank_level.half_width * display_unit(c.metric_unit).scale),
                  display_unit(c.metric_unit).unit);
    std::string diff = "-";
    if (!v->is_baseline) {
      const Display d = display_unit(c.metric_difference_unit);
      diff = with_unit(
          format_number(v->rank_effect.mean * d.scale, v->rank_effect.half_width * d.scale, true),
          d.unit);
      if (v->rank_effect.has_ci() && !v->rank_effect.distinguishable()) diff += " (n.d.)";
    }
    lines.push_back(
        {v->rank ? std::to_string(v->rank) : "-", v->name, level, diff, share_text(v->best_share)});
  }
  std::array<std::size_t, 5> widths{};
  for (const auto& l : lines)
    for (std::size_t k = 0; k < l.size(); ++k) widths[k] = std::max(widths[k], l[k].size() + 2);
  for (const auto& l : lines) {
    std::string line = "  ";
    for (std::size_t k = 0; k + 1 < l.size(); ++k) line += pad(l[k], widths[k]);
    out << line << l.back() << "\n";
  }
  bool any_nd = false;
  for (const auto* v : order)
    any_nd =
        any_nd || (!v->is_baseline && v->rank_effect.has_ci() && !v->rank_effect.distinguishable());
  if (any_nd) out << "  (n.d.: not distinguishable from zero at 95%)\n";
  if (!c.programmes.empty())
    out << "\nWhat each programme did (months 1-" << c.month << "; hours and cost over every "
        << "replicate):\n"
        << format_programmes(c.programmes, c.month);
  return out.str();
}

std::string format_csv(const Comparison& c) {
  std::ostringstream out;
  out << "variant,outcome,mean,ci_low,ci_high,n,distinguishable\n";
  const auto row = [&](const std::string& variant, const std::string& outcome, const Estimate& e,
                       bool with_verdict) {
    out << csv_field(variant) << "," << outcome << "," << exact_number(e.mean) << ","
        << exact_number(e.ci_low) << "," << exact_number(e.ci_high) << "," << e.n << ","
        << (with_verdict ? (e.distinguishable() ? "true" : "false") : "") << "\n";
  };
  const auto value = [&](const std::string& variant, const std::string& outcome, double x,
                         std::size_t n) {
    out << csv_field(variant) << "," << outcome << "," << exact_number(x) << ",,," << n << ",\n";
  };
  for (const auto& v : c.variants) {
    for (const auto& o : v.effects) row(v.name, o.name, o.estimate, true);
    for (const auto& s : v.size_classes) {
      row(v.name, "size_" + s.name + "_revenue_mdkk", s.revenue_mdkk, true);
      row(v.name, "size_" + s.name + "_revenue_growth", s.revenue_growth_pp, true);
    }
    for (const auto& o : v.levels) row(v.name, o.name, o.estimate, false);
    value(v.name, "rank", v.rank, c.ranking_replicates);
    value(v.name, "best_share", v.best_share, c.ranking_replicates);
    for (const CostEffectPoint& p : c.cost_effect) {
      if (p.variant != v.name) continue;
      value(v.name, "on_frontier", p.status == "frontier" ? 1 : 0, c.ranking_replicates);
      value(v.name, "dominated", p.status == "dominated" ? 1 : 0, c.ranking_replicates);
      value(v.name, "extendedly_dominated", p.status == "extendedly_dominated" ? 1 : 0,
            c.ranking_replicates);
      if (!p.previous.empty()) {
        value(v.name, "icer", p.icer, c.ranking_replicates);
        value(v.name, "frontier_value_added_per_dkk", p.value_added_per_dkk, c.ranking_replicates);
      }
    }
    if (c.budget)
      value(v.name, "best_within_budget", c.budget->variant == v.name ? 1 : 0,
            c.ranking_replicates);
    if (const ProgrammeSummary* p = c.programme(v.name)) {
      row(v.name, "staff_hours", p->staff_hours, false);
      row(v.name, "staff_hours_shortfall", p->staff_hours_shortfall, false);
      for (const ActivitySummary& a : p->activities) {
        if (p->detail_replicates == 0) break;
        const std::string key = "activity_" + a.id + "_";
        value(v.name, key + "cash_dkk", a.cash_dkk, p->detail_replicates);
        value(v.name, key + "runs", a.runs, p->detail_replicates);
        value(v.name, key + "runs_skipped", a.skipped_runs, p->detail_replicates);
        value(v.name, key + "units_skipped_budget", a.units_skipped_budget, p->detail_replicates);
        value(v.name, key + "units_skipped_hours", a.units_skipped_hours, p->detail_replicates);
      }
    }
  }
  return out.str();
}

namespace {

const char* kind_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::difference:
      return "difference";
    case OutcomeKind::level:
      return "level";
    case OutcomeKind::ratio:
      return "ratio";
  }
  return "";
}

std::string json_estimate(const Estimate& e, const std::string& unit, const char* kind,
                          const Outcome* verdict_of, bool with_verdict) {
  std::ostringstream out;
  out << "{\"mean\": " << json_number(e.mean) << ", \"ci_low\": " << json_number(e.ci_low)
      << ", \"ci_high\": " << json_number(e.ci_high) << ", \"n\": " << e.n
      << ", \"sd\": " << json_number(e.sd);
  if (with_verdict) {
    std::optional<std::uint64_t> needed;
    bool beyond = false;
    if (verdict_of) {
      needed = verdict_of->replicates_needed;
      beyond = verdict_of->beyond_practical;
    } else if (auto n = replicates_needed(e)) {
      if (*n > kReplicatesNeededPractical)
        beyond = true;
      else
        needed = n;
    }
    out << ", \"distinguishable\": " << (e.distinguishable() ? "true" : "false")
        << ", \"replicates_needed\": " << (needed ? std::to_string(*needed) : "null")
        << ", \"no_practical_effect\": " << (beyond ? "true" : "false");
  }
  out << ", \"unit\": " << json_string(unit) << ", \"kind\": " << json_string(kind);
  if (verdict_of && !verdict_of->note.empty())
    out << ", \"note\": " << json_string(verdict_of->note);
  out << "}";
  return out.str();
}

std::string json_outcome(const Outcome& o, bool with_verdict) {
  return json_estimate(o.estimate, o.unit, kind_name(o.kind), &o, with_verdict);
}

// {"mean", "low", "high", "n", "note"}: the headline ratios as product.md pins them.
std::string json_headline(const Outcome* o) {
  if (!o) return "null";
  std::ostringstream out;
  out << "{\"mean\": " << json_number(o->estimate.mean)
      << ", \"low\": " << json_number(o->estimate.ci_low)
      << ", \"high\": " << json_number(o->estimate.ci_high) << ", \"n\": " << o->estimate.n
      << ", \"unit\": " << json_string(o->unit)
      << ", \"note\": " << (o->note.empty() ? "null" : json_string(o->note)) << "}";
  return out.str();
}

std::string json_cost_effect(const CostEffectPoint& p) {
  std::ostringstream out;
  out << "{\"variant\": " << json_string(p.variant) << ", \"cost_dkk\": " << json_number(p.cost_dkk)
      << ", \"incremental_cost_dkk\": " << json_number(p.incremental_cost_dkk)
      << ", \"value_added_dkk\": " << json_number(p.effect_dkk)
      << ", \"status\": " << json_string(p.status)
      << ", \"dominated_by\": " << (p.dominated_by.empty() ? "null" : json_string(p.dominated_by))
      << ", \"previous\": " << (p.previous.empty() ? "null" : json_string(p.previous))
      << ", \"step_cost_dkk\": " << json_number(p.step_cost_dkk) << ", \"step_value_added_dkk\": "
      << (p.previous.empty() ? std::string("null")
                             : json_estimate(p.step_effect, "DKK", "difference", nullptr, true))
      << ", \"icer\": " << json_number(p.icer)
      << ", \"value_added_per_dkk\": " << json_number(p.value_added_per_dkk) << "}";
  return out.str();
}

std::string json_programme(const ProgrammeSummary& p) {
  std::ostringstream out;
  out << "{\"detail_replicates\": " << p.detail_replicates
      << ", \"budget_dkk\": " << json_number(p.budget_dkk)
      << ", \"cash_dkk\": " << json_number(p.cash_dkk.mean)
      << ", \"cost_dkk\": " << json_number(p.cost_dkk.mean)
      << ", \"staff_hours\": " << json_number(p.staff_hours.mean)
      << ", \"staff_hours_shortfall\": " << json_number(p.staff_hours_shortfall.mean)
      << ",\n       \"activities\": [";
  for (std::size_t i = 0; i < p.activities.size(); ++i) {
    const ActivitySummary& a = p.activities[i];
    out << (i ? "," : "") << "\n         {\"id\": " << json_string(a.id)
        << ", \"type\": " << json_string(a.type) << ", \"schedule\": " << json_string(a.schedule)
        << ", \"envelope\": " << (a.envelope.empty() ? "null" : json_string(a.envelope))
        << ", \"cash_dkk\": " << json_number(a.cash_dkk) << ", \"runs\": " << json_number(a.runs)
        << ", \"runs_skipped\": " << json_number(a.skipped_runs)
        << ", \"units_skipped_budget\": " << json_number(a.units_skipped_budget)
        << ", \"units_skipped_hours\": " << json_number(a.units_skipped_hours)
        << ", \"first_month\": " << (a.first_month < 0 ? "null" : std::to_string(a.first_month))
        << ", \"last_month\": " << (a.last_month < 0 ? "null" : std::to_string(a.last_month))
        << "}";
  }
  out << "]}";
  return out.str();
}

}  // namespace

std::string format_json(const Comparison& c) {
  std::ostringstream out;
  out << "{\n  \"results\": " << json_string(c.path)
      << ",\n  \"scenario\": " << json_string(c.scenario)
      << ",\n  \"status\": " << json_string(c.status) << ",\n  \"horizon\": " << c.horizon
      << ",\n  \"month\": " << c.month
      << ",\n  \"reading\": " << json_string(c.cumulative ? "cumulative" : "at_month")
      << ",\n  \"replicates\": " << c.replicates
      << ",\n  \"confidence_level\": " << json_number(kConfidenceLevel)
      << ",\n  \"value_added_share\": " << json_number(c.value_added_share)
      << ",\n  \"baseline\": " << json_string(c.baseline)
      << ",\n  \"metric\": " << json_string(c.metric)
      << ",\n  \"metric_unit\": " << json_string(c.metric_unit)
      << ",\n  \"ranking_replicates\": " << c.ranking_replicates << ",\n  \"warnings\": [";
  for (std::size_t i = 0; i < c.warnings.size(); ++i)
    out << (i ? ", " : "") << json_string(c.warnings[i]);
  out << "],\n  \"cost_effectiveness\": [";
  for (std::size_t i = 0; i < c.cost_effect.size(); ++i)
    out << (i ? "," : "") << "\n    " << json_cost_effect(c.cost_effect[i]);
  out << "],\n  \"budget\": ";
  if (c.budget) {
    const BudgetChoice& b = *c.budget;
    out << "{\"budget_dkk\": " << json_number(b.budget_dkk)
        << ", \"variant\": " << (b.variant.empty() ? "null" : json_string(b.variant))
        << ", \"cost_dkk\": " << json_number(b.cost_dkk)
        << ", \"value_added_dkk\": " << json_number(b.effect_dkk)
        << ", \"cheaper\": " << (b.cheaper.empty() ? "null" : json_string(b.cheaper))
        << ", \"distinguishable_from_cheaper\": "
        << (b.distinguishable_from_cheaper ? "true" : "false") << "}";
  } else {
    out << "null";
  }
  out << ",\n  \"variants\": [";
  for (std::size_t vi = 0; vi < c.variants.size(); ++vi) {
    const VariantComparison& v = c.variants[vi];
    out << (vi ? "," : "") << "\n    {\"variant\": " << json_string(v.name)
        << ", \"label\": " << json_string(v.label.empty() ? v.name : v.label)
        << ", \"baseline\": " << (v.is_baseline ? "true" : "false")
        << ", \"replicates\": " << v.replicates << ", \"completed\": " << v.completed
        << ", \"pairs\": " << v.pairs << ",\n     \"outcomes\": {";
    for (std::size_t i = 0; i < v.effects.size(); ++i) {
      const Outcome& o = v.effects[i];
      out << (i ? "," : "") << "\n       " << json_string(o.name) << ": " << json_outcome(o, true);
    }
    out << "},\n     \"levels\": {";
    for (std::size_t i = 0; i < v.levels.size(); ++i) {
      const Outcome& o = v.levels[i];
      out << (i ? "," : "") << "\n       " << json_string(o.name) << ": " << json_outcome(o, false);
    }
    out << "},\n     \"size_classes\": {";
    for (std::size_t i = 0; i < v.size_classes.size(); ++i) {
      const SizeClassEffect& s = v.size_classes[i];
      out << (i ? "," : "") << "\n       " << json_string(s.name)
          << ": {\"label\": " << json_string(s.label) << ", \"firms\": " << s.firms
          << ", \"initial_revenue_mdkk\": " << json_number(s.initial_revenue_mdkk)
          << ",\n         \"revenue_mdkk\": "
          << json_estimate(s.revenue_mdkk, "mDKK/year", "difference", nullptr, true)
          << ",\n         \"revenue_growth_pp\": "
          << json_estimate(s.revenue_growth_pp, "pp", "difference", nullptr, true) << "}";
    }
    const Outcome* cost = v.level("cost_dkk");
    const Outcome* cash = v.level("cash_dkk");
    const Outcome* incremental = v.effect("incremental_cost_dkk");
    out << "},\n     \"cost_dkk\": " << json_number(cost ? cost->estimate.mean : kNaN)
        << ", \"cash_dkk\": " << json_number(cash ? cash->estimate.mean : kNaN)
        << ", \"incremental_cost_dkk\": "
        << json_number(v.is_baseline ? 0.0
                       : incremental ? incremental->estimate.mean
                                     : kNaN)
        << ",\n     \"value_added_per_dkk\": " << json_headline(v.effect("value_added_per_dkk"))
        << ",\n     \"cost_per_job\": " << json_headline(v.effect("cost_per_job"))
        << ",\n     \"incremental\": ";
    const CostEffectPoint* point = nullptr;
    for (const auto& p : c.cost_effect)
      if (p.variant == v.name) point = &p;
    out << (point ? json_cost_effect(*point) : "null");
    out << ",\n     \"rank\": " << v.rank << ", \"rank_value\": " << json_number(v.rank_level.mean)
        << ", \"rank_difference\": " << json_number(v.is_baseline ? 0.0 : v.rank_effect.mean)
        << ", \"best_share\": " << json_number(v.best_share) << ",\n     \"trajectories\": {";
    for (std::size_t i = 0; i < v.trajectories.size(); ++i) {
      const Trajectory& t = v.trajectories[i];
      out << (i ? "," : "") << "\n       " << json_string(t.name)
          << ": {\"unit\": " << json_string(t.unit);
      for (const char* field : {"mean", "ci_low", "ci_high"}) {
        out << ", \"" << field << "\": [";
        for (std::size_t m = 0; m < t.by_month.size(); ++m) {
          const Estimate& e = t.by_month[m];
          const double x = field[0] == 'm' ? e.mean : field[3] == 'l' ? e.ci_low : e.ci_high;
          out << (m ? ", " : "") << json_number(x);
        }
        out << "]";
      }
      out << "}";
    }
    out << "},\n     \"programme\": ";
    const ProgrammeSummary* p = c.programme(v.name);
    out << (p ? json_programme(*p) : "null") << "}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

}  // namespace klynge::analysis
