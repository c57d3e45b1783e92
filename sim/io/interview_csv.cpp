// The interview loader: firms.csv and relations.csv (product.md, "Interview data"; model.md,
// "Firm") into a validated Population. The generic CSV mechanics live in csv.cpp; this file knows
// what the columns mean, which values are acceptable, and how blanks are imputed.
//
// Decisions beyond the spec, kept in one place:
// - Header names are trimmed and case-insensitive. Unknown columns are warnings, not errors (a
//   spreadsheet often carries interviewers' notes), with a did-you-mean; a required column that
//   is missing is an error that points at a misspelt column when there is one.
// - Required firms.csv columns: firm_id, employees, revenue_mdkk, export_share, the three
//   market_* columns, at least one cap_* column, collab_willingness, growth_ambition,
//   absorptive_capacity and participant; municipality unless the file has both lat and lon
//   columns. A missing column would turn into a silent imputation for every firm, so it is
//   refused; blank cells in it are imputed as the spec says. Optional: name, lat, lon,
//   dev_opportunities.
// - firm_id is compared trimmed and ASCII case-insensitively ("f01" and "F01" are one firm), in
//   firms.csv and in relations.csv alike.
// - Confidentiality: messages and notes never repeat a firm_id or a name; line and column
//   locate the value.
// - employees: a whole number from 1 to 1,000,000 ("85,0" is fine, "85,5" is not: headcount).
//   revenue_mdkk: more than 0, up to 1,000,000. Upper bounds catch unit mistakes (DKK for mDKK)
//   and keep later arithmetic finite; 0 is refused because a firm's productivity is revenue per
//   employee and employment follows revenue / productivity (0/0 made employees NaN and hung the
//   run). A firm with employees has revenue; an unknown revenue is a blank, not 0.
// - Market shares: one blank share is the remainder (1 − the others; 0 if they already exceed 1);
//   two blanks are 0 only if the given share is at least 0.98, otherwise the split is unknown and
//   that is an error; three blanks are an error. Shares summing outside 0.98–1.02 are warned
//   about; all are normalised to sum exactly 1.
// - Likert medians are over mapped values ((L−1)/4); with an even count the median is the mean
//   of the middle two.
// - participant: yes/no, ja/nej, y/n, j, 1/0, true/false (any case). Blank = no, recorded as an
//   imputation.
// - A municipality with lat/lon given is kept (the table's spelling if known) and an unknown one
//   is only a warning: the coordinates decide. Known municipalities are stored in the table's
//   spelling ("Arhus kommune" → "Aarhus").
// - relations.csv: type also accepts the Danish leverandør/kunde/partner/viden. Every value is
//   validated before a row is skipped, so a malformed skipped row is still an error. A second
//   relation between the same unordered pair is skipped (noted), the first one kept: the model
//   has one tie per pair. A file with a header and no rows is a warning (no relations), unlike
//   firms.csv where it is an error.
// - parse_population with an empty relations name and empty text means "no relations file".
#include "sim/io/interview_csv.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "sim/core/errors.hpp"
#include "sim/core/text.hpp"
#include "sim/io/csv.hpp"
#include "sim/io/municipalities.hpp"

