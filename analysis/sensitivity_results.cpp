#include "analysis/sensitivity_results.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "analysis/compare.hpp"
#include "analysis/robust.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/sampling.hpp"

namespace klynge::analysis {
namespace {

constexpr double kNaN = sensitivity::Interval::nan;

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

// Type-7 quantile of sorted values (numpy's default), as analysis/sensitivity.cpp's intervals.
double sorted_quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

// mu* with a percentile bootstrap over trajectories: each trajectory gives one elementary effect
// per parameter, so resampling trajectories keeps every effect's pairing with its own path.
void morris(const sampling::Points& design, const std::vector<double>& outputs,
            std::size_t resamples, std::uint64_t seed, SensitivityResult& r) {
  const std::size_t d = design.d, per = d + 1, trajectories = design.n / per;
  const sensitivity::ElementaryEffects all = sensitivity::morris_effects(design, outputs);
  // ee[t][j]: trajectory t's elementary effect of parameter j (NaN: an output without a number).
  std::vector<std::vector<double>> ee(trajectories, std::vector<double>(d, kNaN));
  std::vector<std::size_t> usable;
  for (std::size_t t = 0; t < trajectories; ++t) {
    sampling::Points one(per, d);
    std::copy(design.values.begin() + static_cast<std::ptrdiff_t>(t * per * d),
              design.values.begin() + static_cast<std::ptrdiff_t>((t + 1) * per * d),
              one.values.begin());
    const std::vector<double> y(outputs.begin() + static_cast<std::ptrdiff_t>(t * per),
                                outputs.begin() + static_cast<std::ptrdiff_t>((t + 1) * per));
    const sensitivity::ElementaryEffects e = sensitivity::morris_effects(one, y);
    for (std::size_t j = 0; j < d; ++j) ee[t][j] = e.mu[j];
    if (std::all_of(y.begin(), y.end(), [](double v) { return std::isfinite(v); }))
      usable.push_back(t);
  }
  r.used = usable.size();
  std::vector<std::vector<double>> boot(d);
  if (resamples > 0 && !usable.empty()) {
    boost::random::uniform_int_distribution<std::size_t> pick(0, usable.size() - 1);
    for (std::size_t b = 0; b < resamples; ++b) {
      KeyedRng rng = sampling::sampling_rng(seed, sampling::Purpose::morris_bootstrap, b);
      std::vector<double> sum(d, 0.0);
      for (std::size_t k = 0; k < usable.size(); ++k) {
        const std::size_t t = usable[pick(rng)];
        for (std::size_t j = 0; j < d; ++j) sum[j] += std::fabs(ee[t][j]);
      }
      for (std::size_t j = 0; j < d; ++j)
        boot[j].push_back(sum[j] / static_cast<double>(usable.size()));
    }
  }
  const double tail = (1.0 - r.confidence) / 2.0;
  for (std::size_t j = 0; j < d; ++j) {
    ParameterSensitivity& p = r.parameters[j];
    p.estimate = all.mu_star[j];
    p.mu = all.mu[j];
    p.sigma = all.sigma[j];
    p.count = all.count[j];
    if (!boot[j].empty() && std::isfinite(p.estimate)) {
      std::sort(boot[j].begin(), boot[j].end());
      p.ci_low = sorted_quantile(boot[j], tail);
      p.ci_high = sorted_quantile(boot[j], 1.0 - tail);
    }
  }
}

void sobol(const std::vector<double>& outputs, std::size_t d, std::size_t resamples,
           std::uint64_t seed, SensitivityResult& r) {
  sensitivity::BootstrapOptions options;
  options.resamples = resamples;
  options.level = r.confidence;
  options.seed = seed;
  const sensitivity::SobolIndices s = sensitivity::sobol_indices(outputs, d, options);
  r.used = s.samples;
  r.output_mean = s.mean;
  r.output_variance = s.variance;
  for (std::size_t j = 0; j < d; ++j) {
    ParameterSensitivity& p = r.parameters[j];
    p.first = s.first[j];
    p.total = s.total[j];
    p.estimate = p.total.estimate;
    p.ci_low = p.total.ci_low;
    p.ci_high = p.total.ci_high;
  }
}

}  // namespace

const char* method_name(SensitivityMethod method) {
  return method == SensitivityMethod::morris ? "morris" : "sobol";
}

SensitivityResult sensitivity_from_outputs(const ResultsHeader::Draws& u,
                                           const std::vector<double>& outputs,
                                           std::size_t resamples, std::uint64_t seed) {
  const bool is_morris = u.sampling == "morris";
  if (!is_morris && u.sampling != "saltelli")
    throw std::invalid_argument("sensitivity: the design is '" + u.sampling +
                                "', not morris or saltelli");
  const std::size_t d = u.parameters.size();
  const auto draws = static_cast<std::size_t>(u.draws);
  if (d == 0 || outputs.size() != draws || u.design.size() != draws * d || u.design_draws <= 0 ||
      static_cast<std::size_t>(u.design_draws) * (d + (is_morris ? 1 : 2)) != draws)
    throw std::invalid_argument("sensitivity: the design and the outputs do not match");
  SensitivityResult r;
  r.method = is_morris ? SensitivityMethod::morris : SensitivityMethod::sobol;
  r.measure = is_morris ? "mu_star" : "ST";
  r.dimensions = d;
  r.groups = static_cast<std::size_t>(u.design_draws);
  r.levels = is_morris ? u.levels : 0;
  r.parameter_sets = draws;
  r.replicates_per_set = u.replicates_per_draw;
  r.resamples = resamples;
  r.parameters.resize(d);
  for (std::size_t j = 0; j < d; ++j) {
    r.parameters[j].name = u.parameters[j];
    if (j < u.distributions.size()) r.parameters[j].distribution = u.distributions[j];
  }
  if (is_morris) {
    sampling::Points design(draws, d);
    design.values = u.design;
    morris(design, outputs, resamples, seed, r);
  } else {
    sobol(outputs, d, resamples, seed, r);
  }
  // Most influential first; parameters without a number last, in the file's order.
  std::stable_sort(r.parameters.begin(), r.parameters.end(),
                   [](const ParameterSensitivity& a, const ParameterSensitivity& b) {
                     const bool fa = std::isfinite(a.estimate), fb = std::isfinite(b.estimate);
                     if (fa != fb) return fa;
                     return fa && a.estimate > b.estimate;
                   });
  return r;
}

SensitivityResult sensitivity_analysis(const ResultsFile& results,
                                       const SensitivityOptions& options) {
  const auto& u = results.header.uncertainty;
  if (u.draws <= 0)
    throw UsageError(results.path +
                     " has no parameter draws (its scenario has no `uncertainty:` section); "
                     "global sensitivity needs a run with `uncertainty: {sampling: morris}` or "
                     "`{sampling: saltelli}` (docs/sensitivity.md); use `klynge compare` for "
                     "this file");
  if (u.sampling != "morris" && u.sampling != "saltelli")
    throw UsageError(
        results.path + " is a " +
        (u.sampling == "grid" ? std::string("sweep (`sweep:`)")
                              : "probabilistic run with `sampling: " + u.sampling + "`") +
        ", not a sensitivity design: `klynge sensitivity` needs `sampling: morris` (elementary "
        "effects) or `sampling: saltelli` (Sobol indices) in the scenario's `uncertainty:` "
        "section (docs/sensitivity.md). Use `klynge compare` for this file" +
        (u.sampling == "grid" ? " (each variant against its own baseline at every grid point)"
                              : " (the robust comparison over the draws)"));

  // The variants: the baseline as compare chooses it; the analysed variant.
  std::vector<std::string> names;
  for (const auto& v : results.variants) names.push_back(v.name);
  const auto has = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  std::string baseline = options.baseline;
  if (baseline.empty()) baseline = has("baseline") ? "baseline" : names.front();
  if (!has(baseline))
    throw UsageError("unknown --baseline '" + baseline + "'; the variants are: " + join(names));
  std::string variant = options.variant;
  if (!variant.empty() && !has(variant))
    throw UsageError("unknown --variant '" + variant + "'; the variants are: " + join(names));
  if (options.effect) {
    if (variant.empty())
      for (const auto& name : names)
        if (name != baseline) {
          variant = name;
          break;
        }
    if (variant.empty())
      throw UsageError(results.path + " has one variant ('" + baseline +
                       "'): --effect needs a second one to compare with it; leave --effect out "
                       "to analyse its level");
    if (variant == baseline)
      throw UsageError("--effect compares --variant with --baseline, both are '" + baseline +
                       "'; name another variant (" + join(names) + ")");
  } else if (variant.empty()) {
    variant = baseline;
  }
  const auto variant_index =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), variant) - names.begin());

  CompareOptions compare_options;
  compare_options.baseline = baseline;
  compare_options.metric = options.metric;
  compare_options.at = options.at;
  compare_options.cumulative = options.cumulative;

  // One output per draw: the draw's mean over its replicates (compare within the draw). A draw is
  // complete when every variant finished every replicate of it: an interrupted run's last draw
  // is partial, and its mean would rest on fewer replicates than the others'.
  const auto per_draw = static_cast<std::size_t>(u.replicates_per_draw);
  std::vector<double> outputs(static_cast<std::size_t>(u.draws), kNaN);
  std::vector<char> complete(outputs.size(), 0);
  const Comparison* first = nullptr;
  Comparison first_copy;
  for_each_draw(results, compare_options, [&](std::size_t draw, const Comparison* c) {
    if (!c) return;
    if (!first) {
      first_copy = *c;
      first = &first_copy;
    }
    complete[draw] = c->ranking_replicates == per_draw;
    const VariantComparison& v = c->variants[variant_index];
    outputs[draw] = options.effect ? v.rank_effect.mean : v.rank_level.mean;
  });
  const bool is_morris = u.sampling == "morris";
  const std::size_t d = u.parameters.size(), per_group = d + (is_morris ? 1 : 2);
  const auto groups = static_cast<std::size_t>(u.design_draws);
  const std::string group_name = is_morris ? "trajectories" : "base points";
  std::size_t incomplete = 0, non_finite = 0;
  for (std::size_t g = 0; g < groups; ++g) {
    const auto begin = static_cast<std::ptrdiff_t>(g * per_group);
    const auto end = begin + static_cast<std::ptrdiff_t>(per_group);
    if (!std::all_of(complete.begin() + begin, complete.begin() + end,
                     [](char c) { return c != 0; })) {
      ++incomplete;
      std::fill(outputs.begin() + begin, outputs.begin() + end, kNaN);
    } else if (!std::all_of(outputs.begin() + begin, outputs.begin() + end,
                            [](double y) { return std::isfinite(y); })) {
      ++non_finite;
    }
  }
  if (!first || incomplete == groups)
    throw UsageError(results.path + " has no complete " +
                     (is_morris ? std::string("trajectory") : std::string("base point")) +
                     " (every parameter set of it finished in every variant): nothing to "
                     "analyse; finish the run with `klynge run SCENARIO.yaml -o " +
                     results.path + " --resume`");

  SensitivityResult r;
  try {
    r = sensitivity_from_outputs(u, outputs, options.resamples, results.header.seed);
  } catch (const std::invalid_argument& e) {
    // The reader checked the shapes; a design that is not one (a damaged file) ends here.
    throw InputError(SourceLocation{results.path, 0, 0}, "/uncertainty/design",
                     std::string("not a usable ") + u.sampling + " design: " + e.what());
  }
  r.metric = first->metric;
  r.metric_label = first->metric_label;
  r.baseline = baseline;
  r.variant = variant;
  r.effect = options.effect;
  r.month = first->month;
  r.cumulative = first->cumulative;
  r.reading = first->reading();
  r.unit = options.effect ? first->metric_difference_unit : first->metric_unit;
  r.description = r.metric_label + " of '" + variant + "'" +
                  (options.effect ? " minus '" + baseline + "' (paired effect)" : "") + ", " +
                  r.reading + (r.unit.empty() ? "" : ", in " + r.unit);
  r.dropped_incomplete = incomplete;
  r.dropped_non_finite = non_finite;
  if (incomplete > 0)
    r.warnings.push_back(std::to_string(incomplete) + " of " + std::to_string(groups) + " " +
                         group_name +
                         " are incomplete (an interrupted run: a parameter set not finished in "
                         "every variant) and are left out; `klynge run SCENARIO.yaml -o " +
                         results.path + " --resume` finishes them");
  if (non_finite > 0)
    r.warnings.push_back(
        std::to_string(non_finite) + " of " + std::to_string(groups) + " " + group_name +
        " have a parameter set whose output has no number; " +
        (is_morris ? "the elementary effects touching it are" : "those base points are") +
        " left out");
  if (r.method == SensitivityMethod::sobol && r.used >= 2 && !(r.output_variance > 0))
    r.warnings.push_back(
        "the output is the same in every parameter set: no parameter changes "
        "it, and the Sobol indices are undefined");
  return r;
}

