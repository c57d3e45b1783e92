#include "analysis/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace klynge::analysis {
namespace {

// Continued fraction of the incomplete beta function (modified Lentz), for x < (a+1)/(a+b+2).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double tiny = 1e-300, eps = 1e-16;
  constexpr int max_iterations = 100000;
  const auto guard = [](double v) { return std::fabs(v) < tiny ? tiny : v; };
  double c = 1.0;
  double d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
  double h = d;
  for (int m = 1; m <= max_iterations; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 / guard(1.0 + aa * d);
    c = guard(1.0 + aa / c);
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 / guard(1.0 + aa * d);
    c = guard(1.0 + aa / c);
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < eps) break;
  }
  return h;
}

// Regularized incomplete beta I_x(a, b); `y` = 1 - x, passed separately to keep its precision.
double incomplete_beta(double a, double b, double x, double y) {
  if (x <= 0) return 0.0;
  if (y <= 0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log(y);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, y) / b;
}

// P(T > t) for t >= 0, computed directly (no 1 - cdf cancellation in the tail).
double student_t_upper_tail(double t, double df) {
  const double t2 = t * t;
  const double x = df / (df + t2), y = t2 / (df + t2);
  return 0.5 * incomplete_beta(df / 2.0, 0.5, x, y);
}

// Cornish-Fisher expansion of the t quantile around the normal one (Abramowitz & Stegun
// 26.7.5), used for large df.
double cornish_fisher_t(double z, double df) {
  const double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
  const double g1 = (z3 + z) / 4.0;
  const double g2 = (5 * z5 + 16 * z3 + 3 * z) / 96.0;
  const double g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384.0;
  const double g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160.0;
  return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

constexpr double kCornishFisherAbove = 1000.0;

}  // namespace

double normal_quantile(double p) {
  if (!(p > 0.0 && p < 1.0))
    throw std::invalid_argument("normal_quantile: p must lie strictly between 0 and 1");
  // Acklam's rational approximation (relative error about 1e-9) ...
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x;
  if (p < p_low || p > 1.0 - p_low) {
    const double q = std::sqrt(-2.0 * std::log(p < p_low ? p : 1.0 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    if (p > 1.0 - p_low) x = -x;
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  }
  // ... refined by Halley steps on the exact CDF 0.5 erfc(-x / sqrt 2).
  for (int i = 0; i < 2; ++i) {
    const double e = 0.5 * std::erfc(-x / std::numbers::sqrt2) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    x -= u / (1.0 + x * u / 2.0);
  }
  return x;
}

double student_t_cdf(double t, double df) {
  if (!(df > 0.0)) throw std::invalid_argument("student_t_cdf: df must be positive");
  if (std::isnan(t)) return t;
  const double tail = student_t_upper_tail(std::fabs(t), df);
  return t >= 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (!(p > 0.0 && p < 1.0))
    throw std::invalid_argument("student_t_quantile: p must lie strictly between 0 and 1");
  if (!(df > 0.0)) throw std::invalid_argument("student_t_quantile: df must be positive");
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  if (df == 1.0) return std::tan(std::numbers::pi * (p - 0.5));
  if (df == 2.0) return (2.0 * p - 1.0) / std::sqrt(2.0 * p * (1.0 - p));
  if (df > kCornishFisherAbove) return cornish_fisher_t(normal_quantile(p), df);
  // Bisection on the upper tail, which falls monotonically in t.
  const double tail = 1.0 - p;
  double lo = 0.0, hi = 1.0;
  while (student_t_upper_tail(hi, df) > tail && hi < 1e300) {
    lo = hi;
    hi *= 2.0;
  }
  for (int i = 0; i < 2000 && hi - lo > 1e-14 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_upper_tail(mid, df) > tail ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

namespace {

// Fills sd, t, the half-width and the CI of an estimate whose n and mean are set.
void finish_interval(Estimate& e, double sum_squares) {
  if (e.n < 2 || std::isnan(e.mean)) return;
  e.sd = std::sqrt(sum_squares / static_cast<double>(e.n - 1));
  e.t = student_t_quantile(0.5 + kConfidenceLevel / 2.0, static_cast<double>(e.n - 1));
  e.half_width = e.t * e.sd / std::sqrt(static_cast<double>(e.n));
  e.ci_low = e.mean - e.half_width;
  e.ci_high = e.mean + e.half_width;
}

}  // namespace

Estimate estimate_mean(const std::vector<double>& values) {
  Estimate e;
  double sum = 0;
  for (double v : values)
    if (!std::isnan(v)) {
      sum += v;
      ++e.n;
    }
  if (e.n == 0) return e;
  e.mean = sum / static_cast<double>(e.n);
  // Equal values have sd 0 exactly (not the rounding noise of sum / n).
  double lowest = std::numeric_limits<double>::infinity(), highest = -lowest;
  for (double v : values)
    if (!std::isnan(v)) {
      lowest = std::min(lowest, v);
      highest = std::max(highest, v);
    }
  if (lowest == highest) e.mean = lowest;
  double squares = 0;
  for (double v : values)
    if (!std::isnan(v)) squares += (v - e.mean) * (v - e.mean);
  finish_interval(e, squares);
  return e;
}

Estimate estimate_ratio(const std::vector<double>& numerators,
                        const std::vector<double>& denominators) {
  if (numerators.size() != denominators.size())
    throw std::invalid_argument("estimate_ratio: numerators and denominators differ in length");
  Estimate e;
  double sum_a = 0, sum_b = 0;
  for (std::size_t i = 0; i < numerators.size(); ++i)
    if (!std::isnan(numerators[i]) && !std::isnan(denominators[i])) {
      sum_a += numerators[i];
      sum_b += denominators[i];
      ++e.n;
    }
  if (e.n == 0 || sum_b == 0) return e;
  const double mean_b = sum_b / static_cast<double>(e.n);
  e.mean = sum_a / sum_b;
  // Linearised terms z_i = (a_i - R b_i) / mean(b); their mean is zero.
  double squares = 0;
  for (std::size_t i = 0; i < numerators.size(); ++i)
    if (!std::isnan(numerators[i]) && !std::isnan(denominators[i])) {
      const double z = (numerators[i] - e.mean * denominators[i]) / mean_b;
      squares += z * z;
    }
  finish_interval(e, squares);
  return e;
}

std::optional<std::uint64_t> replicates_needed(const Estimate& e) {
  if (!e.has_ci() || e.distinguishable() || !(std::fabs(e.mean) > 0) || std::isnan(e.sd))
    return std::nullopt;
  const double ratio = e.sd / std::fabs(e.mean);
  const double projected = std::ceil(std::pow(kNormalQuantile975 * ratio, 2.0));
  const double cap = static_cast<double>(kReplicatesNeededCap);
  if (!(projected < cap)) return kReplicatesNeededCap;
  // t_{n-1} > 1.96, so the projection is a lower bound; step up to the first n that works.
  // (t_{n-1} / sqrt(n) falls with n, so the first n found is the smallest; a few steps suffice
  // except for tiny n.)
  double n = std::max(2.0, projected);
  for (;;) {
    const double t = student_t_quantile(0.5 + kConfidenceLevel / 2.0, n - 1.0);
    if (t * ratio / std::sqrt(n) < 1.0) break;
    n += 1.0;
    if (!(n < cap)) return kReplicatesNeededCap;
  }
  return static_cast<std::uint64_t>(n);
}

}  // namespace klynge::analysis
