#pragma once
// Global sensitivity measures from the outputs of a sampling design (docs/sensitivity.md):
// Morris elementary effects from a sampling::morris_design, and Sobol' first-order and total
// indices from a sampling::saltelli_design, with keyed bootstrap confidence intervals.
// The functions see only the design (in unit-cube coordinates) and one output per row, so they
// serve any metric or paired effect and are validated against analytic test functions.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/core/sampling.hpp"

namespace klynge::analysis::sensitivity {

// Morris (1991) with Campolongo et al. (2007)'s mu*: per input i, the elementary effects
// EE = (y(x + delta e_i) - y(x)) / delta over the trajectories (delta = +-Delta in design units),
// mu = mean EE, mu* = mean |EE|, sigma = their sample standard deviation (n - 1). A large mu* marks
// an influential input; a large sigma an input whose effect depends on the others (interaction)
// or is nonlinear.
struct ElementaryEffects {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> mu, mu_star, sigma;  // per input; NaN without effects (sigma: fewer than 2)
  std::vector<std::size_t> count;          // effects used per input (non-finite outputs dropped)
};

// `design` holds trajectories of d + 1 consecutive rows that each change exactly one coordinate
// (as sampling::morris_design builds them); outputs[k] is the model output at row k.
// Throws std::invalid_argument on mismatched sizes or rows that are not a trajectory.
ElementaryEffects morris_effects(const sampling::Points& design,
                                 const std::vector<double>& outputs);

// An index with its bootstrap percentile confidence interval.
struct Interval {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  double estimate = nan;
  double ci_low = nan, ci_high = nan;
};

struct BootstrapOptions {
  std::size_t resamples = 1000;  // 0: no intervals (ci_low, ci_high stay NaN)
  double level = 0.95;
  std::uint64_t seed = 0;  // keys the resampling: same seed, same intervals
};

// Sobol' indices from the outputs of a Saltelli design (rows grouped per base point k as
// sampling::saltelli_design lays them out: A_k, A_B^(1)_k .. A_B^(d)_k, B_k). With f the outputs
// centred on the mean of all f(A) and f(B), and V their variance (2N values, divisor 2N):
//   first order (Saltelli et al. 2010):  S_i  = (1/N) sum_k f(B)_k (f(A_B^(i))_k - f(A)_k) / V
//   total (Jansen 1999):                 ST_i = (1/2N) sum_k (f(A)_k - f(A_B^(i))_k)^2 / V
// Base points with any non-finite output are dropped (counted in `dropped`). Intervals: the
// percentile bootstrap over base points (resampled with replacement, keyed by options.seed).
struct SobolIndices {
  std::size_t samples = 0;  // base points used (N)
  std::size_t dropped = 0;  // base points dropped for a non-finite output
  double mean = Interval::nan, variance = Interval::nan;  // of f(A) and f(B)
  std::vector<Interval> first, total;                     // per input
};

SobolIndices sobol_indices(const std::vector<double>& outputs, std::size_t d,
                           const BootstrapOptions& options = {});

}  // namespace klynge::analysis::sensitivity
