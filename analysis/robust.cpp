#include "analysis/robust.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

#include "sim/core/errors.hpp"

namespace klynge::analysis {
namespace {

// The replicates of one draw as a file of their own (no detail: compare's programme table reads
// the detail replicates, which belong to draw 0 and are summarised once, by the pooled compare).
ResultsFile draw_slice(const ResultsFile& all, std::size_t draw, std::size_t per_draw) {
  ResultsFile s;
  s.path = all.path;
  s.schema_version = all.schema_version;
  s.created = all.created;
  s.status = all.status;
  s.header = all.header;
  s.header.replicates = static_cast<int>(per_draw);
  s.header.uncertainty = {};
  s.metric_names = all.metric_names;
  s.metric_units = all.metric_units;
  s.firm_variable_names = all.firm_variable_names;
  s.firm_variable_units = all.firm_variable_units;
  for (const auto& v : all.variants) {
    VariantResults x;
    x.name = v.name;
    x.replicates = per_draw;
    x.steps = v.steps;
    x.metric_count = v.metric_count;
    x.firms = v.firms;
    x.firm_variables = v.firm_variables;
    const std::size_t first = draw * per_draw;
    const std::size_t row = v.steps * v.metric_count, firm_row = v.firms * v.firm_variables;
    x.metrics.assign(v.metrics.begin() + static_cast<std::ptrdiff_t>(first * row),
                     v.metrics.begin() + static_cast<std::ptrdiff_t>((first + per_draw) * row));
    x.completed.assign(v.completed.begin() + static_cast<std::ptrdiff_t>(first),
                       v.completed.begin() + static_cast<std::ptrdiff_t>(first + per_draw));
    x.final_firms.assign(
        v.final_firms.begin() + static_cast<std::ptrdiff_t>(first * firm_row),
        v.final_firms.begin() + static_cast<std::ptrdiff_t>((first + per_draw) * firm_row));
    x.has_detail = false;
    s.variants.push_back(std::move(x));
  }
  return s;
}

double quantile(std::vector<double> sorted_values, double q) {
  // Linear interpolation between order statistics (type 7, numpy's default).
  if (sorted_values.empty()) return Estimate::nan;
  const double h = (static_cast<double>(sorted_values.size()) - 1) * q;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted_values.size() - 1);
  return sorted_values[lo] +
         (h - static_cast<double>(lo)) * (sorted_values[hi] - sorted_values[lo]);
}

OverDraws summarise(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double x : values)
    if (std::isfinite(x)) finite.push_back(x);
  OverDraws o;
  o.draws = finite.size();
  if (finite.empty()) return o;
  std::sort(finite.begin(), finite.end());
  double sum = 0;
  for (double x : finite) sum += x;
  o.mean = sum / static_cast<double>(finite.size());
  o.median = quantile(finite, 0.5);
  o.p05 = quantile(finite, 0.05);
  o.p95 = quantile(finite, 0.95);
  return o;
}

// Index of the highest of `values` per draw, ties split: adds 1/ties to each tied winner.
void credit_best(const std::vector<double>& values, std::vector<double>& credit) {
  double best = -std::numeric_limits<double>::infinity();
  for (double x : values)
    if (std::isfinite(x)) best = std::max(best, x);
  if (!std::isfinite(best)) return;
  int ties = 0;
  for (double x : values) ties += x == best;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] == best) credit[i] += 1.0 / ties;
}

std::string percent(double share) {
  if (!std::isfinite(share)) return "n/a";
  std::ostringstream o;
  o << std::fixed << std::setprecision(0) << 100 * share << "%";
  return o.str();
}

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream o;
  o << std::setprecision(10) << x;
  return o.str();
}

std::string json_numbers(const std::vector<double>& xs) {
  std::string s = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) s += ',';
    s += json_number(xs[i]);
  }
  s += ']';
  return s;
}

std::string json_over(const OverDraws& o) {
  return "{\"draws\":" + std::to_string(o.draws) + ",\"mean\":" + json_number(o.mean) +
         ",\"median\":" + json_number(o.median) + ",\"p05\":" + json_number(o.p05) +
         ",\"p95\":" + json_number(o.p95) + "}";
}

}  // namespace

