#include "sim/core/sampling.hpp"

#include <algorithm>
#include <bit>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <charconv>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "sim/core/sobol_direction_numbers.hpp"

namespace klynge::sampling {
namespace {

std::string number(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

[[noreturn]] void fail(const std::string& message) {
  throw std::invalid_argument(message);
}

void check_size(std::size_t n, std::size_t d, const char* what) {
  if (n == 0) fail(std::string(what) + ": the number of points must be at least 1");
  if (d == 0) fail(std::string(what) + ": the number of dimensions must be at least 1");
  if (n > std::numeric_limits<std::size_t>::max() / d)
    fail(std::string(what) + ": " + std::to_string(n) + " x " + std::to_string(d) +
         " values do not fit in memory");
}

// Keyed Fisher-Yates shuffle of 0..n-1 (Boost's portable integer distribution).
std::vector<std::size_t> keyed_permutation(std::size_t n, KeyedRng& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    boost::random::uniform_int_distribution<std::size_t> pick(0, i - 1);
    std::swap(order[i - 1], order[pick(rng)]);
  }
  return order;
}

const boost::math::normal_distribution<double> kStandardNormal;

}  // namespace

KeyedRng sampling_rng(std::uint64_t seed, Purpose purpose, std::uint64_t a, std::uint64_t b) {
  return KeyedRng(seed, 0, kSamplingProcess, static_cast<std::uint64_t>(purpose), a, b);
}

// --- Space-filling designs ---------------------------------------------------------------------

Points random_points(std::size_t n, std::size_t d, std::uint64_t seed) {
  check_size(n, d, "random design");
  Points points(n, d);
  for (std::size_t j = 0; j < d; ++j)
    for (std::size_t i = 0; i < n; ++i) {
      KeyedRng rng = sampling_rng(seed, Purpose::random_points, j, i);
      points.at(i, j) = open_uniform(rng);
    }
  return points;
}

Points latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed) {
  check_size(n, d, "Latin hypercube");
  Points points(n, d);
  const double width = 1.0 / static_cast<double>(n);
  for (std::size_t j = 0; j < d; ++j) {
    KeyedRng shuffle = sampling_rng(seed, Purpose::lhs_permutation, j);
    const std::vector<std::size_t> stratum = keyed_permutation(n, shuffle);
    for (std::size_t i = 0; i < n; ++i) {
      KeyedRng jitter = sampling_rng(seed, Purpose::lhs_jitter, j, i);
      const double u = (static_cast<double>(stratum[i]) + open_uniform(jitter)) * width;
      // Rounding can push (k + U) / n onto the next stratum's edge; keep it inside its own.
      const double upper = std::nextafter((static_cast<double>(stratum[i]) + 1.0) * width, 0.0);
      points.at(i, j) = std::min(u, upper);
    }
  }
  return points;
}

SobolSequence::SobolSequence(std::size_t d, Scramble scramble, std::uint64_t seed)
    : d_(d), scramble_(scramble), directions_(d * 32), shifts_(d, 0) {
  if (d == 0) fail("Sobol sequence: the number of dimensions must be at least 1");
  if (d > kSobolMaxDimensions)
    fail("Sobol sequence: " + std::to_string(d) + " dimensions requested, the embedded Joe-Kuo " +
         "table has " + std::to_string(kSobolMaxDimensions));
  for (std::size_t j = 0; j < d; ++j) {
    std::uint32_t* v = &directions_[j * 32];  // v[k] = m_{k+1} 2^(31-k)
    if (j == 0) {
      for (int k = 0; k < 32; ++k) v[k] = std::uint32_t{1} << (31 - k);
    } else {
      const detail::SobolDirectionRow& row = detail::kSobolDirectionRows[j - 1];
      const int s = static_cast<int>(row.degree);
      for (int k = 0; k < 32; ++k) {
        if (k < s) {
          v[k] = row.m[k] << (31 - k);
          continue;
        }
        std::uint32_t value = v[k - s] ^ (v[k - s] >> s);
        for (int l = 1; l < s; ++l)
          if ((row.coefficients >> (s - 1 - l)) & 1u) value ^= v[k - l];
        v[k] = value;
      }
    }
    if (scramble == Scramble::none) continue;
    if (scramble == Scramble::linear_and_shift) {
      // Lower-triangular L (bit 31 = first binary digit) with unit diagonal: output digit r is the
      // parity of the input digits 0..r selected by row r of L. Applied to every direction number,
      // it scrambles every point, as points are XORs of direction numbers.
      KeyedRng rng = sampling_rng(seed, Purpose::sobol_scramble, j, 0);
      std::uint32_t rows[32];
      for (int r = 0; r < 32; ++r) {
        const std::uint32_t above = r == 0 ? 0u : ~std::uint32_t{0} << (32 - r);  // digits < r
        rows[r] =
            (static_cast<std::uint32_t>(rng() >> 32) & above) | (std::uint32_t{1} << (31 - r));
      }
      for (int k = 0; k < 32; ++k) {
        std::uint32_t scrambled = 0;
        for (int r = 0; r < 32; ++r)
          if (std::popcount(rows[r] & v[k]) & 1) scrambled |= std::uint32_t{1} << (31 - r);
        v[k] = scrambled;
      }
    }
    KeyedRng shift = sampling_rng(seed, Purpose::sobol_scramble, j, 1);
    shifts_[j] = shift() >> 11;
  }
}