namespace klynge {
namespace {

// Denmark's extent (Bornholm aside): a coordinate outside it is a typo or swapped lat/lon.
constexpr double kLatMin = 54.5, kLatMax = 57.8, kLonMin = 8.0, kLonMax = 13.0;
constexpr double kMaxEmployees = 1e6, kMaxRevenueMdkk = 1e6;
// Market shares are "about 1" within this band; outside it they are warned about.
constexpr double kShareSumLow = 0.98, kShareSumHigh = 1.02;
// Imputed Likert value when no firm at all answered the question: the scale's middle.
constexpr double kLikertMiddle = 0.5;

constexpr std::string_view kCapPrefix = "cap_";

const std::vector<std::string> kFirmColumns = {"firm_id",
                                               "name",
                                               "municipality",
                                               "lat",
                                               "lon",
                                               "employees",
                                               "revenue_mdkk",
                                               "export_share",
                                               "market_food",
                                               "market_energy_env",
                                               "market_other",
                                               "collab_willingness",
                                               "growth_ambition",
                                               "absorptive_capacity",
                                               "dev_opportunities",
                                               "participant"};
const std::vector<std::string> kFirmRequired = {
    "firm_id",         "employees",           "revenue_mdkk", "export_share",
    "market_food",     "market_energy_env",   "market_other", "collab_willingness",
    "growth_ambition", "absorptive_capacity", "participant"};
const std::vector<std::string> kRelationColumns = {"firm_a", "firm_b", "type", "strength"};

const std::array<const char*, kDomesticSegmentCount> kMarketColumns = {
    "market_food", "market_energy_env", "market_other"};

std::string fmt(double value) {
  char out[32];
  std::snprintf(out, sizeof out, "%.4g", value);
  return out;
}

bool whole(double value) {
  return value == std::floor(value);
}

// Cells of one parsed table, with the file/line/column bookkeeping that every message needs.
class Sheet {
 public:
  explicit Sheet(const csv::Table& table) : table_(table) {}

  const csv::Table& table() const { return table_; }
  int col(std::string_view name) const { return table_.column(name); }

  // The trimmed cell; "" for a column the file does not have (c < 0).
  std::string_view cell(const csv::Row& row, int c) const {
    return c < 0 ? std::string_view() : csv::trim(row.fields[static_cast<std::size_t>(c)].text);
  }

  int line_of(const csv::Row& row, int c) const {
    return c < 0 ? row.line : row.fields[static_cast<std::size_t>(c)].line;
  }

  std::string key_of(int c) const {
    return c < 0 ? std::string() : table_.header[static_cast<std::size_t>(c)];
  }

  [[noreturn]] void fail(const csv::Row& row, int c, const std::string& message) const {
    throw InputError({table_.file, line_of(row, c), c + 1}, key_of(c), message);
  }

  [[noreturn]] void fail_header(int c, const std::string& key, const std::string& message) const {
    throw InputError({table_.file, table_.header_line, c + 1}, key, message);
  }

  DataNote note(const csv::Row& row, int c, std::string message) const {
    return {table_.file, line_of(row, c), key_of(c), std::move(message)};
  }

  std::string got(const csv::Row& row, int c) const {
    const auto text = cell(row, c);
    return text.empty() ? "got a blank cell" : "got " + csv::show(text);
  }

  // A number, or nullopt for a blank cell; anything else that is not a number is an error.
  std::optional<double> number(const csv::Row& row, int c, const std::string& expected) const {
    const auto text = cell(row, c);
    if (text.empty()) return std::nullopt;
    const auto value = csv::parse_number(text, table_.decimal_mark);
    if (!value) {
      const std::string hint = csv::number_hint(text, table_.decimal_mark);
      fail(row, c,
           "expected " + expected + ", " + got(row, c) + (hint.empty() ? "" : " (" + hint + ")"));
    }
    return value;
  }

  double required_number(const csv::Row& row, int c, const std::string& expected) const {
    const auto value = number(row, c, expected);
    if (!value) fail(row, c, "expected " + expected + ", " + got(row, c));
    return *value;
  }

  // A share of sales in [0,1], or nullopt for a blank cell.
  std::optional<double> share(const csv::Row& row, int c) const {
    const std::string expected = "a share from 0 to 1";
    const auto value = number(row, c, expected);
    if (value && (*value < 0 || *value > 1)) {
      const bool percent = *value > 1 && *value <= 100;
      const std::string example = table_.decimal_mark == ',' ? "0,4" : "0.4";
      fail(row, c,
           "expected " + expected + ", " + got(row, c) +
               (percent ? " (write a percentage as a fraction: 40 % is " + example + ")" : ""));
    }
    return value;
  }

