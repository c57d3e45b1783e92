#include "analysis/compare.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <sstream>

#include "sim/core/errors.hpp"
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
// Quantities: one number per (variant, replicate) at the horizon.

enum class How {
  metric,         // a metric's value at the horizon row
  growth,         // 100 * (participant revenue at the horizon / at step 0 - 1), in %
  added_revenue,  // sum over steps 1..T of (variant - baseline) participant revenue, in DKK
  added_per_dkk,  // added_revenue / the variant's cost at the horizon (ranking only)
};

struct Quantity {
  std::string name, label;
  std::string unit;        // of a difference (or of the ratio)
  std::string level_unit;  // of the level
  How how = How::metric;
  int metric = -1;  // How::metric
};

struct Indices {
  std::size_t horizon = 0;  // row
  int revenue = -1, employees = -1, nonparticipant_revenue = -1, ties_partner = -1, clusters = -1,
      strategic_networks = -1, density = -1, participant_density = -1, cost = -1, cash = -1;
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
  ix.ties_partner = require_metric(file, "ties_partner");
  ix.clusters = require_metric(file, "clusters");
  ix.strategic_networks = require_metric(file, "strategic_networks");
  ix.density = require_metric(file, "density");
  ix.participant_density = require_metric(file, "participant_density");
  ix.cost = require_metric(file, "cost_dkk_cumulative");
  ix.cash = require_metric(file, "cash_dkk_cumulative");
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

// The paired effects, in output order.
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
  q.push_back({"added_revenue_dkk", "added participant revenue", "DKK", "DKK", How::added_revenue,
               ix.revenue});
  q.push_back({"added_revenue_per_dkk", "added revenue per DKK", "DKK/DKK", "DKK/DKK",
               How::added_per_dkk, ix.revenue});
  return q;
}

std::vector<Quantity> level_quantities(const Indices& ix) {
  return {{"participant_revenue_growth_level", "participant revenue growth", "%", "%", How::growth,
           ix.revenue},
          {"cost_dkk", "cost", "DKK", "DKK", How::metric, ix.cost},
          {"cash_dkk", "cash", "DKK", "DKK", How::metric, ix.cash}};
}

// The quantity's level in replicate r of v (How::metric, How::growth).
double level_value(const Quantity& q, const VariantResults& v, std::size_t r, std::size_t t) {
  switch (q.how) {
    case How::growth: {
      const double start = v.metric(r, 0, static_cast<std::size_t>(q.metric));
      const double end = v.metric(r, t, static_cast<std::size_t>(q.metric));
      return finite_or_nan(100.0 * (end / start - 1.0));
    }
    case How::metric:
      return finite_or_nan(v.metric(r, t, static_cast<std::size_t>(q.metric)));
    case How::added_revenue:
    case How::added_per_dkk:
      break;
  }
  return kNaN;
}

// Sum over steps 1..T of the paired difference in participant revenue, converted to DKK.
double added_revenue_dkk(const VariantResults& v, const VariantResults& b, std::size_t r,
                         const Indices& ix) {
  double sum = 0;
  const auto m = static_cast<std::size_t>(ix.revenue);
  for (std::size_t t = 1; t <= ix.horizon; ++t) sum += v.metric(r, t, m) - b.metric(r, t, m);
  return finite_or_nan(sum * kDkkPerMdkkYearMonth);
}