std::uint32_t SobolSequence::integer(std::uint64_t index, std::size_t dim) const {
  std::uint64_t gray = index ^ (index >> 1);
  const std::uint32_t* v = &directions_[dim * 32];
  std::uint32_t x = 0;
  for (int k = 0; gray != 0; ++k, gray >>= 1)
    if (gray & 1u) x ^= v[k];
  return x;
}

double SobolSequence::coordinate(std::uint64_t index, std::size_t dim) const {
  const std::uint32_t x = integer(index, dim);
  if (scramble_ == Scramble::none) return static_cast<double>(x) * 0x1.0p-32;
  const std::uint64_t shifted = (static_cast<std::uint64_t>(x) << 21) ^ shifts_[dim];
  return (static_cast<double>(shifted) + 0.5) * 0x1.0p-53;
}

Points sobol_points(std::size_t n, std::size_t d, std::uint64_t seed, SobolOptions options) {
  check_size(n, d, "Sobol design");
  const std::uint64_t skip =
      options.skip != kDefaultSkip ? options.skip : (options.scramble == Scramble::none ? 1 : 0);
  if (skip > kSobolMaxPoints || n > kSobolMaxPoints - skip)
    fail("Sobol design: points " + std::to_string(skip) + " to " + std::to_string(skip) + " + " +
         std::to_string(n) + " exceed the 2^32 points of the 32-bit sequence");
  const SobolSequence sequence(d, options.scramble, seed);
  Points points(n, d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) points.at(i, j) = sequence.coordinate(skip + i, j);
  return points;
}

Points design(Method method, std::size_t n, std::size_t d, std::uint64_t seed) {
  switch (method) {
    case Method::random:
      return random_points(n, d, seed);
    case Method::latin_hypercube:
      return latin_hypercube(n, d, seed);
    case Method::sobol:
      return sobol_points(n, d, seed);
  }
  fail("unknown sampling method");
}

const char* method_name(Method method) {
  switch (method) {
    case Method::random:
      return "random";
    case Method::latin_hypercube:
      return "lhs";
    case Method::sobol:
      return "sobol";
  }
  return "?";
}

// --- Designs for global sensitivity ------------------------------------------------------------

Points saltelli_design(std::size_t n, std::size_t d, std::uint64_t seed, Method base_method) {
  check_size(n, d, "Saltelli design");
  if (base_method == Method::sobol && 2 * d > kSobolMaxDimensions)
    fail("Saltelli design: " + std::to_string(d) + " inputs need a " + std::to_string(2 * d) +
         "-dimensional Sobol base, at most " + std::to_string(kSobolMaxDimensions) +
         " are embedded (use a random or lhs base)");
  const Points base = design(base_method, n, 2 * d, seed);
  const std::size_t per_point = saltelli_rows_per_point(d);
  Points points(n * per_point, d);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t first = k * per_point;
    for (std::size_t j = 0; j < d; ++j) {
      const double a = base.at(k, j), b = base.at(k, d + j);
      points.at(first, j) = a;
      for (std::size_t i = 0; i < d; ++i) points.at(first + 1 + i, j) = (i == j) ? b : a;
      points.at(first + d + 1, j) = b;
    }
  }
  return points;
}

namespace {
void check_levels(int levels) {
  if (levels < 2 || levels % 2 != 0)
    fail(
        "Morris design: levels must be an even number >= 2 (the step Delta = p / (2(p - 1)) "
        "must land on the grid), got " +
        std::to_string(levels));
}
}  // namespace

double morris_delta(int levels) {
  check_levels(levels);
  return static_cast<double>(levels) / (2.0 * (levels - 1));
}

