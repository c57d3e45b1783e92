// Student t quantiles, paired means with 95% CIs, ratio of means, replicates needed.
// Reference values: Student t quantiles computed to 30 digits with mpmath (bisection on the
// regularized incomplete beta), rounded to 16; the hand computations are in the comments.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "analysis/statistics.hpp"

using namespace klynge::analysis;

TEST_CASE("statistics: t quantiles match the tables", "[statistics]") {
  struct Row {
    double df, p, t;
  };
  const Row table[] = {
      {1, 0.975, 12.706204736174705},  // tan(0.475 pi), exact
      {2, 0.975, 4.302652729749464},   // (2p - 1) / sqrt(2p(1 - p)), exact
      {3, 0.975, 3.182446305283710},
      {4, 0.975, 2.776445105197794},
      {5, 0.975, 2.570581835636316},
      {9, 0.975, 2.262157162798206},
      {10, 0.975, 2.228138851986275},
      {19, 0.975, 2.093024054408310},
      {29, 0.975, 2.045229642132704},
      {30, 0.975, 2.042272456301238},
      {100, 0.975, 1.983971518523552},
      {199, 0.975, 1.971956544251754},
      {1000, 0.975, 1.962339080826409},
      {1000.5, 0.975, 1.962337892459349},  // Cornish-Fisher from here on
      {1001, 0.975, 1.962336705280880},
      {1e6, 0.975, 1.959966356814107},
      {10, 0.95, 1.812461122811676},
      {5, 0.995, 4.032142983555228},
      {3, 0.9, 1.637744353696210},
      {7.5, 0.975, 2.333039626864975},  // fractional df
      {0.5, 0.975, 164.5576734804885},  // very heavy tails
  };
  for (const Row& row : table) {
    INFO("df " << row.df << " p " << row.p);
    CHECK(student_t_quantile(row.p, row.df) == Approx(row.t).epsilon(1e-9));
    CHECK(student_t_quantile(1 - row.p, row.df) == Approx(-row.t).epsilon(1e-9));
  }
  CHECK(student_t_quantile(0.5, 7) == 0.0);
  // Far out the t approaches the normal quantile from above.
  CHECK(student_t_quantile(0.975, 1e12) == Approx(kNormalQuantile975).epsilon(1e-11));
  CHECK(student_t_quantile(0.975, 1e12) > kNormalQuantile975);
}

TEST_CASE("statistics: the t quantile inverts the t CDF", "[statistics]") {
  for (double df : {0.7, 1.0, 1.5, 2.0, 3.0, 7.5, 30.0, 400.0, 1000.0, 1001.0, 5000.0})
    for (double p : {0.55, 0.7, 0.9, 0.975, 0.995, 0.9999}) {
      INFO("df " << df << " p " << p);
      const double t = student_t_quantile(p, df);
      CHECK(student_t_cdf(t, df) == Approx(p).epsilon(1e-10));
      CHECK(student_t_cdf(-t, df) == Approx(1 - p).epsilon(1e-8));
    }
  // Closed forms of the CDF for df 1 and 2.
  for (double t : {-3.0, -0.5, 0.0, 0.25, 2.0, 40.0}) {
    CHECK(student_t_cdf(t, 1) == Approx(0.5 + std::atan(t) / std::numbers::pi).epsilon(1e-12));
    CHECK(student_t_cdf(t, 2) == Approx(0.5 + t / (2 * std::sqrt(2 + t * t))).epsilon(1e-12));
  }
  CHECK(student_t_cdf(2.0, 5) == Approx(0.9490302605850709).epsilon(1e-12));
  // The quantile falls with df, continuously across the switch to Cornish-Fisher at df 1000.
  double previous = std::numeric_limits<double>::infinity();
  for (double df : {1.0, 2.0, 3.0, 10.0, 100.0, 999.0, 1000.0, 1000.5, 1001.0, 2000.0, 1e5}) {
    const double t = student_t_quantile(0.975, df);
    CHECK(t < previous);
    previous = t;
  }
  // Across the switch the two methods agree: t(1000) - t(1000.5) = 1.18837e-6 (30-digit
  // reference values above).
  CHECK(student_t_quantile(0.975, 1000.0) - student_t_quantile(0.975, 1000.5) ==
        Approx(1.962339080826409 - 1.962337892459349).epsilon(1e-6));
}

