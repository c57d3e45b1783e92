#pragma once
// Designs of experiments over parameter space and the distributions that map them to parameter
// values (docs/sensitivity.md). A design is n points in the open unit cube (0,1)^d (Morris: on a
// grid in [0,1]^d); a Distribution turns a coordinate u into a parameter value by its inverse CDF.
//
// Every random choice is keyed by (seed, purpose, dimension, row) through KeyedRng, so a design is
// a pure function of its arguments: no draw depends on threads, on call order or on other designs.
// A random or Latin hypercube row does not even depend on n (random) or on other dimensions.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/processes.hpp"
#include "sim/core/random.hpp"

namespace klynge::sampling {

// The key of every sampling draw: a process number of its own (processes.hpp).
inline constexpr Process kSamplingProcess = Process::parameter_sampling;

// What a keyed stream is for (the `step` slot of its key); never renumber.
enum class Purpose : std::uint64_t {
  random_points = 1,          // (dimension, row)
  lhs_permutation = 2,        // (dimension, 0)
  lhs_jitter = 3,             // (dimension, row)
  sobol_scramble = 4,         // (dimension, 0): linear scramble matrix and digital shift
  morris_start = 5,           // (trajectory, 0): starting levels and factor order
  sobol_index_bootstrap = 6,  // (resample, 0): analysis::sensitivity bootstrap
  morris_bootstrap = 7,       // (resample, 0): analysis/sensitivity_results.cpp, mu* intervals
};

KeyedRng sampling_rng(std::uint64_t seed, Purpose purpose, std::uint64_t a, std::uint64_t b = 0);

// A uniform in the open interval (0,1): (k + 1/2) 2^-53 for a 53-bit k, never 0 or 1, so every
// inverse CDF stays finite.
inline double open_uniform(KeyedRng& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
}

// n points in d dimensions, row-major.
struct Points {
  std::size_t n = 0;
  std::size_t d = 0;
  std::vector<double> values;  // n * d, row i at [i * d, (i + 1) * d)

  Points() = default;
  Points(std::size_t rows, std::size_t dims) : n(rows), d(dims), values(rows * dims, 0.0) {}
  double& at(std::size_t row, std::size_t dim) { return values[row * d + dim]; }
  double at(std::size_t row, std::size_t dim) const { return values[row * d + dim]; }
  std::span<const double> row(std::size_t i) const { return {values.data() + i * d, d}; }
};

// --- Space-filling designs in (0,1)^d ----------------------------------------------------------

// Independent keyed uniforms: u[i][j] = open_uniform(rng(seed, random_points, j, i)).
Points random_points(std::size_t n, std::size_t d, std::uint64_t seed);

// Latin hypercube: in every dimension each of the n strata [k/n, (k+1)/n) holds exactly one point.
// u[i][j] = (pi_j(i) + U_ij) / n with pi_j a keyed random permutation (Fisher-Yates) and U_ij a
// keyed jitter in (0,1).
Points latin_hypercube(std::size_t n, std::size_t d, std::uint64_t seed);

// Sobol' low-discrepancy sequence (Joe-Kuo new-joe-kuo-6.21201 direction numbers, Gray-code order,
// 32-bit resolution: at most 2^32 points, kSobolMaxDimensions dimensions).
//  - none: the classic sequence, point 0 at the origin, coordinates k 2^-32.
//  - digital_shift: every coordinate XOR-ed with a keyed random 53-bit shift (per dimension).
//  - linear_and_shift (default): Matousek's random linear matrix scramble (a keyed lower-triangular
//    binary matrix with unit diagonal applied to every direction number) then the digital shift,
//    the Owen-style scramble scipy.stats.qmc.Sobol uses. Scrambled points keep the (t,m,s)-net
//    property, are uniform on the cube individually (unbiased estimates) and land in (0,1):
//    a half cell (2^-54) is added to the 53-bit value.
enum class Scramble { none, digital_shift, linear_and_shift };
inline constexpr std::size_t kSobolMaxDimensions = 256;
inline constexpr std::uint64_t kSobolMaxPoints = std::uint64_t{1} << 32;

class SobolSequence {
 public:
  SobolSequence(std::size_t d, Scramble scramble, std::uint64_t seed);
  std::size_t dimensions() const { return d_; }
  // The 32-bit coordinate of point `index` (Gray-code order) before the digital shift.
  std::uint32_t integer(std::uint64_t index, std::size_t dim) const;
  // The coordinate in [0,1): exactly integer * 2^-32 when unscrambled, in (0,1) when scrambled.
  double coordinate(std::uint64_t index, std::size_t dim) const;

