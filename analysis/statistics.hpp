#pragma once
// Statistics of paired replicates for `klynge compare` (docs/compare.md): Student's t
// distribution, the mean of paired differences with its 95% confidence interval, the ratio of two
// means (delta method), and how many replicates a CI needs to exclude zero.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace klynge::analysis {

inline constexpr double kConfidenceLevel = 0.95;
inline constexpr double kNormalQuantile975 = 1.959963984540054;  // z_{0.975}

// Standard normal quantile, 0 < p < 1 (Acklam's approximation refined by one Halley step on
// std::erfc: relative error below 1e-12).
double normal_quantile(double p);

// P(T <= t) for Student's t with df > 0 degrees of freedom (regularized incomplete beta).
double student_t_cdf(double t, double df);

// The p-quantile of Student's t, 0 < p < 1, df > 0 (need not be an integer): exact for df 1 and
// 2, the inverted CDF (bisection, to ~1e-12) up to df 1000, the Cornish-Fisher expansion to
// order 1/df^4 above (error < 1e-12 there). Throws std::invalid_argument outside the domain.
double student_t_quantile(double p, double df);

// Mean of replicate values with a 95% Student t confidence interval:
// mean +- t_{0.975, n-1} * sd / sqrt(n), sd the sample standard deviation (n - 1).
// For a ratio (estimate_ratio) `mean` is the ratio of means and `sd` the standard deviation of
// its linearised per-replicate terms (delta method), so the same CI formula applies.
struct Estimate {
  static constexpr double nan = std::numeric_limits<double>::quiet_NaN();
  std::size_t n = 0;        // replicates used (pairs with a NaN are dropped)
  double mean = nan;        // NaN when n == 0
  double sd = nan;          // NaN when n < 2
  double t = nan;           // t_{0.975, n-1}; NaN when n < 2
  double half_width = nan;  // t * sd / sqrt(n)
  double ci_low = nan, ci_high = nan;

  bool has_ci() const { return n >= 2; }
  // The CI excludes zero (ci_low > 0 or ci_high < 0).
  bool distinguishable() const { return has_ci() && (ci_low > 0 || ci_high < 0); }
  // Every value was exactly zero (n >= 1): no effect at all, no replicate count helps.
  bool zero_everywhere() const { return n >= 1 && mean == 0 && (n == 1 || sd == 0); }
};

// Mean and CI of `values` (NaN entries skipped).
Estimate estimate_mean(const std::vector<double>& values);

// Ratio of means sum(a)/sum(b) over the pairs (a[i], b[i]) with neither NaN; CI by the delta
// method: z_i = (a_i - R b_i) / mean(b), CI = R +- t_{0.975,n-1} sd(z) / sqrt(n).
// mean is NaN when mean(b) == 0. Throws std::invalid_argument when the sizes differ.
Estimate estimate_ratio(const std::vector<double>& numerators,
                        const std::vector<double>& denominators);

// Replicates needed for the 95% CI of a mean that is not distinguishable from zero to exclude
// zero, if the mean and sd stayed as estimated: starts from the normal projection
// ceil((1.96 sd / |mean|)^2) and raises it to the smallest n with t_{0.975,n-1} sd / sqrt(n) <
// |mean| (the projection alone is too small for few replicates). nullopt when the estimate is
// already distinguishable, has no CI (n < 2), or its mean is zero (no replicate count helps).
// Saturates at kReplicatesNeededCap.
inline constexpr std::uint64_t kReplicatesNeededCap = 1'000'000'000'000ull;
std::optional<std::uint64_t> replicates_needed(const Estimate& estimate);

}  // namespace klynge::analysis