double cost_value(const VariantResults& v, std::size_t r, const Indices& ix) {
  return finite_or_nan(v.metric(r, ix.horizon, static_cast<std::size_t>(ix.cost)));
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

Outcome make_outcome(const Quantity& q, OutcomeKind kind, Estimate estimate) {
  Outcome o;
  o.name = q.name;
  o.label = q.label;
  o.unit = kind == OutcomeKind::level ? q.level_unit : q.unit;
  o.kind = kind;
  o.estimate = estimate;
  if (kind != OutcomeKind::level) o.replicates_needed = replicates_needed(estimate);
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

void rank_variants(Comparison& out, const ResultsFile& file, const Indices& ix, const Quantity& q,
                   std::size_t baseline) {
  const auto& variants = file.variants;
  const VariantResults& b = variants[baseline];
  std::vector<std::size_t> common;
  std::size_t max_replicates = 0;
  for (const auto& v : variants) max_replicates = std::max(max_replicates, v.replicates);
  for (std::size_t r = 0; r < max_replicates; ++r)
    if (std::all_of(variants.begin(), variants.end(),
                    [&](const VariantResults& v) { return completed(v, r); }))
      common.push_back(r);
  out.ranking_replicates = common.size();

  // values[v][i]: the metric in the i-th common replicate; numer/denom for the ratio.
  const std::size_t nv = variants.size();
  std::vector<std::vector<double>> values(nv), numer(nv), denom(nv);
  for (std::size_t vi = 0; vi < nv; ++vi) {
    const VariantResults& v = variants[vi];
    for (std::size_t r : common) {
      double x = kNaN;
      if (q.how == How::metric || q.how == How::growth) {
        x = level_value(q, v, r, ix.horizon);
      } else {
        const double added = vi == baseline ? 0.0 : added_revenue_dkk(v, b, r, ix);
        const double cost = cost_value(v, r, ix);
        numer[vi].push_back(added);
        denom[vi].push_back(cost);
        if (q.how == How::added_revenue)
          x = added;
        else
          x = cost > 0 ? finite_or_nan(added / cost) : (added == 0 ? 0.0 : kNaN);
      }
      values[vi].push_back(x);
    }
  }

  // Levels and paired differences against the baseline over the common replicates.
  for (std::size_t vi = 0; vi < nv; ++vi) {
    VariantComparison& vc = out.variants[vi];
    vc.rank_values = values[vi];
    if (q.how == How::added_per_dkk) {
      vc.rank_level = vi == baseline ? estimate_mean(std::vector<double>(common.size(), 0.0))
                                     : estimate_ratio(numer[vi], denom[vi]);
      vc.rank_effect = vc.rank_level;
    } else {
      vc.rank_level = estimate_mean(values[vi]);
      std::vector<double> diff(common.size());
      for (std::size_t i = 0; i < common.size(); ++i) diff[i] = values[vi][i] - values[baseline][i];
      vc.rank_effect = estimate_mean(diff);
    }
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
          "added_revenue_dkk",
          "added_revenue_per_dkk"};
}

std::vector<std::string> ranking_metric_names(const ResultsFile& results) {
  std::vector<std::string> names = effect_names();
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
  ix.horizon = b.steps - 1;
  out.horizon = static_cast<int>(ix.horizon);
  for (const auto& v : file.variants)
    if (v.steps != b.steps || v.metric_count != b.metric_count)
      throw InputError(
          {file.path, 0, 0}, "metrics",
          "variant '" + v.name + "' has a different metrics shape from '" + b.name + "'");

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
      for (std::size_t r : pairs) x.push_back(level_value(q, v, r, ix.horizon));
      vc.levels.push_back(make_outcome(q, OutcomeKind::level, estimate_mean(x)));
    }

    if (!vc.is_baseline) {
      for (const Quantity& q : effects) {
        std::vector<double> d;
        if (q.how == How::added_per_dkk) {
          std::vector<double> cost;
          for (std::size_t r : pairs) {
            d.push_back(added_revenue_dkk(v, b, r, ix));
            cost.push_back(cost_value(v, r, ix));
          }
          vc.effects.push_back(make_outcome(q, OutcomeKind::ratio, estimate_ratio(d, cost)));
          continue;
        }
        for (std::size_t r : pairs)
          d.push_back(q.how == How::added_revenue
                          ? added_revenue_dkk(v, b, r, ix)
                          : level_value(q, v, r, ix.horizon) - level_value(q, b, r, ix.horizon));
        vc.effects.push_back(make_outcome(q, OutcomeKind::difference, estimate_mean(d)));
      }
      if (firms_problem.empty())
        vc.size_classes = size_class_effects(file, v, b, pairs, revenue_variable);
    }
    out.variants.push_back(std::move(vc));
  }

  rank_variants(out, file, ix, ranked, baseline);
  std::size_t most = 0;
  for (const auto& v : file.variants) most = std::max(most, v.replicates);
  if (out.ranking_replicates < most && file.variants.size() > 1)
    out.warnings.push_back("the ranking uses the " + std::to_string(out.ranking_replicates) +
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

std::string json_string(const std::string& text) {
  return "\"" + json_escape(text) + "\"";
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
  if (std::isnan(e.mean)) return "n/a: the variant has no cost (" + n + ")";
  if (!e.has_ci()) return "one paired replicate: no confidence interval";
  if (e.zero_everywhere()) return "no difference: zero in every replicate (" + n + ")";
  if (e.distinguishable() && e.sd == 0) return "the same in every replicate (" + n + ")";
  if (e.distinguishable()) return e.n < pairs ? "(" + n + ")" : "";
  if (e.mean == 0)
    return "not distinguishable from zero (" + n + "; the mean difference is exactly zero)";
  if (o.replicates_needed)
    return "not distinguishable from zero (" + n + "; about " + count_text(*o.replicates_needed) +
           " replicates would be needed)";
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
      out << sep << "participant revenue growth " << estimate_text(g->estimate, g->unit, true);
      sep = ", ";
    }
    if (const Outcome* cost = base->level("cost_dkk"))
      out << sep << "cost " << estimate_text(cost->estimate, cost->unit, false);
  }
  out << ".\nEffects are paired differences variant - baseline at month " << c.horizon
      << " (the horizon), replicate by\nreplicate (common random numbers): mean [95% confidence "
         "interval].\n";

  // Effect rows of every variant share one label column.
  std::size_t label_width = 24;
  for (const auto& v : c.variants) {
    for (const auto& o : v.effects) label_width = std::max(label_width, o.label.size() + 4);
    for (const auto& s : v.size_classes) label_width = std::max(label_width, s.label.size() + 16);
  }

  for (const auto& v : c.variants) {
    if (v.is_baseline) continue;
    out << "\n" << v.name << " vs " << c.baseline << " (" << v.pairs << " paired replicates";
    if (v.pairs < v.replicates) out << " of " << v.replicates;
    out << ")\n";
    if (v.pairs == 0) {
      out << "  no replicate was completed in both variants\n";
      continue;
    }
    std::vector<std::pair<std::string, std::string>> rows;  // label, text
    std::vector<std::string> notes;
    for (const auto& o : v.effects) {
      if (o.name == "added_revenue_dkk") continue;  // shown with the ratio
      if (o.name == "added_revenue_per_dkk")
        if (const Outcome* cost = v.level("cost_dkk")) {
          // The cost (a level of the variant, not a difference) goes before the ratio.
          const Outcome* cash = v.level("cash_dkk");
          rows.emplace_back("cost", estimate_text(cost->estimate, cost->unit, false));
          notes.push_back(cash ? "of which cash " + estimate_text(cash->estimate, cash->unit, false)
                               : "");
        }
      std::string note = verdict(o, v.pairs);
      if (o.name == "nonparticipant_revenue_mdkk" && o.estimate.distinguishable())
        note = o.estimate.mean > 0 ? "spill-over" : "displacement";
      if (o.name == "added_revenue_per_dkk")
        if (const Outcome* added = v.effect("added_revenue_dkk"))
          note += std::string(note.empty() ? "" : "; ") + "added revenue " +
                  estimate_text(added->estimate, added->unit, true) + " over months 1-" +
                  std::to_string(c.horizon);
      rows.emplace_back(o.label,
                        estimate_text(o.estimate, o.unit, o.kind == OutcomeKind::difference));
      notes.push_back(note);
    }
    std::size_t text_width = 0;
    for (const auto& r : rows) text_width = std::max(text_width, r.second.size() + 2);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::string line =
          "  " + pad(rows[i].first, label_width) +
          (notes[i].empty() ? rows[i].second : pad(rows[i].second, text_width) + notes[i]);
      out << line << "\n";
    }
    if (!v.size_classes.empty()) {
      out << "  by firm size (initial employees), participants' revenue at month " << c.horizon
          << ":\n";
      for (const auto& s : v.size_classes) {
        const std::string label =
            s.label + " (" + std::to_string(s.firms) + (s.firms == 1 ? " firm)" : " firms)");
        std::string text = estimate_text(s.revenue_mdkk, "mDKK/year", true) + ", " +
                           estimate_text(s.revenue_growth_pp, "pp", true);
        Outcome probe;
        probe.estimate = s.revenue_mdkk;
        probe.replicates_needed = replicates_needed(s.revenue_mdkk);
        const std::string note = verdict(probe, v.pairs);
        out << "    " << pad(label, label_width - 2) << text << (note.empty() ? "" : "  " + note)
            << "\n";
      }
    }
  }

  // The ranking.
  out << "\nRanking by " << c.metric_label << " at month " << c.horizon << ", highest first ("
      << c.ranking_replicates
      << " replicates completed in every\nvariant); 'best in': the share of those replicates in "
         "which the variant is highest (ties split).\n";
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
  for (const auto& v : c.variants) {
    for (const auto& o : v.effects) row(v.name, o.name, o.estimate, true);
    for (const auto& s : v.size_classes) {
      row(v.name, "size_" + s.name + "_revenue_mdkk", s.revenue_mdkk, true);
      row(v.name, "size_" + s.name + "_revenue_growth", s.revenue_growth_pp, true);
    }
    for (const auto& o : v.levels) row(v.name, o.name, o.estimate, false);
    out << csv_field(v.name) << ",rank," << v.rank << ",,," << c.ranking_replicates << ",\n";
    out << csv_field(v.name) << ",best_share," << exact_number(v.best_share) << ",,,"
        << c.ranking_replicates << ",\n";
  }
  return out.str();
}