Points morris_design(std::size_t trajectories, std::size_t d, std::uint64_t seed, int levels) {
  check_levels(levels);
  if (trajectories == 0) fail("Morris design: the number of trajectories must be at least 1");
  check_size(trajectories * (d + 1), d, "Morris design");
  const int half = levels / 2;
  const double spacing = 1.0 / (levels - 1);
  Points points(trajectories * (d + 1), d);
  for (std::size_t t = 0; t < trajectories; ++t) {
    KeyedRng rng = sampling_rng(seed, Purpose::morris_start, t);
    boost::random::uniform_int_distribution<int> pick_level(0, levels - 1);
    std::vector<int> level(d);
    for (int& l : level) l = pick_level(rng);
    const std::vector<std::size_t> order = keyed_permutation(d, rng);
    const std::size_t first = t * (d + 1);
    for (std::size_t j = 0; j < d; ++j) points.at(first, j) = level[j] * spacing;
    for (std::size_t step = 0; step < d; ++step) {
      const std::size_t factor = order[step];
      level[factor] += level[factor] < half ? half : -half;
      for (std::size_t j = 0; j < d; ++j) points.at(first + step + 1, j) = level[j] * spacing;
    }
  }
  return points;
}

double morris_grid_probability(double x, int levels) {
  check_levels(levels);
  const double scaled = x * (levels - 1);
  const double level = std::round(scaled);
  if (!(x >= 0.0 && x <= 1.0) || std::fabs(scaled - level) > 1e-9)
    fail("Morris grid value " + number(x) + " is not one of the " + std::to_string(levels) +
         " levels l / " + std::to_string(levels - 1));
  return (level + 0.5) / levels;
}

// --- Distributions ------------------------------------------------------------------------------

namespace {
void require_finite(const char* name, const char* what, double value) {
  if (!std::isfinite(value))
    fail(std::string(name) + ": " + what + " must be a finite number, got " + number(value));
}
void require_below(const char* name, const char* lo_name, double lo, const char* hi_name,
                   double hi) {
  if (!(lo < hi))
    fail(std::string(name) + ": " + lo_name + " (" + number(lo) + ") must be below " + hi_name +
         " (" + number(hi) + ")");
}
}  // namespace

Distribution Distribution::uniform(double lo, double hi) {
  require_finite("uniform", "lo", lo);
  require_finite("uniform", "hi", hi);
  require_below("uniform", "lo", lo, "hi", hi);
  return Distribution(Kind::uniform, {lo, hi});
}

Distribution Distribution::triangular(double lo, double mode, double hi) {
  require_finite("triangular", "lo", lo);
  require_finite("triangular", "mode", mode);
  require_finite("triangular", "hi", hi);
  require_below("triangular", "lo", lo, "hi", hi);
  if (mode < lo || mode > hi)
    fail("triangular: mode (" + number(mode) + ") must lie in [lo, hi] = [" + number(lo) + ", " +
         number(hi) + "]");
  return Distribution(Kind::triangular, {lo, mode, hi});
}

Distribution Distribution::normal(double mean, double sd, double lo, double hi) {
  require_finite("normal", "mean", mean);
  require_finite("normal", "sd", sd);
  if (!(sd > 0)) fail("normal: sd must be > 0, got " + number(sd));
  if (std::isnan(lo) || std::isnan(hi)) fail("normal: lo and hi must be numbers (or infinite)");
  require_below("normal", "lo", lo, "hi", hi);
  // The truncation interval must hold mass in double precision: the quantile works with the
  // tail on the interval's side of the mean (see quantile), so check that one.
  const double alpha = (lo - mean) / sd, beta = (hi - mean) / sd;
  using boost::math::cdf;
  using boost::math::complement;
  const double mass =
      alpha > 0 ? cdf(complement(kStandardNormal, alpha)) - cdf(complement(kStandardNormal, beta))
                : cdf(kStandardNormal, beta) - cdf(kStandardNormal, alpha);
  if (!(mass > 0))
    fail("normal: the truncation interval [" + number(lo) + ", " + number(hi) + "] holds no " +
         "probability for mean " + number(mean) + " and sd " + number(sd));
  return Distribution(Kind::normal, {mean, sd, lo, hi});
}

Distribution Distribution::lognormal(double mu, double sigma) {
  require_finite("lognormal", "mu", mu);
  require_finite("lognormal", "sigma", sigma);
  if (!(sigma > 0)) fail("lognormal: sigma must be > 0, got " + number(sigma));
  return Distribution(Kind::lognormal, {mu, sigma});
}

