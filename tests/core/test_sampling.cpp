// Sampling designs and distributions (sim/core/sampling.hpp, docs/sensitivity.md).
// Reference values: unscrambled Sobol' points and quantiles from scipy 1.10 (scipy.stats.qmc.Sobol
// with scramble=False, which uses the same Joe-Kuo table; norm, lognorm, beta, truncnorm, triang
// .ppf), or exact by hand where the comment says so.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <set>
#include <stdexcept>
#include <vector>

#include "sim/core/sampling.hpp"

using namespace klynge::sampling;
using Catch::Matchers::Contains;

namespace {

bool in_open_unit(double u) {
  return u > 0.0 && u < 1.0;
}

// Hickernell's centred L2 discrepancy squared (smaller = more uniform), O(n^2 d).
double centred_discrepancy(const Points& p) {
  const auto n = static_cast<double>(p.n);
  double single = 0.0, pairs = 0.0;
  for (std::size_t i = 0; i < p.n; ++i) {
    double term = 1.0;
    for (std::size_t j = 0; j < p.d; ++j) {
      const double z = std::fabs(p.at(i, j) - 0.5);
      term *= 1.0 + 0.5 * z - 0.5 * z * z;
    }
    single += term;
    for (std::size_t k = 0; k < p.n; ++k) {
      double product = 1.0;
      for (std::size_t j = 0; j < p.d; ++j)
        product *= 1.0 + 0.5 * std::fabs(p.at(i, j) - 0.5) + 0.5 * std::fabs(p.at(k, j) - 0.5) -
                   0.5 * std::fabs(p.at(i, j) - p.at(k, j));
      pairs += product;
    }
  }
  return std::pow(13.0 / 12.0, static_cast<double>(p.d)) - 2.0 / n * single + pairs / (n * n);
}

}  // namespace

TEST_CASE("sampling: Latin hypercube puts one point in every stratum of every dimension",
          "[sampling]") {
  for (std::uint64_t seed : {1ull, 2ull, 0xDEADBEEFull}) {
    for (std::size_t n : {1ul, 7ul, 100ul}) {
      const Points p = latin_hypercube(n, 5, seed);
      REQUIRE(p.n == n);
      REQUIRE(p.d == 5);
      for (std::size_t j = 0; j < p.d; ++j) {
        std::set<std::size_t> strata;
        for (std::size_t i = 0; i < n; ++i) {
          REQUIRE(in_open_unit(p.at(i, j)));
          strata.insert(static_cast<std::size_t>(p.at(i, j) * static_cast<double>(n)));
        }
        CHECK(strata.size() == n);  // n distinct strata among 0..n-1: one point each
        CHECK(*strata.rbegin() == n - 1);
      }
    }
  }
}

TEST_CASE("sampling: unscrambled Sobol points match the Joe-Kuo sequence", "[sampling]") {
  const SobolSequence sobol(3, Scramble::none, 0);
  // The first eight points in Gray-code order (Joe-Kuo, scipy).
  const double expected[8][3] = {{0, 0, 0},
                                 {0.5, 0.5, 0.5},
                                 {0.75, 0.25, 0.25},
                                 {0.25, 0.75, 0.75},
                                 {0.375, 0.375, 0.625},
                                 {0.875, 0.875, 0.125},
                                 {0.625, 0.125, 0.875},
                                 {0.125, 0.625, 0.375}};
  for (std::uint64_t i = 0; i < 8; ++i)
    for (std::size_t j = 0; j < 3; ++j) CHECK(sobol.coordinate(i, j) == expected[i][j]);

  // Far into the sequence and up the table (dimensions 1, 2, 3, 21, 100, 256 at points 1000 and
  // 1024), against scipy's unscrambled sequence.
  const SobolSequence wide(256, Scramble::none, 0);
  const std::size_t dims[] = {0, 1, 2, 20, 99, 255};
  const double at_1000[] = {0.2197265625, 0.0966796875, 0.5185546875,
                            0.5224609375, 0.1865234375, 0.2490234375};
  const double at_1024[] = {0.00146484375, 0.37646484375, 0.44775390625,
                            0.52490234375, 0.35791015625, 0.67626953125};
  for (std::size_t k = 0; k < 6; ++k) {
    CHECK(wide.coordinate(1000, dims[k]) == at_1000[k]);
    CHECK(wide.coordinate(1024, dims[k]) == at_1024[k]);
  }

  // The design skips the origin when unscrambled: its first row is point 1.
  const Points p = sobol_points(4, 3, 0, {.scramble = Scramble::none});
  for (std::size_t j = 0; j < 3; ++j) {
    CHECK(p.at(0, j) == 0.5);
    CHECK(p.at(3, j) == expected[4][j]);
  }
  const Points with_origin = sobol_points(4, 3, 0, {.scramble = Scramble::none, .skip = 0});
  CHECK(with_origin.at(0, 0) == 0.0);
}

