#pragma once
// The embedded Joe-Kuo direction-number table behind sampling::SobolSequence (internal).
#include <cstddef>
#include <cstdint>

namespace klynge::sampling::detail {

struct SobolDirectionRow {
  std::uint32_t degree;        // s: degree of the primitive polynomial
  std::uint32_t coefficients;  // a: its s - 1 interior coefficients, highest first
  std::uint32_t m[18];         // initial direction numbers m_1..m_s (odd, m_k < 2^k)
};

// Rows for dimensions 2..kSobolDirectionRowCount + 1; dimension 1 is the van der Corput sequence.
inline constexpr std::size_t kSobolDirectionRowCount = 255;
extern const SobolDirectionRow kSobolDirectionRows[kSobolDirectionRowCount];

}  // namespace klynge::sampling::detail