namespace {

std::string json_estimate(const Estimate& e, const std::string& unit, const char* kind,
                          std::optional<std::uint64_t> needed, bool with_verdict) {
  std::ostringstream out;
  out << "{\"mean\": " << json_number(e.mean) << ", \"ci_low\": " << json_number(e.ci_low)
      << ", \"ci_high\": " << json_number(e.ci_high) << ", \"n\": " << e.n
      << ", \"sd\": " << json_number(e.sd);
  if (with_verdict)
    out << ", \"distinguishable\": " << (e.distinguishable() ? "true" : "false")
        << ", \"replicates_needed\": " << (needed ? std::to_string(*needed) : "null");
  out << ", \"unit\": " << json_string(unit) << ", \"kind\": " << json_string(kind) << "}";
  return out.str();
}

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

}  // namespace

std::string format_json(const Comparison& c) {
  std::ostringstream out;
  out << "{\n  \"results\": " << json_string(c.path)
      << ",\n  \"scenario\": " << json_string(c.scenario)
      << ",\n  \"status\": " << json_string(c.status) << ",\n  \"horizon\": " << c.horizon
      << ",\n  \"replicates\": " << c.replicates
      << ",\n  \"confidence_level\": " << json_number(kConfidenceLevel)
      << ",\n  \"baseline\": " << json_string(c.baseline)
      << ",\n  \"metric\": " << json_string(c.metric)
      << ",\n  \"metric_unit\": " << json_string(c.metric_unit)
      << ",\n  \"ranking_replicates\": " << c.ranking_replicates << ",\n  \"warnings\": [";
  for (std::size_t i = 0; i < c.warnings.size(); ++i)
    out << (i ? ", " : "") << json_string(c.warnings[i]);
  out << "],\n  \"variants\": [";
  for (std::size_t vi = 0; vi < c.variants.size(); ++vi) {
    const VariantComparison& v = c.variants[vi];
    out << (vi ? "," : "") << "\n    {\"variant\": " << json_string(v.name)
        << ", \"baseline\": " << (v.is_baseline ? "true" : "false")
        << ", \"replicates\": " << v.replicates << ", \"completed\": " << v.completed
        << ", \"pairs\": " << v.pairs << ",\n     \"outcomes\": {";
    for (std::size_t i = 0; i < v.effects.size(); ++i) {
      const Outcome& o = v.effects[i];
      out << (i ? "," : "") << "\n       " << json_string(o.name) << ": "
          << json_estimate(o.estimate, o.unit, kind_name(o.kind), o.replicates_needed, true);
    }
    out << "},\n     \"levels\": {";
    for (std::size_t i = 0; i < v.levels.size(); ++i) {
      const Outcome& o = v.levels[i];
      out << (i ? "," : "") << "\n       " << json_string(o.name) << ": "
          << json_estimate(o.estimate, o.unit, kind_name(o.kind), std::nullopt, false);
    }
    out << "},\n     \"size_classes\": {";
    for (std::size_t i = 0; i < v.size_classes.size(); ++i) {
      const SizeClassEffect& s = v.size_classes[i];
      out << (i ? "," : "") << "\n       " << json_string(s.name)
          << ": {\"label\": " << json_string(s.label) << ", \"firms\": " << s.firms
          << ", \"initial_revenue_mdkk\": " << json_number(s.initial_revenue_mdkk)
          << ",\n         \"revenue_mdkk\": "
          << json_estimate(s.revenue_mdkk, "mDKK/year", "difference",
                           replicates_needed(s.revenue_mdkk), true)
          << ",\n         \"revenue_growth_pp\": "
          << json_estimate(s.revenue_growth_pp, "pp", "difference",
                           replicates_needed(s.revenue_growth_pp), true)
          << "}";
    }
    const Outcome* cost = v.level("cost_dkk");
    const Outcome* cash = v.level("cash_dkk");
    const Outcome* ratio = v.effect("added_revenue_per_dkk");
    out << "},\n     \"cost_dkk\": " << json_number(cost ? cost->estimate.mean : kNaN)
        << ", \"cash_dkk\": " << json_number(cash ? cash->estimate.mean : kNaN)
        << ", \"added_revenue_per_dkk\": " << json_number(ratio ? ratio->estimate.mean : kNaN)
        << ",\n     \"rank\": " << v.rank << ", \"rank_value\": " << json_number(v.rank_level.mean)
        << ", \"rank_difference\": " << json_number(v.is_baseline ? 0.0 : v.rank_effect.mean)
        << ", \"best_share\": " << json_number(v.best_share) << "}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

}  // namespace klynge::analysis