TEST_CASE("sampling: scrambled Sobol points keep the balance of every dyadic block", "[sampling]") {
  // A (t,m,s)-net in base 2 has exactly one point per interval [k/n, (k+1)/n) in every dimension
  // for the first n = 2^m points; the linear scramble and the digital shift must preserve it.
  for (Scramble scramble : {Scramble::none, Scramble::digital_shift, Scramble::linear_and_shift}) {
    const std::size_t n = 1024;
    const Points p = sobol_points(n, 21, 7, {.scramble = scramble, .skip = 0});
    for (std::size_t j = 0; j < p.d; ++j) {
      std::set<std::size_t> cells;
      for (std::size_t i = 0; i < n; ++i)
        cells.insert(static_cast<std::size_t>(p.at(i, j) * static_cast<double>(n)));
      CHECK(cells.size() == n);
    }
    if (scramble != Scramble::none)
      for (double u : p.values) REQUIRE(in_open_unit(u));
  }
  // 2-D projections of the first 1024 points: every 32 x 32 grid cell of dimensions 1 and 2 holds
  // one point (a (0,2)-sequence in base 2).
  const Points p = sobol_points(1024, 2, 11, {.skip = 0});
  std::set<std::size_t> cells;
  for (std::size_t i = 0; i < p.n; ++i)
    cells.insert(static_cast<std::size_t>(p.at(i, 0) * 32) * 32 +
                 static_cast<std::size_t>(p.at(i, 1) * 32));
  CHECK(cells.size() == 1024);
}

TEST_CASE("sampling: Sobol points are more uniform than random and Latin hypercube points",
          "[sampling]") {
  // The formula against scipy.stats.qmc.discrepancy (method "CD") of the first 8 unscrambled
  // points in 3 dimensions.
  Points first8(8, 3);
  const SobolSequence sobol(3, Scramble::none, 0);
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t j = 0; j < 3; ++j) first8.at(i, j) = sobol.coordinate(i, j);
  CHECK(centred_discrepancy(first8) == Approx(0.030596397541187148).epsilon(1e-12));

  double sobol_sum = 0, lhs_sum = 0, random_sum = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const double s = centred_discrepancy(sobol_points(256, 5, seed));
    const double l = centred_discrepancy(latin_hypercube(256, 5, seed));
    const double r = centred_discrepancy(random_points(256, 5, seed));
    CHECK(s < r);
    sobol_sum += s, lhs_sum += l, random_sum += r;
  }
  CHECK(sobol_sum < 0.5 * lhs_sum);
  CHECK(lhs_sum < random_sum);
}

TEST_CASE("sampling: designs are a pure function of the seed", "[sampling]") {
  for (Method method : {Method::random, Method::latin_hypercube, Method::sobol}) {
    INFO(method_name(method));
    const Points a = design(method, 64, 4, 42), b = design(method, 64, 4, 42);
    const Points c = design(method, 64, 4, 43);
    CHECK(a.values == b.values);
    std::size_t same = 0;
    for (std::size_t k = 0; k < a.values.size(); ++k) same += a.values[k] == c.values[k];
    CHECK(same == 0);
  }
  CHECK(saltelli_design(32, 3, 5).values == saltelli_design(32, 3, 5).values);
  CHECK(saltelli_design(32, 3, 5).values != saltelli_design(32, 3, 6).values);
  CHECK(morris_design(10, 4, 5).values == morris_design(10, 4, 5).values);
  CHECK(morris_design(10, 4, 5).values != morris_design(10, 4, 6).values);
  // A random row is keyed by its row number: a longer design extends a shorter one.
  const Points short_design = random_points(10, 3, 9), long_design = random_points(20, 3, 9);
  for (std::size_t k = 0; k < short_design.values.size(); ++k)
    CHECK(short_design.values[k] == long_design.values[k]);
}