 private:
  std::size_t d_;
  Scramble scramble_;
  std::vector<std::uint32_t> directions_;  // d * 32, direction number k of dim j at [j * 32 + k]
  std::vector<std::uint64_t> shifts_;      // d 53-bit digital shifts (0 when unscrambled)
};

// n consecutive Sobol' points starting at index `skip`. The default skip is 1 for the unscrambled
// sequence (its point 0 is the origin, which an unbounded inverse CDF maps to -infinity) and 0 for
// scrambled ones (dropping a scrambled point spoils the balance of every 2^m block; Owen 2020,
// "On dropping the first Sobol' point"). Use a power of two for n: the sequence is balanced in
// blocks of 2^m points.
inline constexpr std::uint64_t kDefaultSkip = std::numeric_limits<std::uint64_t>::max();
struct SobolOptions {
  Scramble scramble = Scramble::linear_and_shift;
  std::uint64_t skip = kDefaultSkip;  // kDefaultSkip: 1 when unscrambled, else 0
};
Points sobol_points(std::size_t n, std::size_t d, std::uint64_t seed, SobolOptions options = {});

enum class Method { random, latin_hypercube, sobol };
// One of the three above (sobol with the default options).
Points design(Method method, std::size_t n, std::size_t d, std::uint64_t seed);
const char* method_name(Method method);

// --- Designs for global sensitivity ------------------------------------------------------------

// Saltelli's design for Sobol' indices: a base design of n points in 2d dimensions split into
// A (columns 0..d-1) and B (columns d..2d-1); A_B^(i) is A with column i taken from B. Rows are
// grouped per base point k: row k(d+2) is A_k, row k(d+2)+1+i is A_B^(i)_k (i = 0..d-1) and row
// k(d+2)+d+1 is B_k; n (d + 2) rows in all. The base is a scrambled Sobol' sequence by default
// (2d <= kSobolMaxDimensions).
inline constexpr std::size_t saltelli_rows_per_point(std::size_t d) {
  return d + 2;
}
Points saltelli_design(std::size_t n, std::size_t d, std::uint64_t seed,
                       Method base = Method::sobol);

// Morris's elementary-effects design: r trajectories of d + 1 points each (rows t(d+1)..t(d+1)+d)
// on the p-level grid {0, 1/(p-1), ..., 1}, p even. A trajectory starts at keyed uniform levels and
// moves one factor at a time, in a keyed random order, by Delta = p / (2(p-1)): up from a level
// below p/2, down from one at or above it (so both directions are equally likely and every point
// stays on the grid). Morris (1991).
double morris_delta(int levels);
Points morris_design(std::size_t trajectories, std::size_t d, std::uint64_t seed, int levels = 4);
// The probability at which a Morris grid value x = l/(p-1) is fed to an inverse CDF: (l + 1/2)/p,
// the centre of the l-th of p equiprobable strata, so unbounded distributions stay finite. Every
// input's step shrinks by the same factor (p-1)/p, so Morris rankings are unchanged.
double morris_grid_probability(double x, int levels);

// --- Distributions ------------------------------------------------------------------------------

// A parameter's distribution, mapping u in (0,1) to a value by its inverse CDF. The factories
// validate their arguments and throw std::invalid_argument naming the problem.
class Distribution {
 public:
  enum class Kind { uniform, triangular, normal, lognormal, beta, discrete };

  // Uniform on [lo, hi], lo < hi.
  static Distribution uniform(double lo, double hi);
  // Triangular on [lo, hi] with peak at mode, lo <= mode <= hi, lo < hi.
  static Distribution triangular(double lo, double mode, double hi);
  // Normal(mean, sd) truncated to [lo, hi] (infinite bounds allowed; the interval must hold
  // probability mass).
  static Distribution normal(double mean, double sd,
                             double lo = -std::numeric_limits<double>::infinity(),
                             double hi = std::numeric_limits<double>::infinity());
  // Lognormal: log X ~ Normal(mu, sigma^2), so the median is exp(mu) and the mean
  // exp(mu + sigma^2 / 2).
  static Distribution lognormal(double mu, double sigma);
  // Beta(a, b) rescaled to [lo, hi]: X = lo + (hi - lo) Y, Y ~ Beta(a, b); a, b > 0.
  static Distribution beta(double a, double b, double lo = 0.0, double hi = 1.0);
  // One of the listed values, each with probability 1/k: value floor(u k) (0-based).
  static Distribution discrete(std::vector<double> values);

  // The u-quantile, 0 < u < 1 (std::invalid_argument otherwise).
  double quantile(double u) const;
  Kind kind() const { return kind_; }
  const char* name() const;
  // The parameters in factory order (discrete: the values), for storing alongside results.
  const std::vector<double>& parameters() const { return parameters_; }
  // e.g. "normal(mean=0.25, sd=0.05, lo=0, hi=1)".
  std::string describe() const;

 private:
  Distribution(Kind kind, std::vector<double> parameters)
      : kind_(kind), parameters_(std::move(parameters)) {}
  Kind kind_;
  std::vector<double> parameters_;
};

}  // namespace klynge::sampling
