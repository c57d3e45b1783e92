#include "sim/io/municipalities.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <utility>

#include "sim/core/text.hpp"

namespace klynge {
namespace {

struct Municipality {
  const char* name;
  double lat, lon;
};

// Approximate centroids (degrees, WGS84), estimated from the municipalities' extents; about
// 5 km accuracy. A pre-2007 name that the reform kept (Randers, Silkeborg, Viborg, …) appears
// once, with the current municipality's centroid: interview data cannot tell the two apart.
constexpr std::array kMunicipalities = {
    // Region Midtjylland since 2007.
    Municipality{"Aarhus", 56.17, 10.15},
    Municipality{"Favrskov", 56.33, 9.92},
    Municipality{"Hedensted", 55.78, 9.75},
    Municipality{"Herning", 56.13, 8.95},
    Municipality{"Holstebro", 56.37, 8.65},
    Municipality{"Horsens", 55.90, 9.80},
    Municipality{"Ikast-Brande", 56.00, 9.20},
    Municipality{"Lemvig", 56.53, 8.35},
    Municipality{"Norddjurs", 56.47, 10.60},
    Municipality{"Odder", 55.95, 10.17},
    Municipality{"Randers", 56.49, 10.05},
    Municipality{"Ringkøbing-Skjern", 56.02, 8.45},
    Municipality{"Samsø", 55.87, 10.61},
    Municipality{"Silkeborg", 56.17, 9.50},
    Municipality{"Skanderborg", 56.05, 9.85},
    Municipality{"Skive", 56.62, 9.03},
    Municipality{"Struer", 56.55, 8.62},
    Municipality{"Syddjurs", 56.28, 10.53},
    Municipality{"Viborg", 56.45, 9.45},
    // Former Aarhus county (Århus Amt), 1970–2006.
    Municipality{"Ebeltoft", 56.20, 10.62},
    Municipality{"Galten", 56.15, 9.90},
    Municipality{"Gjern", 56.23, 9.75},
    Municipality{"Grenaa", 56.42, 10.85},
    Municipality{"Hadsten", 56.33, 10.05},
    Municipality{"Hammel", 56.26, 9.86},
    Municipality{"Hinnerup", 56.27, 10.05},
    Municipality{"Hørning", 56.08, 10.04},
    Municipality{"Langå", 56.39, 9.90},
    Municipality{"Mariager", 56.65, 9.98},
    Municipality{"Midtdjurs", 56.35, 10.47},
    Municipality{"Nørhald", 56.53, 10.05},
    Municipality{"Nørre Djurs", 56.48, 10.55},
    Municipality{"Purhus", 56.50, 9.85},
    Municipality{"Rosenholm", 56.32, 10.30},
    Municipality{"Rougsø", 56.52, 10.30},
    Municipality{"Ry", 56.09, 9.77},
    Municipality{"Rønde", 56.30, 10.45},
    Municipality{"Sønderhald", 56.43, 10.20},
    Municipality{"Them", 56.08, 9.55},
    // Former Viborg county.
    Municipality{"Aalestrup", 56.69, 9.49},
    Municipality{"Bjerringbro", 56.38, 9.66},
    Municipality{"Fjends", 56.50, 9.17},
    Municipality{"Hanstholm", 57.05, 8.63},
    Municipality{"Hvorslev", 56.33, 9.75},
    Municipality{"Karup", 56.30, 9.17},
    Municipality{"Kjellerup", 56.29, 9.43},
    Municipality{"Morsø", 56.80, 8.75},
    Municipality{"Møldrup", 56.61, 9.50},
    Municipality{"Sallingsund", 56.71, 8.95},
    Municipality{"Spøttrup", 56.62, 8.80},
    Municipality{"Sundsøre", 56.70, 9.10},
    Municipality{"Sydthy", 56.82, 8.55},
    Municipality{"Thisted", 56.96, 8.70},
    Municipality{"Thyholm", 56.63, 8.60},
    Municipality{"Tjele", 56.50, 9.60},
    // Former Ringkjøbing county.
    Municipality{"Aaskov", 55.96, 8.85},
    Municipality{"Aulum-Haderup", 56.27, 8.90},
    Municipality{"Brande", 55.94, 9.13},
    Municipality{"Egvad", 55.87, 8.35},
    Municipality{"Holmsland", 56.00, 8.20},
    Municipality{"Ikast", 56.14, 9.16},
    Municipality{"Ringkøbing", 56.09, 8.24},
    Municipality{"Skjern", 55.95, 8.50},
    Municipality{"Thyborøn-Harboøre", 56.62, 8.20},
    Municipality{"Trehøje", 56.20, 8.75},
    Municipality{"Ulfborg-Vemb", 56.27, 8.35},
    Municipality{"Videbæk", 56.09, 8.63},
    Municipality{"Vinderup", 56.48, 8.78},
    // Former Vejle county, the part now in Region Midtjylland.
    Municipality{"Brædstrup", 55.97, 9.61},
    Municipality{"Gedved", 55.93, 9.85},
    Municipality{"Juelsminde", 55.71, 9.98},
    Municipality{"Nørre-Snede", 55.97, 9.41},
    Municipality{"Tørring-Uldum", 55.85, 9.45},
    // Neighbours (Region Nordjylland) that the old counties' data may name.
    Municipality{"Hadsund", 56.72, 10.12},
};

// Second UTF-8 byte after 0xC3 -> ASCII spelling.
constexpr std::pair<unsigned char, const char*> kLetters[] = {
    {0x86, "ae"}, {0xA6, "ae"}, {0x84, "ae"}, {0xA4, "ae"},  // Æ æ Ä ä
    {0x98, "oe"}, {0xB8, "oe"}, {0x96, "oe"}, {0xB6, "oe"},  // Ø ø Ö ö
    {0x85, "aa"}, {0xA5, "aa"},                              // Å å
    {0x9C, "ue"}, {0xBC, "ue"},                              // Ü ü
    {0x88, "e"},  {0x89, "e"},  {0xA8, "e"},  {0xA9, "e"},   // È É è é
};

// The text folded for comparison: ASCII lowercase, letters and digits only, Danish (and a few
// other) letters transliterated, then the usual ASCII spellings collapsed ("aa" and "å" both
// become "a", "oe"/"ø" become "o", "ae"/"æ" become "a"), so "Århus", "Aarhus" and "Arhus" meet.
// A trailing "kommune" is dropped.
std::string fold(const std::string& name) {
  std::string spelled;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) spelled += static_cast<char>(std::tolower(c));
      continue;
    }
    if (c == 0xC3 && i + 1 < name.size()) {  // Latin-1 supplement letters: C3 xx in UTF-8
      const auto next = static_cast<unsigned char>(name[++i]);
      for (const auto& [byte, spelling] : kLetters)
        if (next == byte) spelled += spelling;
    }
    // Any other non-ASCII byte carries no letter we can compare: dropped.
  }
  std::string folded;
  for (std::size_t i = 0; i < spelled.size(); ++i) {
    const char c = spelled[i];
    const char next = i + 1 < spelled.size() ? spelled[i + 1] : '\0';
    folded += c;
    if ((c == 'a' && (next == 'a' || next == 'e')) || (c == 'o' && next == 'e')) ++i;
  }
  constexpr std::string_view kSuffix = "kommune";
  if (folded.size() > kSuffix.size() && folded.ends_with(kSuffix))
    folded.resize(folded.size() - kSuffix.size());
  return folded;
}