  // A Likert answer 1–5, or nullopt for a blank cell.
  std::optional<int> likert(const csv::Row& row, int c) const {
    const std::string expected = "a whole number from 1 to 5 (Likert)";
    const auto value = number(row, c, expected);
    if (!value) return std::nullopt;
    if (!whole(*value) || *value < 1 || *value > 5) {
      const bool zero = *value == 0;
      fail(row, c,
           "expected " + expected + ", " + got(row, c) +
               (zero ? " (leave the cell blank for none)" : ""));
    }
    return static_cast<int>(*value);
  }

  // Warnings for columns nobody reads; an unnamed column is only worth a word if it holds data.
  void warn_unknown_columns(const std::vector<std::string>& known, bool cap_columns,
                            Population& pop) const {
    for (std::size_t k = 0; k < table_.header.size(); ++k) {
      const std::string& name = table_.header[k];
      if (std::find(known.begin(), known.end(), name) != known.end()) continue;
      if (cap_columns && name.starts_with(kCapPrefix)) continue;
      const std::string column = "column " + std::to_string(k + 1);
      if (name.empty()) {
        const bool has_data =
            std::any_of(table_.rows.begin(), table_.rows.end(),
                        [&](const auto& r) { return !csv::trim(r.fields[k].text).empty(); });
        if (has_data)
          pop.warnings.push_back({table_.file, table_.header_line, column,
                                  column + " has no name in the header; its values are ignored"});
        continue;
      }
      // A very long "name" is no misspelling, and edit distance on it would cost time.
      const std::string hint = name.size() <= 64 ? did_you_mean(name, known) : "";
      pop.warnings.push_back(
          {table_.file, table_.header_line, name,
           "unknown column " + csv::show(name) + " (" + column + ") ignored" + hint});
    }
  }

  // A missing required column is an error; point at the column that looks like a misspelling.
  void require(const std::string& name, const std::vector<std::string>& known) const {
    if (col(name) >= 0) return;
    int near = -1, near_distance = 0;
    for (std::size_t k = 0; k < table_.header.size(); ++k) {
      const std::string& h = table_.header[k];
      if (h.empty() || h.size() > 64 || std::find(known.begin(), known.end(), h) != known.end())
        continue;
      const int d = edit_distance(name, h);
      if (near < 0 || d < near_distance) near = static_cast<int>(k), near_distance = d;
    }
    const int limit = std::max<int>(2, static_cast<int>(name.size()) / 3);
    if (near >= 0 && near_distance <= limit)
      fail_header(near, name,
                  "required column is missing; column " + std::to_string(near + 1) + " " +
                      csv::show(table_.header[static_cast<std::size_t>(near)]) +
                      " looks like a misspelling of it (did you mean '" + name + "'?)");
    fail_header(-1, name, "required column is missing");
  }