TEST_CASE("statistics: normal quantile", "[statistics]") {
  CHECK(normal_quantile(0.975) == Approx(1.959963984540054).epsilon(1e-13));
  CHECK(normal_quantile(0.5) == Approx(0.0).margin(1e-15));
  CHECK(normal_quantile(0.001) == Approx(-3.090232306167813).epsilon(1e-12));
  CHECK(normal_quantile(1e-10) == Approx(-6.361340902404056).epsilon(1e-12));
  CHECK(normal_quantile(0.9) == Approx(1.2815515655446004).epsilon(1e-13));
}

TEST_CASE("statistics: out-of-domain arguments are refused", "[statistics]") {
  CHECK_THROWS_AS(student_t_quantile(0.0, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(1.0, 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(0.9, 0), std::invalid_argument);
  CHECK_THROWS_AS(student_t_quantile(std::nan(""), 3), std::invalid_argument);
  CHECK_THROWS_AS(student_t_cdf(1.0, -1), std::invalid_argument);
  CHECK_THROWS_AS(normal_quantile(1.5), std::invalid_argument);
  CHECK_THROWS_AS(estimate_ratio({1, 2}, {1}), std::invalid_argument);
}

TEST_CASE("statistics: mean and 95% CI of paired differences by hand", "[statistics]") {
  // {5, 6, 4, 7}: mean 5.5; deviations -0.5, 0.5, -1.5, 1.5, squares sum 5, sd = sqrt(5/3)
  // = 1.2909944; t(0.975, 3) = 3.1824463; half-width 3.1824463 * 1.2909944 / 2 = 2.0542603;
  // CI [3.4457397, 7.5542603].
  const Estimate e = estimate_mean({5, 6, 4, 7});
  CHECK(e.n == 4);
  CHECK(e.mean == Approx(5.5));
  CHECK(e.sd == Approx(std::sqrt(5.0 / 3.0)));
  CHECK(e.t == Approx(3.182446305284263));
  CHECK(e.half_width == Approx(2.054260256760879));
  CHECK(e.ci_low == Approx(3.445739743239121));
  CHECK(e.ci_high == Approx(7.554260256760879));
  CHECK(e.distinguishable());
  CHECK_FALSE(e.zero_everywhere());
  CHECK_FALSE(replicates_needed(e).has_value());

  // NaN entries are dropped: the same estimate.
  const double nan = std::nan("");
  const Estimate with_nan = estimate_mean({nan, 5, 6, nan, 4, 7});
  CHECK(with_nan.n == 4);
  CHECK(with_nan.ci_low == Approx(e.ci_low));

  // {1, -1, 2, 0}: mean 0.5, sd 1.2909944, CI [-1.5542603, 2.5542603] contains 0.
  const Estimate small = estimate_mean({1, -1, 2, 0});
  CHECK(small.ci_low == Approx(-1.554260256760879));
  CHECK(small.ci_high == Approx(2.554260256760879));
  CHECK_FALSE(small.distinguishable());

  // A constant non-zero difference: sd 0, CI [2, 2], distinguishable.
  const Estimate constant = estimate_mean({2, 2, 2});
  CHECK(constant.sd == 0);
  CHECK(constant.ci_low == 2);
  CHECK(constant.ci_high == 2);
  CHECK(constant.distinguishable());

  // Equal values give sd 0 exactly, not the rounding noise of sum / n (the same programme cost
  // in 200 replicates once gave a CI [0.625067, 0.625067] of noise).
  const Estimate equal = estimate_mean(std::vector<double>(200, 625066.6666666666));
  CHECK(equal.sd == 0);
  CHECK(equal.mean == 625066.6666666666);
  CHECK(equal.half_width == 0);

  // Zero in every replicate: not distinguishable, and no replicate count helps.
  const Estimate zero = estimate_mean({0, 0, 0, 0});
  CHECK(zero.zero_everywhere());
  CHECK_FALSE(zero.distinguishable());
  CHECK_FALSE(replicates_needed(zero).has_value());

  // One value: a mean but no CI; none: nothing.
  const Estimate one = estimate_mean({3});
  CHECK(one.n == 1);
  CHECK(one.mean == 3);
  CHECK_FALSE(one.has_ci());
  CHECK(std::isnan(one.ci_low));
  CHECK_FALSE(one.distinguishable());
  const Estimate none = estimate_mean({nan});
  CHECK(none.n == 0);
  CHECK(std::isnan(none.mean));
}

TEST_CASE("statistics: replicates needed by hand", "[statistics]") {
  // mean 0.5, sd 1.2909944 (n = 4): sd/|mean| = 2.5819889. The normal projection is
  // ceil((1.96 * 2.5819889)^2) = ceil(25.61) = 26, but then t(0.975, 25) * 2.5819889 / sqrt(26)
  // = 2.0595386 * 2.5819889 / 5.0990195 = 1.0429 >= 1; n = 27: 1.0214; n = 28: 1.0012;
  // n = 29: 2.0484071 * 2.5819889 / 5.3851648 = 0.9821 < 1. So 29.
  CHECK(replicates_needed(estimate_mean({1, -1, 2, 0})) == std::optional<std::uint64_t>(29));
  // mean 0.25, sd 0.5: projection ceil(15.37) = 16; t(15) * 2 / 4 = 1.0657, n = 17: 1.0283,
  // n = 18: 2.1098155 * 2 / 4.2426407 = 0.9946 < 1. So 18.
  CHECK(replicates_needed(estimate_mean({0, 1, 0, 0})) == std::optional<std::uint64_t>(18));
  // Few replicates: {1, 0.2}: mean 0.6, sd 0.5657, ratio 0.9428; projection ceil(3.41) = 4:
  // t(3) * 0.9428 / 2 = 1.5002; n = 5: 2.7764 * 0.9428 / 2.2361 = 1.1707; n = 6: 2.5706 *
  // 0.9428 / 2.4495 = 0.9894 < 1. So 6.
  CHECK(replicates_needed(estimate_mean({1, 0.2})) == std::optional<std::uint64_t>(6));
  // A mean of exactly zero with spread: no replicate count makes the CI exclude zero.
  CHECK_FALSE(replicates_needed(estimate_mean({1, -1, 1, -1})).has_value());
  // A vanishing mean saturates instead of overflowing.
  CHECK(replicates_needed(estimate_mean({1, -1 + 1e-15, 1, -1})) == kReplicatesNeededCap);
}

TEST_CASE("statistics: ratio of means with a delta-method CI by hand", "[statistics]") {
  // Added revenue per DKK of four replicates: a = {7, 9, 5, 9} * 1e6/12 DKK, b (cost) =
  // {1.0, 1.2, 0.8, 1.0} * 1e6 DKK. R = mean(a)/mean(b) = (7.5e6/12) / 1e6 = 0.625.
  // z = (a - R b) / mean(b) = {-1/24, 0, -1/12, 1/8}; sum of squares = 0.0243056, sd =
  // sqrt(0.0243056 / 3) = 0.0900103; half-width 3.1824463 * 0.0900103 / 2 = 0.1432265.
  const std::vector<double> a = {7e6 / 12, 9e6 / 12, 5e6 / 12, 9e6 / 12};
  const std::vector<double> b = {1.0e6, 1.2e6, 0.8e6, 1.0e6};
  const Estimate r = estimate_ratio(a, b);
  CHECK(r.n == 4);
  CHECK(r.mean == Approx(0.625));
  CHECK(r.sd == Approx(0.09001028747788693));
  CHECK(r.ci_low == Approx(0.625 - 0.14322645341078782));
  CHECK(r.ci_high == Approx(0.625 + 0.14322645341078782));
  CHECK(r.distinguishable());
  // Pairs with a NaN are dropped; zero total denominator gives a NaN ratio.
  const double nan = std::nan("");
  CHECK(estimate_ratio({1, nan, 3}, {1, 5, nan}).n == 1);
  const Estimate free = estimate_ratio({1, 2}, {0, 0});
  CHECK(free.n == 2);
  CHECK(std::isnan(free.mean));
  CHECK_FALSE(free.distinguishable());
}