void for_each_draw(const ResultsFile& results, const CompareOptions& options,
                   const std::function<void(std::size_t, const Comparison*)>& visit) {
  const auto& u = results.header.uncertainty;
  if (u.draws <= 0)
    throw UsageError(results.path +
                     " is not a probabilistic run (its scenario has no "
                     "`uncertainty:` section)");
  const auto per_draw = static_cast<std::size_t>(u.replicates_per_draw);
  for (std::size_t d = 0; d < static_cast<std::size_t>(u.draws); ++d) {
    const ResultsFile slice = draw_slice(results, d, per_draw);
    bool any = false;
    for (const auto& v : slice.variants)
      any = any || std::count(v.completed.begin(), v.completed.end(), 1) > 0;
    if (!any) {  // an interrupted run: draws not reached yet
      visit(d, nullptr);
      continue;
    }
    const Comparison c = compare(slice, options);
    visit(d, &c);
  }
}

RobustComparison compare_robust(const ResultsFile& results, const CompareOptions& options) {
  const auto& u = results.header.uncertainty;
  if (u.draws <= 0)
    throw UsageError(results.path +
                     " is not a probabilistic run (its scenario has no "
                     "`uncertainty:` section)");
  RobustComparison r;
  r.draws = u.draws;
  r.replicates_per_draw = u.replicates_per_draw;
  r.sampling = u.sampling;
  r.parameters = u.parameters;
  r.distributions = u.distributions;
  r.values = u.values;
  const std::size_t variant_count = results.variants.size();

  // effect[v][d], cost[v][d], va_per_dkk[v][d]
  std::vector<std::vector<double>> effect(variant_count), cost(variant_count), ratio(variant_count);
  std::vector<std::vector<Estimate>> estimates(variant_count);
  std::size_t empty_draws = 0;
  for_each_draw(results, options, [&](std::size_t, const Comparison* draw) {
    if (!draw) {
      ++empty_draws;
      for (std::size_t k = 0; k < variant_count; ++k) {
        effect[k].push_back(Estimate::nan);
        cost[k].push_back(Estimate::nan);
        ratio[k].push_back(Estimate::nan);
        estimates[k].push_back(Estimate{});
      }
      return;
    }
    const Comparison& c = *draw;
    if (r.baseline.empty()) {  // the first draw with results
      r.baseline = c.baseline;
      r.metric = c.metric;
      r.metric_label = c.metric_label;
      r.effect_unit = c.metric_difference_unit;
      r.reading = c.reading();
    }
    for (std::size_t k = 0; k < variant_count; ++k) {
      const VariantComparison& v = c.variants[k];
      effect[k].push_back(v.is_baseline ? 0.0 : v.rank_effect.mean);
      estimates[k].push_back(v.rank_effect);
      const Outcome* incremental = v.effect("incremental_cost_dkk");
      const Outcome* va = v.effect("value_added_per_dkk");
      cost[k].push_back(v.is_baseline ? 0.0
                        : incremental ? incremental->estimate.mean
                                      : Estimate::nan);
      ratio[k].push_back(va ? va->estimate.mean : Estimate::nan);
    }
  });
  if (u.sampling == "morris" || u.sampling == "saltelli")
    r.warnings.push_back(
        "the parameter sets are a `" + u.sampling +
        "` design for global sensitivity (Morris sits on a grid; Saltelli's rows share "
        "coordinates), not a sample from the distributions: read P(best) and the ranges over "
        "draws with care; `klynge sensitivity " +
        results.path + "` says which parameter matters");
  if (empty_draws > 0)
    r.warnings.push_back(std::to_string(empty_draws) + " of " + std::to_string(u.draws) +
                         " draws have no finished replicate (an interrupted run); they are left "
                         "out");

  // Net benefit lambda x effect - cost; lambdas from 0 to well past every variant's mean
  // incremental cost per unit of effect, so the curves reach their plateau.
  double scale = 0;
  for (std::size_t k = 0; k < variant_count; ++k) {
    const OverDraws e = summarise(effect[k]), c = summarise(cost[k]);
    if (std::isfinite(e.mean) && std::isfinite(c.mean) && e.mean > 0 && c.mean > 0)
      scale = std::max(scale, c.mean / e.mean);
  }
  if (scale <= 0) scale = 1;
  constexpr int kLambdaPoints = 41;
  for (int i = 0; i < kLambdaPoints; ++i) r.lambdas.push_back(3 * scale * i / (kLambdaPoints - 1));

  std::vector<double> best(variant_count, 0), positive(variant_count, 0), loss(variant_count, 0);
  std::vector<std::vector<double>> ranks(variant_count, std::vector<double>(variant_count, 0));
  std::vector<std::vector<double>> ceac(variant_count, std::vector<double>(kLambdaPoints, 0));
  std::size_t used = 0;
  for (std::size_t d = 0; d < static_cast<std::size_t>(u.draws); ++d) {
    std::vector<double> e(variant_count);
    bool ok = true;
    for (std::size_t k = 0; k < variant_count; ++k) {
      e[k] = effect[k][d];
      ok = ok && std::isfinite(e[k]);
    }
    if (!ok) continue;
    ++used;
    credit_best(e, best);
    const double top = *std::max_element(e.begin(), e.end());
    for (std::size_t k = 0; k < variant_count; ++k) {
      positive[k] += e[k] > 0;
      loss[k] += top - e[k];
      // Rank 1 = highest; ties share the better rank.
      std::size_t above = 0;
      for (std::size_t j = 0; j < variant_count; ++j) above += e[j] > e[k];
      ranks[k][above] += 1;
    }
    for (int i = 0; i < kLambdaPoints; ++i) {
      std::vector<double> net(variant_count);
      for (std::size_t k = 0; k < variant_count; ++k)
        net[k] = r.lambdas[static_cast<std::size_t>(i)] * e[k] -
                 (std::isfinite(cost[k][d]) ? cost[k][d] : 0.0);
      std::vector<double> credit(variant_count, 0);
      credit_best(net, credit);
      for (std::size_t k = 0; k < variant_count; ++k)
        ceac[k][static_cast<std::size_t>(i)] += credit[k];
    }
  }

  for (std::size_t k = 0; k < variant_count; ++k) {
    RobustVariant v;
    v.name = results.variants[k].name;
    v.is_baseline = v.name == r.baseline;
    v.effect = summarise(effect[k]);
    v.value_added_per_dkk = summarise(ratio[k]);
    v.incremental_cost_dkk = summarise(cost[k]);
    const double n = static_cast<double>(used);
    if (used > 0) {
      v.p_best = best[k] / n;
      v.p_positive = v.is_baseline ? Estimate::nan : positive[k] / n;
      v.expected_loss = loss[k] / n;
      for (double count : ranks[k]) v.rank_share.push_back(count / n);
      for (double count : ceac[k]) v.acceptability.push_back(count / n);
    }
    v.effect_by_draw = effect[k];
    v.effect_estimate_by_draw = estimates[k];
    v.cost_by_draw = cost[k];
    r.variants.push_back(std::move(v));
  }

  // The verdict: the variants most often best, in plain words.
  std::vector<const RobustVariant*> order;
  for (const auto& v : r.variants) order.push_back(&v);
  std::stable_sort(order.begin(), order.end(), [](const RobustVariant* a, const RobustVariant* b) {
    return a->p_best > b->p_best;
  });
  std::ostringstream verdict;
  if (used == 0) {
    verdict << "No draw has every variant finished; nothing can be ranked yet.";
  } else {
    verdict << order[0]->name << " is best in " << percent(order[0]->p_best) << " of " << used
            << (r.grid() ? " grid points" : " plausible worlds (parameter draws)");
    for (std::size_t i = 1; i < order.size() && i < 3 && order[i]->p_best >= 0.05; ++i)
      verdict << "; " << order[i]->name << " in " << percent(order[i]->p_best);
    verdict << ", by " << r.metric_label << " " << r.reading << ".";
    const RobustVariant& top = *order[0];
    if (!top.is_baseline && std::isfinite(top.p_positive))
      verdict << " Its effect is positive in " << percent(top.p_positive)
              << " of the draws (90% of draws between " << format_number(top.effect.p05, 0)
              << " and " << format_number(top.effect.p95, 0) << " " << r.effect_unit << ").";
  }
  r.verdict = verdict.str();
  return r;
}

