#pragma once
// Built-in centroids of Danish municipalities for firms whose interview gives no lat/lon: Region
// Midtjylland's 19 current municipalities and the pre-2007 municipalities they were merged from
// (the former Aarhus, Viborg and Ringkjøbing counties and the western part of Vejle county), plus
// a few neighbours that interview data from the old counties names (Thy, Mors, Hadsund).
// Centroids are approximate (about 5 km): good enough for distance decay between firms, not for
// maps.
#include <optional>
#include <string>
#include <vector>

namespace klynge {

struct LatLon {
  double lat, lon;
};

// Looks a municipality up by name, the way people write it: case-insensitive, blanks and hyphens
// ignored, an optional "Kommune" suffix, and Danish letters or their transliterations
// ("Århus" = "Aarhus" = "Arhus", "Nørre Djurs" = "Noerre-Djurs"). A pre-2007 name that the 2007
// reform kept for a larger municipality (Randers, Viborg, …) gives the current one's centroid.
std::optional<LatLon> municipality_centroid(const std::string& name);

// The table's spelling of `name` ("arhus kommune" -> "Aarhus"), or nullopt if unknown.
std::optional<std::string> municipality_canonical_name(const std::string& name);

// Every name in the table, current municipalities first.
std::vector<std::string> municipality_names();

// " (did you mean 'Silkeborg'?)" for a near miss, compared after the same normalisation as the
// lookup; "" when nothing is close.
std::string municipality_suggestion(const std::string& name);

}  // namespace klynge