TEST_CASE("sampling: the Saltelli design holds A, the A_B matrices and B", "[sampling]") {
  const std::size_t n = 16, d = 3;
  const Points p = saltelli_design(n, d, 3);
  REQUIRE(p.n == n * (d + 2));
  const Points base = sobol_points(n, 2 * d, 3);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t first = k * (d + 2);
    for (std::size_t j = 0; j < d; ++j) {
      CHECK(p.at(first, j) == base.at(k, j));              // A
      CHECK(p.at(first + d + 1, j) == base.at(k, d + j));  // B
      for (std::size_t i = 0; i < d; ++i)                  // A_B^(i): column i from B
        CHECK(p.at(first + 1 + i, j) == (i == j ? base.at(k, d + j) : base.at(k, j)));
    }
  }
  REQUIRE_THROWS_WITH(saltelli_design(8, 129, 1), Contains("129 inputs"));
  CHECK(saltelli_design(8, 129, 1, Method::latin_hypercube).n == 8 * 131);
}

TEST_CASE("sampling: Morris trajectories move one factor at a time by Delta on the grid",
          "[sampling]") {
  for (int levels : {2, 4, 6}) {
    const double delta = morris_delta(levels);
    CHECK(delta == Approx(levels / (2.0 * (levels - 1))));
    const std::size_t d = 5, r = 40;
    const Points p = morris_design(r, d, 17, levels);
    REQUIRE(p.n == r * (d + 1));
    std::vector<std::size_t> ups(d, 0), downs(d, 0);
    for (std::size_t t = 0; t < r; ++t) {
      std::set<std::size_t> moved;
      for (std::size_t step = 0; step < d; ++step) {
        const std::size_t row = t * (d + 1) + step;
        std::size_t changes = 0;
        for (std::size_t j = 0; j < d; ++j) {
          const double x = p.at(row + 1, j);
          CHECK(std::fabs(x * (levels - 1) - std::round(x * (levels - 1))) < 1e-12);
          const double change = x - p.at(row, j);
          if (change == 0) continue;
          ++changes;
          moved.insert(j);
          CHECK(std::fabs(change) == Approx(delta));
          (change > 0 ? ups : downs)[j] += 1;
        }
        CHECK(changes == 1);
      }
      CHECK(moved.size() == d);  // every factor moves once per trajectory
    }
    for (std::size_t j = 0; j < d; ++j) {  // both directions occur
      CHECK(ups[j] > 0);
      CHECK(downs[j] > 0);
    }
  }
  CHECK(morris_grid_probability(0.0, 4) == 0.125);
  CHECK(morris_grid_probability(1.0 / 3.0, 4) == 0.375);
  CHECK(morris_grid_probability(1.0, 4) == 0.875);
  REQUIRE_THROWS_WITH(morris_design(4, 3, 1, 5), Contains("even"));
  REQUIRE_THROWS_WITH(morris_grid_probability(0.5, 4), Contains("not one of the 4 levels"));
}