namespace {

std::string json_number(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream o;
  o << std::setprecision(10) << x;
  return o.str();
}

std::string json_interval(const sensitivity::Interval& i) {
  return "{\"estimate\":" + json_number(i.estimate) + ",\"ci_low\":" + json_number(i.ci_low) +
         ",\"ci_high\":" + json_number(i.ci_high) + "}";
}

// An index (Sobol: a share of variance) to three decimals; Morris measures as compare rounds.
std::string index_text(double x) {
  if (!std::isfinite(x)) return "n/a";
  std::ostringstream o;
  o << std::fixed << std::setprecision(3) << x;
  return o.str();
}

std::string with_interval(const SensitivityResult& r, double estimate, double low, double high) {
  const bool morris = r.method == SensitivityMethod::morris;
  const double half = (high - low) / 2;
  const auto text = [&](double x) {
    return morris ? format_number(x, std::isfinite(half) ? half : 0) : index_text(x);
  };
  std::string s = text(estimate);
  if (std::isfinite(low) && std::isfinite(high)) s += " [" + text(low) + ", " + text(high) + "]";
  return s;
}

}  // namespace

std::string format_sensitivity_table(const SensitivityResult& r) {
  const bool morris = r.method == SensitivityMethod::morris;
  std::ostringstream o;
  o << "\nGlobal sensitivity of " << r.description << ".\n";
  if (morris)
    o << "Morris elementary effects: " << r.groups << " trajectories x (" << r.dimensions
      << " parameters + 1) = " << r.parameter_sets << " parameter sets on a " << r.levels
      << "-level grid";
  else
    o << "Sobol indices (Saltelli design): " << r.groups << " base points x (" << r.dimensions
      << " parameters + 2) = " << r.parameter_sets << " parameter sets";
  o << ", " << r.replicates_per_set
    << " replicates each per variant; a parameter set's output is the mean over its replicates. "
    << r.used << " " << (morris ? "trajectories" : "base points") << " used.\n\n";
  std::size_t width = 24;
  for (const auto& p : r.parameters) width = std::max(width, p.name.size() + 2);
  const auto w = static_cast<int>(width);
  if (morris) {
    o << std::left << std::setw(w) << "parameter" << std::setw(30) << "mu* [95% CI]"
      << std::setw(14) << "mu" << std::setw(14) << "sigma" << std::setw(9) << "effects"
      << "distribution\n";
    for (const auto& p : r.parameters) {
      const double half = (p.ci_high - p.ci_low) / 2;
      const double spread = std::isfinite(half) ? half : 0;
      o << std::left << std::setw(w) << p.name << std::setw(30)
        << with_interval(r, p.estimate, p.ci_low, p.ci_high) << std::setw(14)
        << format_number(p.mu, spread, true) << std::setw(14) << format_number(p.sigma, spread)
        << std::setw(9) << p.count << p.distribution << "\n";
    }
    o << "\nmu*: mean absolute elementary effect (Campolongo et al. 2007) in " << r.unit
      << " for a move of the parameter across its whole range in probability (steps of " << r.levels
      << "/(2(" << r.levels << "-1)) of the " << r.levels
      << "-level grid, rescaled); mu: the mean signed effect; sigma: the effects' standard "
         "deviation (large: interactions or a nonlinear effect). Ranked by mu*";
    if (r.resamples > 0)
      o << "; 95% percentile bootstrap interval of mu* over trajectories (" << r.resamples
        << " resamples)";
    o << ".\n";
  } else {
    o << std::left << std::setw(w) << "parameter" << std::setw(26) << "ST [95% CI]" << std::setw(26)
      << "S1 [95% CI]"
      << "distribution\n";
    for (const auto& p : r.parameters)
      o << std::left << std::setw(w) << p.name << std::setw(26)
        << with_interval(r, p.total.estimate, p.total.ci_low, p.total.ci_high) << std::setw(26)
        << with_interval(r, p.first.estimate, p.first.ci_low, p.first.ci_high) << p.distribution
        << "\n";
    o << "\nST (total index, Jansen): the share of the output's variance over the parameter "
         "draws that involves the parameter, alone or with others; S1 (first order, Saltelli "
         "2010): its share alone. Ranked by ST";
    if (r.resamples > 0)
      o << "; 95% percentile bootstrap intervals over base points (" << r.resamples
        << " resamples)";
    o << ". Estimates can stray slightly below 0 or above 1 with few base points.\n";
  }
  for (const auto& warning : r.warnings) o << "warning: " << warning << "\n";
  return o.str();
}

