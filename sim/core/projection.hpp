#pragma once
// The one map projection of klynge: a local equirectangular projection centred on Region
// Midtjylland (origin 56.0 N, 10.0 E), km per degree of longitude taken at 56.2 N. The
// simulation's distances (encounters, the location grid) are measured on it, so its numbers are
// part of the model: changing them changes results. The report draws its map with it too.
#include <cmath>

namespace klynge::projection {

inline constexpr double kOriginLat = 56.0, kOriginLon = 10.0;
inline constexpr double kKmPerDegreeLat = 110.57;
inline const double kKmPerDegreeLon = 111.32 * std::cos(56.2 * 3.14159265358979323846 / 180.0);

// Km east and north of the origin.
inline double east_km(double lon) {
  return (lon - kOriginLon) * kKmPerDegreeLon;
}
inline double north_km(double lat) {
  return (lat - kOriginLat) * kKmPerDegreeLat;
}

}  // namespace klynge::projection