namespace {

std::string sweep_table(const RobustComparison& r) {
  std::ostringstream o;
  o << "\nSweep: " << r.draws << " grid points x " << r.replicates_per_draw
    << " replicates per point and variant. Each variant against the baseline '" << r.baseline
    << "' at the same grid point (paired replicates): " << r.metric_label << " " << r.reading
    << ", mean [95% CI] " << r.effect_unit << ".\n\n";
  const std::size_t d = r.parameters.size();
  std::vector<int> width;
  for (const auto& name : r.parameters)
    width.push_back(std::max<int>(12, static_cast<int>(name.size())));
  for (std::size_t j = 0; j < d; ++j)
    o << std::left << std::setw(width[j]) << r.parameters[j] << "  ";
  for (const auto& v : r.variants)
    if (!v.is_baseline) o << std::left << std::setw(26) << v.name;
  o << "\n";
  for (std::size_t point = 0; point < static_cast<std::size_t>(r.draws); ++point) {
    for (std::size_t j = 0; j < d; ++j)
      o << std::left << std::setw(width[j]) << format_number(r.values[point * d + j], 0) << "  ";
    for (const auto& v : r.variants) {
      if (v.is_baseline) continue;
      const Estimate& e = v.effect_estimate_by_draw[point];
      std::ostringstream cell;
      cell << format_number(e.mean, e.half_width, true);
      if (e.has_ci())
        cell << " [" << format_number(e.ci_low, e.half_width) << ", "
             << format_number(e.ci_high, e.half_width) << "]";
      o << std::left << std::setw(26) << cell.str();
    }
    o << "\n";
  }
  for (const auto& w : r.warnings) o << "warning: " << w << "\n";
  return o.str();
}

}  // namespace