std::string format_sensitivity_csv(const SensitivityResult& r) {
  std::ostringstream o;
  o << "parameter,measure,estimate,ci_low,ci_high,n\n";
  const auto row = [&](const std::string& name, const char* measure, double estimate, double low,
                       double high, std::size_t n) {
    o << name << "," << measure << "," << json_number(estimate) << ","
      << (std::isfinite(low) ? json_number(low) : "") << ","
      << (std::isfinite(high) ? json_number(high) : "") << "," << n << "\n";
  };
  for (const auto& p : r.parameters) {
    if (r.method == SensitivityMethod::morris) {
      row(p.name, "mu_star", p.estimate, p.ci_low, p.ci_high, p.count);
      row(p.name, "mu", p.mu, kNaN, kNaN, p.count);
      row(p.name, "sigma", p.sigma, kNaN, kNaN, p.count);
    } else {
      row(p.name, "ST", p.total.estimate, p.total.ci_low, p.total.ci_high, r.used);
      row(p.name, "S1", p.first.estimate, p.first.ci_low, p.first.ci_high, r.used);
    }
  }
  return o.str();
}

std::string format_sensitivity_json(const SensitivityResult& r) {
  const bool morris = r.method == SensitivityMethod::morris;
  std::ostringstream o;
  o << "{\"method\":\"" << method_name(r.method) << "\",\"sampling\":\""
    << (morris ? "morris" : "saltelli") << "\",\"measure\":\"" << r.measure
    << "\",\"output\":{\"metric\":\"" << json_escape(r.metric) << "\",\"label\":\""
    << json_escape(r.metric_label) << "\",\"unit\":\"" << json_escape(r.unit) << "\",\"variant\":\""
    << json_escape(r.variant) << "\",\"baseline\":\"" << json_escape(r.baseline)
    << "\",\"effect\":" << (r.effect ? "true" : "false") << ",\"month\":" << r.month
    << ",\"cumulative\":" << (r.cumulative ? "true" : "false") << ",\"reading\":\""
    << json_escape(r.reading) << "\",\"description\":\"" << json_escape(r.description)
    << "\"},\"design\":{\"parameters\":" << r.dimensions << ",\""
    << (morris ? "trajectories" : "base_points") << "\":" << r.groups;
  if (morris) o << ",\"levels\":" << r.levels;
  o << ",\"parameter_sets\":" << r.parameter_sets
    << ",\"replicates_per_parameter_set\":" << r.replicates_per_set << ",\"used\":" << r.used
    << ",\"dropped_incomplete\":" << r.dropped_incomplete
    << ",\"dropped_non_finite\":" << r.dropped_non_finite << ",\"resamples\":" << r.resamples
    << ",\"confidence\":" << json_number(r.confidence) << "}";
  if (!morris)
    o << ",\"output_mean\":" << json_number(r.output_mean)
      << ",\"output_variance\":" << json_number(r.output_variance);
  o << ",\"parameters\":[";
  for (std::size_t i = 0; i < r.parameters.size(); ++i) {
    const auto& p = r.parameters[i];
    o << (i ? "," : "") << "{\"name\":\"" << json_escape(p.name) << "\",\"distribution\":\""
      << json_escape(p.distribution) << "\",\"rank\":" << i + 1
      << ",\"estimate\":" << json_number(p.estimate) << ",\"ci_low\":" << json_number(p.ci_low)
      << ",\"ci_high\":" << json_number(p.ci_high);
    if (morris)
      o << ",\"mu_star\":" << json_number(p.estimate) << ",\"mu\":" << json_number(p.mu)
        << ",\"sigma\":" << json_number(p.sigma) << ",\"count\":" << p.count;
    else
      o << ",\"ST\":" << json_interval(p.total) << ",\"S1\":" << json_interval(p.first);
    o << "}";
  }
  o << "],\"warnings\":[";
  for (std::size_t i = 0; i < r.warnings.size(); ++i)
    o << (i ? "," : "") << "\"" << json_escape(r.warnings[i]) << "\"";
  o << "]}\n";
  return o.str();
}

}  // namespace klynge::analysis