Distribution Distribution::beta(double a, double b, double lo, double hi) {
  require_finite("beta", "a", a);
  require_finite("beta", "b", b);
  if (!(a > 0)) fail("beta: shape a must be > 0, got " + number(a));
  if (!(b > 0)) fail("beta: shape b must be > 0, got " + number(b));
  require_finite("beta", "lo", lo);
  require_finite("beta", "hi", hi);
  require_below("beta", "lo", lo, "hi", hi);
  return Distribution(Kind::beta, {a, b, lo, hi});
}

Distribution Distribution::discrete(std::vector<double> values) {
  if (values.empty()) fail("discrete: the list of values is empty");
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i]))
      fail("discrete: value " + std::to_string(i + 1) + " must be a finite number, got " +
           number(values[i]));
  return Distribution(Kind::discrete, std::move(values));
}

double Distribution::quantile(double u) const {
  if (!(u > 0.0 && u < 1.0))
    fail(std::string(name()) + " quantile: u must lie in (0, 1), got " + number(u));
  const std::vector<double>& p = parameters_;
  switch (kind_) {
    case Kind::uniform:
      return p[0] + u * (p[1] - p[0]);
    case Kind::triangular: {
      const double lo = p[0], mode = p[1], hi = p[2];
      const double width = hi - lo;
      if (u * width < mode - lo) return lo + std::sqrt(u * width * (mode - lo));
      return hi - std::sqrt((1.0 - u) * width * (hi - mode));
    }
    case Kind::normal: {
      const double mean = p[0], sd = p[1], lo = p[2], hi = p[3];
      const double alpha = (lo - mean) / sd, beta = (hi - mean) / sd;
      using boost::math::cdf;
      using boost::math::complement;
      double z;
      if (alpha > 0) {
        // Wholly above the mean: interpolate upper-tail probabilities, which keep their precision
        // far out where the CDF rounds to 1.
        const double qa = cdf(complement(kStandardNormal, alpha));
        const double qb = cdf(complement(kStandardNormal, beta));
        const double q = qa - u * (qa - qb);
        if (!(q > 0)) return hi;
        if (!(q < 1)) return lo;
        z = boost::math::quantile(complement(kStandardNormal, q));
      } else {
        const double pa = cdf(kStandardNormal, alpha), pb = cdf(kStandardNormal, beta);
        const double q = pa + u * (pb - pa);
        if (!(q > 0)) return lo;
        if (!(q < 1)) return hi;
        z = boost::math::quantile(kStandardNormal, q);
      }
      return std::clamp(mean + sd * z, lo, hi);
    }
    case Kind::lognormal:
      return std::exp(p[0] + p[1] * boost::math::quantile(kStandardNormal, u));
    case Kind::beta:
      return p[2] + (p[3] - p[2]) * boost::math::ibeta_inv(p[0], p[1], u);
    case Kind::discrete: {
      const auto k = static_cast<std::size_t>(u * static_cast<double>(p.size()));
      return p[std::min(k, p.size() - 1)];
    }
  }
  return std::numeric_limits<double>::quiet_NaN();
}

const char* Distribution::name() const {
  switch (kind_) {
    case Kind::uniform:
      return "uniform";
    case Kind::triangular:
      return "triangular";
    case Kind::normal:
      return "normal";
    case Kind::lognormal:
      return "lognormal";
    case Kind::beta:
      return "beta";
    case Kind::discrete:
      return "discrete";
  }
  return "?";
}

std::string Distribution::describe() const {
  static const char* const uniform_names[] = {"lo", "hi"};
  static const char* const triangular_names[] = {"lo", "mode", "hi"};
  static const char* const normal_names[] = {"mean", "sd", "lo", "hi"};
  static const char* const lognormal_names[] = {"mu", "sigma"};
  static const char* const beta_names[] = {"a", "b", "lo", "hi"};
  const char* const* names = nullptr;
  switch (kind_) {
    case Kind::uniform:
      names = uniform_names;
      break;
    case Kind::triangular:
      names = triangular_names;
      break;
    case Kind::normal:
      names = normal_names;
      break;
    case Kind::lognormal:
      names = lognormal_names;
      break;
    case Kind::beta:
      names = beta_names;
      break;
    case Kind::discrete:
      break;
  }
  std::string text = std::string(name()) + (names ? "(" : "([");
  for (std::size_t i = 0; i < parameters_.size(); ++i) {
    if (i) text += ", ";
    if (names) text += std::string(names[i]) + "=";
    text += number(parameters_[i]);
  }
  return text + (names ? ")" : "])");
}

}  // namespace klynge::sampling
