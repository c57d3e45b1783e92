#include "analysis/sensitivity.hpp"

#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace klynge::analysis::sensitivity {

ElementaryEffects morris_effects(const sampling::Points& design,
                                 const std::vector<double>& outputs) {
  const std::size_t d = design.d, per_trajectory = d + 1;
  if (d == 0 || design.n == 0 || design.n % per_trajectory != 0)
    throw std::invalid_argument("Morris effects: the design has " + std::to_string(design.n) +
                                " rows, not a whole number of trajectories of d + 1 = " +
                                std::to_string(per_trajectory) + " rows");
  if (outputs.size() != design.n)
    throw std::invalid_argument("Morris effects: " + std::to_string(outputs.size()) +
                                " outputs for " + std::to_string(design.n) + " design rows");
  std::vector<std::vector<double>> effects(d);
  for (std::size_t first = 0; first < design.n; first += per_trajectory)
    for (std::size_t row = first; row + 1 < first + per_trajectory; ++row) {
      std::size_t changed = d, changes = 0;
      for (std::size_t j = 0; j < d; ++j)
        if (design.at(row + 1, j) != design.at(row, j)) changed = j, ++changes;
      if (changes != 1)
        throw std::invalid_argument("Morris effects: rows " + std::to_string(row) + " and " +
                                    std::to_string(row + 1) + " differ in " +
                                    std::to_string(changes) + " inputs, a trajectory step " +
                                    "changes exactly one");
      if (!std::isfinite(outputs[row]) || !std::isfinite(outputs[row + 1])) continue;
      const double step = design.at(row + 1, changed) - design.at(row, changed);
      effects[changed].push_back((outputs[row + 1] - outputs[row]) / step);
    }
  ElementaryEffects result;
  for (std::size_t i = 0; i < d; ++i) {
    const std::vector<double>& e = effects[i];
    const auto n = static_cast<double>(e.size());
    double mu = ElementaryEffects::nan, mu_star = ElementaryEffects::nan,
           sigma = ElementaryEffects::nan;
    if (!e.empty()) {
      double total = 0.0, total_abs = 0.0;
      for (double v : e) total += v, total_abs += std::fabs(v);
      mu = total / n;
      mu_star = total_abs / n;
      if (e.size() >= 2) {
        double squares = 0.0;
        for (double v : e) squares += (v - mu) * (v - mu);
        sigma = std::sqrt(squares / (n - 1.0));
      }
    }
    result.mu.push_back(mu);
    result.mu_star.push_back(mu_star);
    result.sigma.push_back(sigma);
    result.count.push_back(e.size());
  }
  return result;
}

namespace {

// The estimators over a sample of base points (a multiset of group numbers: the bootstrap repeats
// some): fills first[i] and total[i], returns the mean and variance of f(A) and f(B) used.
struct Estimator {
  const std::vector<double>& outputs;
  std::size_t d;

  double a(std::size_t k) const { return outputs[k * (d + 2)]; }
  double ab(std::size_t k, std::size_t i) const { return outputs[k * (d + 2) + 1 + i]; }
  double b(std::size_t k) const { return outputs[k * (d + 2) + d + 1]; }

  std::pair<double, double> operator()(const std::vector<std::size_t>& sample,
                                       std::vector<double>& first,
                                       std::vector<double>& total) const {
    const auto n = static_cast<double>(sample.size());
    double sum = 0.0;
    for (std::size_t k : sample) sum += a(k) + b(k);
    const double mean = sum / (2.0 * n);
    double squares = 0.0;
    for (std::size_t k : sample)
      squares += (a(k) - mean) * (a(k) - mean) + (b(k) - mean) * (b(k) - mean);
    const double variance = squares / (2.0 * n);
    first.assign(d, 0.0);
    total.assign(d, 0.0);
    for (std::size_t k : sample) {
      const double fa = a(k) - mean, fb = b(k) - mean;
      for (std::size_t i = 0; i < d; ++i) {
        const double fab = ab(k, i) - mean;
        first[i] += fb * (fab - fa);
        total[i] += (fa - fab) * (fa - fab);
      }
    }
    for (std::size_t i = 0; i < d; ++i) {
      first[i] /= n * variance;
      total[i] /= 2.0 * n * variance;
    }
    return {mean, variance};
  }
};

// Type-7 (linear interpolation) quantile of sorted values.
double sorted_quantile(const std::vector<double>& sorted, double p) {
  const double position = p * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

}  // namespace

SobolIndices sobol_indices(const std::vector<double>& outputs, std::size_t d,
                           const BootstrapOptions& options) {
  if (d == 0) throw std::invalid_argument("Sobol indices: the number of inputs must be >= 1");
  const std::size_t per_point = sampling::saltelli_rows_per_point(d);
  if (outputs.empty() || outputs.size() % per_point != 0)
    throw std::invalid_argument("Sobol indices: " + std::to_string(outputs.size()) +
                                " outputs are not a whole number of Saltelli groups of d + 2 = " +
                                std::to_string(per_point));
  if (!(options.level > 0.0 && options.level < 1.0))
    throw std::invalid_argument("Sobol indices: the confidence level must lie in (0, 1)");
  const std::size_t groups = outputs.size() / per_point;
  std::vector<std::size_t> valid;
  for (std::size_t k = 0; k < groups; ++k)
    if (std::all_of(outputs.begin() + static_cast<std::ptrdiff_t>(k * per_point),
                    outputs.begin() + static_cast<std::ptrdiff_t>((k + 1) * per_point),
                    [](double v) { return std::isfinite(v); }))
      valid.push_back(k);
  SobolIndices result;
  result.samples = valid.size();
  result.dropped = groups - valid.size();
  result.first.resize(d);
  result.total.resize(d);
  if (valid.size() < 2) return result;

  const Estimator estimate{outputs, d};
  std::vector<double> first, total;
  std::tie(result.mean, result.variance) = estimate(valid, first, total);
  if (!(result.variance > 0)) return result;  // constant output: indices undefined
  for (std::size_t i = 0; i < d; ++i) {
    result.first[i].estimate = first[i];
    result.total[i].estimate = total[i];
  }
  if (options.resamples == 0) return result;

  // Resample base points with replacement; resample r draws from its own keyed stream, so the
  // intervals depend only on (outputs, seed, resamples).
  std::vector<std::vector<double>> first_draws(d), total_draws(d);
  std::vector<std::size_t> sample(valid.size());
  boost::random::uniform_int_distribution<std::size_t> pick(0, valid.size() - 1);
  for (std::size_t r = 0; r < options.resamples; ++r) {
    KeyedRng rng =
        sampling::sampling_rng(options.seed, sampling::Purpose::sobol_index_bootstrap, r);
    for (std::size_t& k : sample) k = valid[pick(rng)];
    const double variance = estimate(sample, first, total).second;
    if (!(variance > 0)) continue;
    for (std::size_t i = 0; i < d; ++i) {
      first_draws[i].push_back(first[i]);
      total_draws[i].push_back(total[i]);
    }
  }
  const double tail = (1.0 - options.level) / 2.0;
  const auto interval = [&](std::vector<double>& draws, Interval& out) {
    if (draws.empty()) return;
    std::sort(draws.begin(), draws.end());
    out.ci_low = sorted_quantile(draws, tail);
    out.ci_high = sorted_quantile(draws, 1.0 - tail);
  };
  for (std::size_t i = 0; i < d; ++i) {
    interval(first_draws[i], result.first[i]);
    interval(total_draws[i], result.total[i]);
  }
  return result;
}

}  // namespace klynge::analysis::sensitivity