std::string format_robust_table(const RobustComparison& r) {
  if (r.grid()) return sweep_table(r);
  std::ostringstream o;
  o << "\nHow sure are we? " << r.draws << " parameter draws (" << r.sampling << ") x "
    << r.replicates_per_draw << " replicates per draw and variant.\n";
  o << "Uncertain parameters:\n";
  for (std::size_t i = 0; i < r.parameters.size(); ++i)
    o << "  " << r.parameters[i] << ": " << r.distributions[i] << "\n";
  o << "Within each draw the variants are compared as above (paired replicates, baseline '"
    << r.baseline << "'); over the draws:\n\n";
  o << std::left << std::setw(24) << "variant" << std::setw(34)
    << ("effect, median [90% of draws] " + r.effect_unit + " ") << std::setw(10) << "P(best)"
    << std::setw(10) << "P(>0)" << std::setw(14) << "exp. loss"
    << "value added per DKK, median [90%]\n";
  for (const auto& v : r.variants) {
    std::ostringstream effect, va;
    if (v.is_baseline) {
      effect << "(baseline)";
    } else {
      effect << format_number(v.effect.median, 0, true) << " [" << format_number(v.effect.p05, 0)
             << ", " << format_number(v.effect.p95, 0) << "]";
      if (v.value_added_per_dkk.draws > 0)
        va << format_number(v.value_added_per_dkk.median, 0) << " ["
           << format_number(v.value_added_per_dkk.p05, 0) << ", "
           << format_number(v.value_added_per_dkk.p95, 0) << "]";
      else
        va << "n/a (no extra cost)";
    }
    o << std::left << std::setw(24) << v.name << std::setw(34) << effect.str() << std::setw(10)
      << percent(v.p_best) << std::setw(10) << (v.is_baseline ? "" : percent(v.p_positive))
      << std::setw(14) << format_number(v.expected_loss, 0) << va.str() << "\n";
  }
  o << "\nP(best): share of draws in which the variant has the highest mean " << r.metric_label
    << "; exp. loss: mean shortfall from the best variant of each draw (" << r.effect_unit
    << "). The acceptability curves and the cost-effectiveness plane are in --format json.\n";
  o << "Verdict: " << r.verdict << "\n";
  for (const auto& w : r.warnings) o << "warning: " << w << "\n";
  return o.str();
}