TEST_CASE("sampling: distribution quantiles match known values", "[sampling]") {
  CHECK(Distribution::uniform(2, 6).quantile(0.25) == 3.0);
  // Triangular(0, 1, 4): below the mode sqrt(u * 4 * 1), above 4 - sqrt((1 - u) * 4 * 3).
  const Distribution tri = Distribution::triangular(0, 1, 4);
  CHECK(tri.quantile(0.2) == Approx(0.8944271909999159).epsilon(1e-14));
  CHECK(tri.quantile(0.8) == Approx(2.450806661517033).epsilon(1e-14));
  CHECK(tri.quantile(0.25) == Approx(1.0).epsilon(1e-14));  // the mode
  const Distribution normal = Distribution::normal(0, 1);
  CHECK(normal.quantile(0.975) == Approx(1.959963984540054).epsilon(1e-14));
  CHECK(normal.quantile(0.5) == Approx(0.0).margin(1e-15));
  // Half-normal: truncnorm(0, inf).ppf(0.5) = Phi^-1(0.75).
  CHECK(Distribution::normal(0, 1, 0).quantile(0.5) == Approx(0.6744897501960817).epsilon(1e-13));
  // Truncated and shifted: truncnorm(-1, 2, loc=10, scale=2).ppf(0.3).
  CHECK(Distribution::normal(10, 2, 8, 14).quantile(0.3) ==
        Approx(9.515192364221546).epsilon(1e-13));
  // Deep upper tail, where the CDF rounds to 1: truncnorm(8, 9).ppf(0.3).
  CHECK(Distribution::normal(0, 1, 8, 9).quantile(0.3) == Approx(8.043792130390242).epsilon(1e-12));
  // Lognormal(mu, sigma): exp(mu + sigma z_u).
  CHECK(Distribution::lognormal(0, 1).quantile(0.975) == Approx(7.099071384231335).epsilon(1e-13));
  CHECK(Distribution::lognormal(1, 0.5).quantile(0.1) == Approx(1.432217893498685).epsilon(1e-13));
  CHECK(Distribution::lognormal(2, 0.3).quantile(0.5) == Approx(std::exp(2.0)).epsilon(1e-14));
  // Beta: Beta(2, 2) has CDF 3x^2 - 2x^3, so u = 0.15625 at x = 0.25 (exact); Beta(0.5, 0.5) is the
  // arcsine law, x = sin^2(pi u / 2).
  CHECK(Distribution::beta(2, 2).quantile(0.15625) == Approx(0.25).epsilon(1e-13));
  CHECK(Distribution::beta(0.5, 0.5).quantile(0.3) ==
        Approx(std::pow(std::sin(std::numbers::pi * 0.3 / 2), 2)).epsilon(1e-13));
  CHECK(Distribution::beta(2, 5).quantile(0.3) == Approx(0.18180347131894917).epsilon(1e-13));
  CHECK(Distribution::beta(0.5, 2, 2, 5).quantile(0.9) == Approx(3.595632300420742).epsilon(1e-13));
  const Distribution list = Distribution::discrete({10, 20, 40});
  CHECK(list.quantile(0.01) == 10);
  CHECK(list.quantile(0.34) == 20);
  CHECK(list.quantile(0.999) == 40);

  // Monotone and inside the support over a fine grid.
  const Distribution all[] = {tri, Distribution::normal(0.25, 0.1, 0, 1),
                              Distribution::beta(0.7, 3, -1, 1)};
  for (const Distribution& dist : all) {
    double previous = -INFINITY;
    for (int k = 1; k < 1000; ++k) {
      const double x = dist.quantile(k / 1000.0);
      CHECK(x >= previous);
      previous = x;
    }
  }
  CHECK(Distribution::normal(0.25, 0.1, 0, 1).describe() ==
        "normal(mean=0.25, sd=0.1, lo=0, hi=1)");
  CHECK(list.describe() == "discrete([10, 20, 40])");
}

TEST_CASE("sampling: impossible distribution parameters are refused with the reason",
          "[sampling]") {
  REQUIRE_THROWS_WITH(Distribution::uniform(3, 1), Contains("lo (3) must be below hi (1)"));
  REQUIRE_THROWS_WITH(Distribution::triangular(0, 5, 4), Contains("mode (5) must lie in [lo, hi]"));
  REQUIRE_THROWS_WITH(Distribution::normal(0, -1), Contains("sd must be > 0"));
  REQUIRE_THROWS_WITH(Distribution::normal(0, 1, 2, 1), Contains("lo (2) must be below hi (1)"));
  REQUIRE_THROWS_WITH(Distribution::normal(0, 1, 50, 60), Contains("holds no probability"));
  REQUIRE_THROWS_WITH(Distribution::lognormal(0, 0), Contains("sigma must be > 0"));
  REQUIRE_THROWS_WITH(Distribution::beta(0, 1), Contains("shape a must be > 0"));
  REQUIRE_THROWS_WITH(Distribution::beta(1, 1, 1, 1), Contains("lo (1) must be below hi (1)"));
  REQUIRE_THROWS_WITH(Distribution::discrete({}), Contains("empty"));
  REQUIRE_THROWS_WITH(Distribution::discrete({1, NAN}), Contains("value 2 must be a finite"));
  REQUIRE_THROWS_WITH(Distribution::uniform(0, INFINITY), Contains("hi must be a finite"));
  REQUIRE_THROWS_WITH(Distribution::uniform(0, 1).quantile(1.0), Contains("u must lie in (0, 1)"));
  REQUIRE_THROWS_WITH(SobolSequence(257, Scramble::none, 0), Contains("257 dimensions"));
  REQUIRE_THROWS_WITH(latin_hypercube(0, 2, 1), Contains("at least 1"));
}