const std::vector<std::string>& folded_names() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> out;
    for (const auto& m : kMunicipalities) out.push_back(fold(m.name));
    return out;
  }();
  return keys;
}

const Municipality* find(const std::string& name) {
  const std::string key = fold(name);
  if (key.empty()) return nullptr;
  const auto& keys = folded_names();
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &kMunicipalities[i];
  return nullptr;
}

}  // namespace

std::optional<LatLon> municipality_centroid(const std::string& name) {
  if (const auto* m = find(name)) return LatLon{m->lat, m->lon};
  return std::nullopt;
}

std::optional<std::string> municipality_canonical_name(const std::string& name) {
  if (const auto* m = find(name)) return std::string(m->name);
  return std::nullopt;
}

std::vector<std::string> municipality_names() {
  std::vector<std::string> out;
  for (const auto& m : kMunicipalities) out.emplace_back(m.name);
  return out;
}

std::string municipality_suggestion(const std::string& name) {
  // Long text is no misspelt municipality, and edit distance on it would cost time.
  if (name.size() > 64) return "";
  const std::string key = fold(name);
  if (key.empty()) return "";
  const auto& keys = folded_names();
  std::size_t best = 0;
  int best_distance = edit_distance(key, keys[0]);
  for (std::size_t i = 1; i < keys.size(); ++i) {
    const int d = edit_distance(key, keys[i]);
    if (d < best_distance) {
      best = i;
      best_distance = d;
    }
  }
  // Same tolerance as did_you_mean: about a third of the word, at least 2 edits.
  const int limit = std::max<int>(2, static_cast<int>(key.size()) / 3);
  if (best_distance <= limit)
    return " (did you mean '" + std::string(kMunicipalities[best].name) + "'?)";
  return "";
}

}  // namespace klynge