std::string format_robust_csv(const RobustComparison& r) {
  std::ostringstream o;
  const auto row = [&](const std::string& variant, const std::string& outcome, const OverDraws& d) {
    o << variant << "," << outcome << "," << json_number(d.median) << "," << json_number(d.p05)
      << "," << json_number(d.p95) << "," << d.draws << ","
      << ((d.p05 > 0 || d.p95 < 0) ? "true" : "false") << "\n";
  };
  const auto share = [&](const std::string& variant, const std::string& outcome, double x) {
    o << variant << "," << outcome << "," << json_number(x) << ",,," << r.draws << ",\n";
  };
  for (const auto& v : r.variants) {
    if (!v.is_baseline) {
      row(v.name, "draws_effect", v.effect);
      row(v.name, "draws_value_added_per_dkk", v.value_added_per_dkk);
      share(v.name, "p_positive", v.p_positive);
    }
    share(v.name, "p_best", v.p_best);
    share(v.name, "expected_loss", v.expected_loss);
  }
  return o.str();
}

std::string format_robust_json(const RobustComparison& r) {
  std::ostringstream o;
  o << "{\"draws\":" << r.draws << ",\"replicates_per_draw\":" << r.replicates_per_draw
    << ",\"sampling\":\"" << json_escape(r.sampling) << "\",\"parameters\":[";
  for (std::size_t i = 0; i < r.parameters.size(); ++i)
    o << (i ? "," : "") << "{\"name\":\"" << json_escape(r.parameters[i])
      << "\",\"distribution\":\"" << json_escape(r.distributions[i]) << "\"}";
  o << "],\"baseline\":\"" << json_escape(r.baseline) << "\",\"metric\":\"" << json_escape(r.metric)
    << "\",\"effect_unit\":\"" << json_escape(r.effect_unit) << "\",\"reading\":\""
    << json_escape(r.reading) << "\",\"values\":" << json_numbers(r.values)
    << ",\"lambdas\":" << json_numbers(r.lambdas) << ",\"lambda_unit\":\"DKK per "
    << json_escape(r.effect_unit) << "\",\"verdict\":\"" << json_escape(r.verdict)
    << "\",\"variants\":[";
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    const auto& v = r.variants[i];
    o << (i ? "," : "") << "{\"name\":\"" << json_escape(v.name)
      << "\",\"is_baseline\":" << (v.is_baseline ? "true" : "false")
      << ",\"effect\":" << json_over(v.effect)
      << ",\"value_added_per_dkk\":" << json_over(v.value_added_per_dkk)
      << ",\"incremental_cost_dkk\":" << json_over(v.incremental_cost_dkk)
      << ",\"p_best\":" << json_number(v.p_best) << ",\"p_positive\":" << json_number(v.p_positive)
      << ",\"expected_loss\":" << json_number(v.expected_loss)
      << ",\"rank_share\":" << json_numbers(v.rank_share)
      << ",\"acceptability\":" << json_numbers(v.acceptability) << ",\"effect_by_draw\":[";
    for (std::size_t d = 0; d < v.effect_estimate_by_draw.size(); ++d) {
      const Estimate& e = v.effect_estimate_by_draw[d];
      o << (d ? "," : "") << "{\"mean\":" << json_number(e.mean)
        << ",\"ci_low\":" << json_number(e.ci_low) << ",\"ci_high\":" << json_number(e.ci_high)
        << ",\"n\":" << e.n << "}";
    }
    o << "],\"plane\":{\"effect\":" << json_numbers(v.effect_by_draw)
      << ",\"incremental_cost_dkk\":" << json_numbers(v.cost_by_draw) << "}}";
  }
  o << "],\"warnings\":[";
  for (std::size_t i = 0; i < r.warnings.size(); ++i)
    o << (i ? "," : "") << "\"" << json_escape(r.warnings[i]) << "\"";
  o << "]}";
  return o.str();
}

}  // namespace klynge::analysis