 private:
  const csv::Table& table_;
};

std::string id_key(std::string_view id) {
  return csv::lower(id);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// An imputation waiting for the segment medians, which need every firm's market shares first.
struct PendingLikert {
  int firm = 0;
  const csv::Row* row = nullptr;
};

class FirmsLoader {
 public:
  FirmsLoader(const csv::Table& table, Population& pop) : sheet_(table), pop_(pop) {}

  void run() {
    check_header();
    const auto& t = sheet_.table();
    if (t.rows.empty())
      throw InputError({t.file, t.header_line, 0}, "",
                       "no firms: the file has a header but no data rows");
    for (const auto& row : t.rows) read_firm(row);
    impute_likert(c_willing_, &FirmRecord::willingness, pending_willing_);
    impute_likert(c_ambition_, &FirmRecord::ambition, pending_ambition_);
    impute_likert(c_absorptive_, &FirmRecord::absorptive, pending_absorptive_);
    assign_pseudonyms();
    // Notes in file order (line, then column), however they were gathered.
    std::stable_sort(imputed_.begin(), imputed_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [where, note] : imputed_) pop_.imputed.push_back(std::move(note));
  }

 private:
  void check_header() {
    const auto& t = sheet_.table();
    for (const auto& name : kFirmRequired) sheet_.require(name, kFirmColumns);
    c_id_ = sheet_.col("firm_id");
    c_name_ = sheet_.col("name");
    c_muni_ = sheet_.col("municipality");
    c_lat_ = sheet_.col("lat");
    c_lon_ = sheet_.col("lon");
    if ((c_lat_ < 0) != (c_lon_ < 0)) {
      const bool has_lat = c_lat_ >= 0;
      sheet_.fail_header(has_lat ? c_lat_ : c_lon_, has_lat ? "lon" : "lat",
                         std::string("the file has a ") + (has_lat ? "lat" : "lon") +
                             " column but no " + (has_lat ? "lon" : "lat") +
                             " column; give both or neither");
    }
    if (c_muni_ < 0 && c_lat_ < 0) sheet_.require("municipality", kFirmColumns);
    c_employees_ = sheet_.col("employees");
    c_revenue_ = sheet_.col("revenue_mdkk");
    c_export_ = sheet_.col("export_share");
    for (int s = 0; s < kDomesticSegmentCount; ++s) c_market_[s] = sheet_.col(kMarketColumns[s]);
    c_willing_ = sheet_.col("collab_willingness");
    c_ambition_ = sheet_.col("growth_ambition");
    c_absorptive_ = sheet_.col("absorptive_capacity");
    c_dev_ = sheet_.col("dev_opportunities");
    c_participant_ = sheet_.col("participant");
    for (std::size_t k = 0; k < t.header.size(); ++k) {
      const std::string& name = t.header[k];
      if (!name.starts_with(kCapPrefix)) continue;
      if (name.size() == kCapPrefix.size())
        sheet_.fail_header(static_cast<int>(k), name,
                           "a capability column needs a name after \"cap_\" (e.g. cap_welding)");
      c_caps_.push_back(static_cast<int>(k));
      pop_.capability_names.push_back(name.substr(kCapPrefix.size()));
    }
    if (c_caps_.empty())
      sheet_.fail_header(-1, "cap_*",
                         "no capability columns: expected at least one cap_<capability> column "
                         "(Likert 1-5, blank = none)");
    sheet_.warn_unknown_columns(kFirmColumns, true, pop_);
  }

  void impute(const csv::Row& row, int c, std::string message) {
    imputed_.push_back({{row.line, c}, sheet_.note(row, c, std::move(message))});
  }

  void read_firm(const csv::Row& row) {
    FirmRecord f;
    const int index = static_cast<int>(pop_.firms.size());

    f.firm_id = std::string(sheet_.cell(row, c_id_));
    if (f.firm_id.empty()) sheet_.fail(row, c_id_, "blank firm_id: every firm needs an id");
    const auto [seen, fresh] = first_line_.emplace(id_key(f.firm_id), row.line);
    if (!fresh)
      sheet_.fail(
          row, c_id_,
          "duplicate firm_id (the same id is on line " + std::to_string(seen->second) + ")");
    f.name = std::string(sheet_.cell(row, c_name_));

    read_location(row, f);

    const std::string employees = "a whole number of employees from 1 to 1000000";
    f.employees = sheet_.required_number(row, c_employees_, employees);
    if (!whole(f.employees) || f.employees < 1 || f.employees > kMaxEmployees)
      sheet_.fail(row, c_employees_,
                  "expected " + employees + ", " + sheet_.got(row, c_employees_));

    const std::string revenue = "a revenue in mDKK above 0, up to 1000000";
    f.revenue_mdkk = sheet_.required_number(row, c_revenue_, revenue);
    if (!(f.revenue_mdkk > 0) || f.revenue_mdkk > kMaxRevenueMdkk)
      sheet_.fail(row, c_revenue_, "expected " + revenue + ", " + sheet_.got(row, c_revenue_));

    if (const auto share = sheet_.share(row, c_export_)) {
      f.export_share = *share;
    } else {
      f.export_share = 0;
      impute(row, c_export_, "blank export_share taken as 0");
    }

    read_market(row, f);

    for (const int c : c_caps_) {
      const auto level = sheet_.likert(row, c);
      f.capabilities.push_back(level ? (*level - 1) / 4.0 : 0.0);  // blank = none
    }

    const auto attitude = [&](int c, double FirmRecord::*field,
                              std::vector<PendingLikert>& pending) {
      if (const auto answer = sheet_.likert(row, c))
        f.*field = (*answer - 1) / 4.0;
      else
        pending.push_back({index, &row});
    };
    attitude(c_willing_, &FirmRecord::willingness, pending_willing_);
    attitude(c_ambition_, &FirmRecord::ambition, pending_ambition_);
    attitude(c_absorptive_, &FirmRecord::absorptive, pending_absorptive_);

    read_dev_opportunities(row, f);
    read_participant(row, f);
    pop_.firms.push_back(std::move(f));
  }

  void read_location(const csv::Row& row, FirmRecord& f) {
    const std::string_view municipality = sheet_.cell(row, c_muni_);
    const auto lat = sheet_.number(row, c_lat_, "a latitude in decimal degrees");
    const auto lon = sheet_.number(row, c_lon_, "a longitude in decimal degrees");
    if (lat && lon) {
      const bool lat_ok = *lat >= kLatMin && *lat <= kLatMax;
      const bool lon_ok = *lon >= kLonMin && *lon <= kLonMax;
      const bool swapped = *lon >= kLatMin && *lon <= kLatMax && *lat >= kLonMin && *lat <= kLonMax;
      const std::string swap_hint = swapped ? " (lat and lon swapped?)" : "";
      if (!lat_ok)
        sheet_.fail(row, c_lat_,
                    "expected a latitude in Denmark (54.5 to 57.8), " + sheet_.got(row, c_lat_) +
                        swap_hint);
      if (!lon_ok)
        sheet_.fail(
            row, c_lon_,
            "expected a longitude in Denmark (8 to 13), " + sheet_.got(row, c_lon_) + swap_hint);
      f.lat = *lat;
      f.lon = *lon;
      f.location_from_centroid = false;
      if (!municipality.empty()) {
        const auto known = municipality_canonical_name(std::string(municipality));
        f.municipality = known ? *known : std::string(municipality);
        if (!known)
          pop_.warnings.push_back(
              sheet_.note(row, c_muni_,
                          "municipality " + csv::show(municipality) +
                              " is not in the built-in table; the given lat/lon are used" +
                              municipality_suggestion(std::string(municipality))));
      }
      return;
    }
    if (lat || lon) {
      const int blank = lat ? c_lon_ : c_lat_;
      sheet_.fail(row, blank,
                  std::string(lat ? "lat" : "lon") + " is given but " + (lat ? "lon" : "lat") +
                      " is blank; give both coordinates or neither");
    }
    if (c_muni_ < 0)
      sheet_.fail(row, c_lat_,
                  "no location: lat and lon are blank and the file has no municipality column");
    if (municipality.empty())
      sheet_.fail(row, c_muni_, "no location: the municipality is blank and lat/lon are not given");
    const auto centroid = municipality_centroid(std::string(municipality));
    if (!centroid)
      sheet_.fail(row, c_muni_,
                  "unknown municipality " + csv::show(municipality) +
                      municipality_suggestion(std::string(municipality)) +
                      "; a firm outside the built-in table (Region Midtjylland, old and new "
                      "municipalities) needs lat and lon");
    f.municipality = *municipality_canonical_name(std::string(municipality));
    f.lat = centroid->lat;
    f.lon = centroid->lon;
    f.location_from_centroid = true;
  }

  void read_market(const csv::Row& row, FirmRecord& f) {
    std::array<std::optional<double>, kDomesticSegmentCount> given;
    std::vector<int> blanks;
    double given_sum = 0;
    for (int s = 0; s < kDomesticSegmentCount; ++s) {
      given[s] = sheet_.share(row, c_market_[s]);
      if (given[s])
        given_sum += *given[s];
      else
        blanks.push_back(s);
    }
    if (blanks.size() == 3)
      sheet_.fail(row, c_market_[0],
                  "all three market shares (market_food, market_energy_env, market_other) are "
                  "blank; give the firm's shares of domestic sales");
    if (blanks.size() == 2) {
      const int only = 3 - blanks[0] - blanks[1];
      if (given_sum < kShareSumLow)
        sheet_.fail(row, c_market_[blanks[0]],
                    std::string(kMarketColumns[blanks[0]]) + " and " + kMarketColumns[blanks[1]] +
                        " are blank and " + kMarketColumns[only] + " is only " + fmt(given_sum) +
                        ": fill in how the remaining " + fmt(1 - given_sum) + " splits");
      for (const int s : blanks) {
        given[s] = 0.0;
        impute(row, c_market_[s],
               "blank " + std::string(kMarketColumns[s]) + " taken as 0 (" + kMarketColumns[only] +
                   " is " + fmt(given_sum) + ")");
      }
    } else if (blanks.size() == 1) {
      const int s = blanks[0];
      const double remainder = std::max(0.0, 1 - given_sum);
      given[s] = remainder;
      impute(row, c_market_[s],
             "blank " + std::string(kMarketColumns[s]) +
                 (remainder > 0
                      ? " taken as the remainder " + fmt(remainder)
                      : " taken as 0 (the other shares already sum to " + fmt(given_sum) + ")"));
    }
    double sum = 0;
    for (const auto& share : given) sum += *share;
    if (sum <= 0)
      sheet_.fail(
          row, c_market_[0],
          "the market shares sum to 0; at least one domestic market needs a positive share");
    if (sum < kShareSumLow || sum > kShareSumHigh)
      pop_.warnings.push_back({sheet_.table().file, row.line, "market_*",
                               "market shares sum to " + fmt(sum) + ", not 1; normalised"});
    for (int s = 0; s < kDomesticSegmentCount; ++s) f.market_share[s] = *given[s] / sum;
  }

  void read_dev_opportunities(const csv::Row& row, FirmRecord& f) {
    std::string_view rest = sheet_.cell(row, c_dev_);
    while (!rest.empty()) {
      const std::size_t bar = rest.find('|');
      const std::string tag = csv::lower(csv::trim(rest.substr(0, bar)));
      rest = bar == std::string_view::npos ? std::string_view() : rest.substr(bar + 1);
      if (tag.empty()) continue;
      if (std::find(f.dev_opportunities.begin(), f.dev_opportunities.end(), tag) ==
          f.dev_opportunities.end())
        f.dev_opportunities.push_back(tag);
    }
  }

  void read_participant(const csv::Row& row, FirmRecord& f) {
    const std::string answer = csv::lower(sheet_.cell(row, c_participant_));
    static const std::vector<std::string> yes = {"yes", "y", "ja", "j", "1", "true"};
    static const std::vector<std::string> no = {"no", "n", "nej", "0", "false"};
    if (answer.empty()) {
      f.participant = false;
      impute(row, c_participant_, "blank participant taken as no");
    } else if (std::find(yes.begin(), yes.end(), answer) != yes.end()) {
      f.participant = true;
    } else if (std::find(no.begin(), no.end(), answer) != no.end()) {
      f.participant = false;
    } else {
      sheet_.fail(row, c_participant_,
                  "expected yes or no (yes/no, ja/nej, y/j/n, 1/0, true/false), " +
                      sheet_.got(row, c_participant_));
    }
  }

  // Blank attitudes get the median of the firms that answered in the same main segment, else
  // of all firms that answered, else the scale's middle (model.md: "missing → segment median").
  void impute_likert(int c, double FirmRecord::*field, const std::vector<PendingLikert>& pending) {
    if (pending.empty()) return;
    std::vector<bool> blank(pop_.firms.size(), false);
    for (const auto& p : pending) blank[static_cast<std::size_t>(p.firm)] = true;
    std::array<std::vector<double>, kDomesticSegmentCount> by_segment;
    std::vector<double> all;
    for (std::size_t i = 0; i < pop_.firms.size(); ++i) {
      if (blank[i]) continue;
      const auto& f = pop_.firms[i];
      by_segment[static_cast<std::size_t>(f.main_segment())].push_back(f.*field);
      all.push_back(f.*field);
    }
    const std::string column = sheet_.key_of(c);
    for (const auto& p : pending) {
      auto& f = pop_.firms[static_cast<std::size_t>(p.firm)];
      const int segment = f.main_segment();
      const std::string segment_name = kSegmentNames[static_cast<std::size_t>(segment)];
      const auto& peers = by_segment[static_cast<std::size_t>(segment)];
      std::string how;
      if (!peers.empty()) {
        f.*field = median(peers);
        how = "the " + segment_name + " median " + fmt(f.*field);
      } else if (!all.empty()) {
        f.*field = median(all);
        how =
            "the median of all firms " + fmt(f.*field) + " (no " + segment_name + " firm answered)";
      } else {
        f.*field = kLikertMiddle;
        how = fmt(kLikertMiddle) + " (no firm answered)";
      }
      impute(*p.row, c, "blank " + column + " imputed with " + how);
    }
  }

  void assign_pseudonyms() {
    const std::size_t width = std::max<std::size_t>(3, std::to_string(pop_.firms.size()).size());
    for (std::size_t i = 0; i < pop_.firms.size(); ++i) {
      const std::string number = std::to_string(i + 1);
      std::string& pseudonym = pop_.firms[i].pseudonym;
      pseudonym = "F";
      pseudonym.append(width - number.size(), '0').append(number);
    }
  }

  Sheet sheet_;
  Population& pop_;
  int c_id_ = -1, c_name_ = -1, c_muni_ = -1, c_lat_ = -1, c_lon_ = -1;
  int c_employees_ = -1, c_revenue_ = -1, c_export_ = -1;
  std::array<int, kDomesticSegmentCount> c_market_{};
  int c_willing_ = -1, c_ambition_ = -1, c_absorptive_ = -1, c_dev_ = -1, c_participant_ = -1;
  std::vector<int> c_caps_;
  std::unordered_map<std::string, int> first_line_;  // id_key -> line
  std::vector<PendingLikert> pending_willing_, pending_ambition_, pending_absorptive_;
  std::vector<std::pair<std::pair<int, int>, DataNote>> imputed_;  // (line, column) -> note
};

std::optional<RelationType> relation_type(const std::string& word) {
  static const std::vector<std::pair<std::string, RelationType>> words = {
      {"supplier", RelationType::supplier},   {"customer", RelationType::customer},
      {"partner", RelationType::partner},     {"knowledge", RelationType::knowledge},
      {"leverandør", RelationType::supplier}, {"leverandor", RelationType::supplier},
      {"kunde", RelationType::customer},      {"viden", RelationType::knowledge}};
  for (const auto& [name, type] : words)
    if (word == name) return type;
  return std::nullopt;
}

void load_relations(const csv::Table& table, const std::string& firms_name, Population& pop) {
  const Sheet sheet(table);
  for (const auto& name : kRelationColumns) sheet.require(name, kRelationColumns);
  sheet.warn_unknown_columns(kRelationColumns, false, pop);
  if (table.rows.empty())
    pop.warnings.push_back(
        {table.file, table.header_line, "", "the file has a header but no relations"});
  const int c_a = sheet.col("firm_a"), c_b = sheet.col("firm_b");
  const int c_type = sheet.col("type"), c_strength = sheet.col("strength");

  std::unordered_map<std::string, int> index;
  for (std::size_t i = 0; i < pop.firms.size(); ++i)
    index.emplace(id_key(pop.firms[i].firm_id), static_cast<int>(i));
  std::map<std::pair<int, int>, int> pair_line;

  std::map<std::string, int> unknown_line;  // unknown firm id -> first line naming it
  for (const auto& row : table.rows) {
    const std::string_view a = sheet.cell(row, c_a), b = sheet.cell(row, c_b);
    if (a.empty()) sheet.fail(row, c_a, "blank firm_a: a relation needs two firm ids");
    if (b.empty()) sheet.fail(row, c_b, "blank firm_b: a relation needs two firm ids");

    const std::string type_word = csv::lower(sheet.cell(row, c_type));
    const auto type = relation_type(type_word);
    if (!type) {
      const std::vector<std::string> names(kRelationTypeNames.begin(), kRelationTypeNames.end());
      const std::string hint = type_word.size() <= 64 ? did_you_mean(type_word, names) : "";
      sheet.fail(row, c_type,
                 "expected a relation type (supplier, customer, partner or knowledge), " +
                     sheet.got(row, c_type) + hint);
    }
    const auto strength = sheet.likert(row, c_strength);
    if (!strength)
      sheet.fail(row, c_strength,
                 "expected a whole number from 1 to 5 (Likert), " + sheet.got(row, c_strength));

    const auto ia = index.find(id_key(a)), ib = index.find(id_key(b));
    if (ia == index.end() || ib == index.end()) {
      // The unknown id itself is not repeated (ids are confidential, and it may be a typo of a
      // real one): the note says which column holds it and where else the same id was met, so
      // it can be found in the file.
      std::string which;
      for (const int c : {c_a, c_b}) {
        const auto& it = c == c_a ? ia : ib;
        if (it != index.end()) continue;
        const auto [earlier, first_time] =
            unknown_line.emplace(id_key(sheet.cell(row, c)), row.line);
        if (!which.empty()) which += " and ";
        which += sheet.key_of(c) + " (column " + std::to_string(c + 1) + ")";
        if (!first_time)
          which += ", the same unknown id as on line " + std::to_string(earlier->second);
      }
      const bool both = ia == index.end() && ib == index.end();
      pop.skipped.push_back(
          sheet.note(row, ia == index.end() ? c_a : c_b,
                     which + (both ? " are not firm_ids in " : " is not a firm_id in ") +
                         firms_name + "; relation skipped"));
      continue;
    }
    if (ia->second == ib->second) {
      pop.skipped.push_back(
          sheet.note(row, c_b, "firm_a and firm_b are the same firm; relation skipped"));
      continue;
    }
    const auto pair = std::minmax(ia->second, ib->second);
    const auto [first, fresh] = pair_line.emplace(pair, row.line);
    if (!fresh) {
      pop.skipped.push_back(sheet.note(row, c_a,
                                       "another relation between the same two firms is on line " +
                                           std::to_string(first->second) +
                                           "; kept that one, skipped this"));
      continue;
    }
    pop.relations.push_back({ia->second, ib->second, *type, *strength});
  }
}

}  // namespace

Population parse_population(const std::string& firms_text, const std::string& firms_name,
                            const std::string& relations_text, const std::string& relations_name) {
  Population pop;
  const csv::Table firms = csv::parse(firms_text, firms_name);
  FirmsLoader(firms, pop).run();
  if (!relations_name.empty() || !relations_text.empty()) {
    const std::string name = relations_name.empty() ? "relations.csv" : relations_name;
    load_relations(csv::parse(relations_text, name), firms_name, pop);
  }
  return pop;
}

Population load_population(const std::string& firms_path, const std::string& relations_path) {
  const std::string firms_text = csv::read_file(firms_path);
  const std::string relations_text =
      relations_path.empty() ? std::string() : csv::read_file(relations_path);
  return parse_population(firms_text, firms_path, relations_text, relations_path);
}

}  // namespace klynge
