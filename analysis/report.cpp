#include "analysis/report.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <sstream>
#include <system_error>
#include <utility>

#include "analysis/report_template.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/core/results.hpp"

namespace klynge::analysis::report {

namespace detail {

std::string json_string(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += ch;  // UTF-8 passes through
        }
    }
  }
  out += '"';
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

}  // namespace detail

namespace {

using detail::html_escape;
using detail::json_string;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kZ975 = 1.959963984540054;  // normal quantile for a two-sided 95% interval

// Numbers for SVG, JSON and tables: fixed decimals, trailing zeros trimmed, "-0" avoided.
std::string num(double v, int decimals) {
  if (!std::isfinite(v)) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

// For people: fixed decimals, optional sign, `missing` for NaN; a value that rounds to zero
// is printed without a sign.
std::string fixed(double v, int decimals, bool sign = false, const char* missing = "-") {
  if (!std::isfinite(v)) return missing;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  const bool zero = s.find_first_not_of("-0.") == std::string::npos;
  if (zero && s.front() == '-') s.erase(0, 1);
  if (sign && !zero && v > 0) s.insert(0, "+");
  return s;
}

// A ratio with about three significant digits.
std::string ratio(double v, const char* missing) {
  if (!std::isfinite(v)) return missing;
  return fixed(v, std::abs(v) >= 100 ? 0 : std::abs(v) >= 10 ? 1 : 2);
}

struct Moments {
  std::size_t n = 0;
  double mean = kNaN, sd = kNaN;
  double half_width() const { return n >= 2 ? kZ975 * sd / std::sqrt(static_cast<double>(n)) : 0; }
};

Moments moments(const std::vector<double>& values) {
  Moments m;
  double sum = 0;
  for (const double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++m.n;
    }
  if (m.n == 0) return m;
  m.mean = sum / static_cast<double>(m.n);
  if (m.n >= 2) {
    double ss = 0;
    for (const double v : values)
      if (std::isfinite(v)) ss += (v - m.mean) * (v - m.mean);
    m.sd = std::sqrt(ss / static_cast<double>(m.n - 1));
  }
  return m;
}

// metric value of a completed replicate, NaN otherwise (or when the metric is missing).
double value_at(const VariantResults& v, std::size_t r, std::size_t step, int metric) {
  if (metric < 0 || r >= v.completed.size() || !v.completed[r] || step >= v.steps) return kNaN;
  return v.metric(r, step, static_cast<std::size_t>(metric));
}

std::size_t baseline_index(const ResultsFile& results, const std::string& requested) {
  if (!requested.empty()) {
    for (std::size_t i = 0; i < results.variants.size(); ++i)
      if (results.variants[i].name == requested) return i;
    std::vector<std::string> names;
    for (const auto& v : results.variants) names.push_back(v.name);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw UsageError("--baseline '" + requested + "' is not a variant of " + results.path +
                     " (variants: " + list + ")");
  }
  for (std::size_t i = 0; i < results.variants.size(); ++i)
    if (results.variants[i].name == "baseline") return i;
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ranking

Ranking compute_ranking(const ResultsFile& results, const std::string& baseline) {
  Ranking ranking;
  if (results.variants.empty()) return ranking;
  const std::size_t b = baseline_index(results, baseline);
  const bool has_baseline = results.variants.size() > 1 || !baseline.empty();
  if (has_baseline) ranking.baseline = results.variants[b].name;
  ranking.horizon = results.header.horizon;

  const int rev =
      results.metric_index(kMetricInfo[metric_index(Metric::participant_revenue_mdkk)].name);
  const int cost =
      results.metric_index(kMetricInfo[metric_index(Metric::cost_dkk_cumulative)].name);
  const int partner = results.metric_index(kMetricInfo[metric_index(Metric::ties_partner)].name);

  struct PerReplicate {
    std::vector<double> growth, revenue, cost, partner;
  };
  const auto collect = [&](const VariantResults& v) {
    PerReplicate p;
    const std::size_t h = v.steps ? v.steps - 1 : 0;
    for (std::size_t r = 0; r < v.replicates; ++r) {
      const double r0 = value_at(v, r, 0, rev), rh = value_at(v, r, h, rev);
      p.growth.push_back(std::isfinite(r0) && r0 > 0 ? (rh / r0 - 1) * 100 : kNaN);
      p.revenue.push_back(rh);
      p.cost.push_back(value_at(v, r, h, cost));
      p.partner.push_back(value_at(v, r, h, partner));
    }
    return p;
  };
  const PerReplicate base = collect(results.variants[b]);
  std::map<std::string, std::vector<double>> growth_of;  // per variant, per replicate
  const double base_cost = moments(base.cost).mean;

  for (std::size_t i = 0; i < results.variants.size(); ++i) {
    const VariantResults& v = results.variants[i];
    const PerReplicate p = i == b ? base : collect(v);
    RankingRow row;
    row.variant = v.name;
    row.baseline = has_baseline && i == b;
    const Moments growth = moments(p.growth);
    row.replicates = growth.n;
    row.growth_pct = growth.mean;
    row.cost_mdkk = moments(p.cost).mean / 1e6;
    row.partner_ties = moments(p.partner).mean;
    if (has_baseline) {
      std::vector<double> diff, added;
      const std::size_t n = std::min(p.growth.size(), base.growth.size());
      for (std::size_t r = 0; r < n; ++r) {
        diff.push_back(p.growth[r] - base.growth[r]);  // NaN when either is missing
        added.push_back(p.revenue[r] - base.revenue[r]);
      }
      const Moments d = moments(diff);
      row.pairs = d.n;
      row.effect_pp = d.mean;
      if (i == b) {
        row.effect_pp = d.n ? 0.0 : kNaN;
      } else if (d.n >= 2) {
        row.effect_lo = d.mean - d.half_width();
        row.effect_hi = d.mean + d.half_width();
      }
      row.added_revenue_mdkk = moments(added).mean;
      const double extra_cost_dkk = (moments(p.cost).mean - base_cost);
      if (i != b && std::isfinite(extra_cost_dkk) && extra_cost_dkk > 0 &&
          std::isfinite(row.added_revenue_mdkk))
        row.revenue_per_dkk = row.added_revenue_mdkk * 1e6 / extra_cost_dkk;
    }
    growth_of[v.name] = p.growth;
    ranking.rows.push_back(std::move(row));
  }

  // Best revenue effect first (growth without a baseline); missing values last; stable.
  std::stable_sort(ranking.rows.begin(), ranking.rows.end(),
                   [&](const RankingRow& x, const RankingRow& y) {
                     const double kx = has_baseline ? x.effect_pp : x.growth_pct;
                     const double ky = has_baseline ? y.effect_pp : y.growth_pct;
                     if (std::isfinite(kx) != std::isfinite(ky)) return std::isfinite(kx);
                     return std::isfinite(kx) && kx > ky;
                   });

  // Neighbours in the ranking that the replicates cannot tell apart: the 95% CI of the paired
  // difference in growth includes 0.
  for (std::size_t i = 0; i + 1 < ranking.rows.size(); ++i) {
    const auto& x = growth_of[ranking.rows[i].variant];
    const auto& y = growth_of[ranking.rows[i + 1].variant];
    std::vector<double> diff;
    for (std::size_t r = 0; r < std::min(x.size(), y.size()); ++r) diff.push_back(x[r] - y[r]);
    const Moments d = moments(diff);
    ranking.rows[i].tied_with_next =
        d.n < 2 || !(d.mean - d.half_width() > 0 || d.mean + d.half_width() < 0);
  }
  return ranking;
}

std::string format_ranking(const Ranking& ranking) {
  std::ostringstream out;
  std::size_t pairs = 0;
  for (const auto& row : ranking.rows)
    pairs = std::max(pairs, row.pairs ? row.pairs : row.replicates);
  out << "Ranking by participants' revenue growth over " << ranking.horizon << " months";
  if (!ranking.baseline.empty())
    out << ", each variant against '" << ranking.baseline << "'\n(paired over " << pairs
        << " replicates; 95% confidence intervals, normal approximation)\n\n";
  else
    out << " (" << pairs << " replicates)\n\n";

  std::size_t width = 8;
  for (const auto& row : ranking.rows) width = std::max(width, row.variant.size());
  const auto pad = [](std::string s, std::size_t w, bool right = false) {
    if (s.size() >= w) return s;
    return right ? std::string(w - s.size(), ' ') + s : s + std::string(w - s.size(), ' ');
  };
  // Column widths count bytes; every cell below is ASCII.
  out << pad("rank", 5, true) << "  " << pad("variant", width) << "  " << pad("growth", 8, true)
      << "  " << pad("effect vs baseline (pp)", 26) << pad("cost M DKK", 11, true)
      << pad("partner ties", 14, true) << pad("revenue/DKK", 13, true) << "\n";
  int rank = 0;
  for (const auto& row : ranking.rows) {
    std::string effect;
    if (row.baseline) {
      effect = "reference";
    } else if (std::isfinite(row.effect_pp)) {
      effect = fixed(row.effect_pp, 1, true);
      if (std::isfinite(row.effect_lo))
        effect +=
            "  [" + fixed(row.effect_lo, 1, true) + ", " + fixed(row.effect_hi, 1, true) + "]";
    } else {
      effect = "-";
    }
    const std::string growth =
        std::isfinite(row.growth_pct) ? fixed(row.growth_pct, 1, true) + "%" : "-";
    out << pad(row.baseline ? "-" : std::to_string(++rank), 5, true) << "  "
        << pad(row.variant, width) << "  " << pad(growth, 8, true) << "  " << pad(effect, 26)
        << pad(fixed(row.cost_mdkk, 2), 11, true) << pad(fixed(row.partner_ties, 1), 14, true)
        << pad(ratio(row.revenue_per_dkk, "-"), 13, true) << "\n";
  }
  for (std::size_t i = 0; i + 1 < ranking.rows.size(); ++i)
    if (ranking.rows[i].tied_with_next)
      out << "\nnot told apart: " << ranking.rows[i].variant << " and "
          << ranking.rows[i + 1].variant << " (the 95% CI of their paired difference includes 0)";
  out << "\n";
  out << "\ngrowth: participants' total revenue at month " << ranking.horizon
      << " vs month 0; effect: difference in growth, percentage points;\n"
         "cost: programme cash + staff hours; revenue/DKK: added annual revenue per extra DKK of "
         "cost\n";
  return out.str();
}

// ---------------------------------------------------------------------------------------------
// Charts (inline SVG)

namespace {

// Okabe-Ito (colour-blind safe); the baseline is drawn dashed in dark grey.
constexpr const char* kBaselineColour = "#555555";
constexpr std::array<const char*, 7> kVariantColours = {"#E69F00", "#0072B2", "#009E73", "#D55E00",
                                                        "#56B4E9", "#CC79A7", "#F0E442"};
// Paul Tol's "muted" scheme for cluster labels; grey for "no cluster".
constexpr std::array<const char*, 9> kClusterColours = {"#CC6677", "#332288", "#DDCC77",
                                                        "#117733", "#88CCEE", "#882255",
                                                        "#44AA99", "#999933", "#AA4499"};
constexpr const char* kNoClusterColour = "#C8C8C8";

struct VariantStyle {
  std::string name, colour;
  bool baseline = false;
};

std::vector<VariantStyle> variant_styles(const ResultsFile& results, const std::string& baseline) {
  std::vector<VariantStyle> styles;
  std::size_t k = 0;
  for (const auto& v : results.variants) {
    VariantStyle s;
    s.name = v.name;
    s.baseline = !baseline.empty() && v.name == baseline;
    s.colour = s.baseline ? kBaselineColour : kVariantColours[k++ % kVariantColours.size()];
    styles.push_back(std::move(s));
  }
  return styles;
}

struct Axis {
  double lo = 0, hi = 1, step = 0.2;
  int decimals = 1;
};

// "Nice" axis bounds and tick step (1, 2, 2.5 or 5 times a power of ten), about `ticks` ticks.
Axis nice_axis(double lo, double hi, int ticks, bool include_zero) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0, hi = 1;
  if (include_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (hi - lo < 1e-12) {
    const double pad = std::max(std::abs(hi) * 0.1, 1.0);
    if (!include_zero || lo < 0) lo -= pad;
    hi += pad;
  }
  const double raw = (hi - lo) / ticks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag * 10;
  for (const double f : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (raw <= f * mag * (1 + 1e-9)) {
      step = f * mag;
      break;
    }
  Axis a;
  a.step = step;
  a.lo = std::floor(lo / step + 1e-6) * step;  // tolerant of rounding noise
  a.hi = std::ceil(hi / step - 1e-6) * step;
  a.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  if (std::abs(step / std::pow(10.0, -a.decimals) - 2.5) < 1e-6) ++a.decimals;
  return a;
}

struct ChartSpec {
  Metric metric;
  std::string title, unit, note;
  double scale = 1;          // multiply the metric by this (e.g. 1e-6 for M DKK, 100 for %)
  bool relative = false;     // per replicate, % of its step-0 value
  bool include_zero = true;  // y axis starts at 0
  int decimals = 1;          // for the end-value tooltip
};

struct Band {
  std::vector<double> mean, lo, hi;  // per step; NaN where no replicate has a value
  std::size_t replicates = 0;
};

Band band_of(const VariantResults& v, int metric, const ChartSpec& spec) {
  Band band;
  band.mean.assign(v.steps, kNaN);
  band.lo.assign(v.steps, kNaN);
  band.hi.assign(v.steps, kNaN);
  band.replicates = v.completed_count();
  std::vector<double> values(v.replicates);
  for (std::size_t s = 0; s < v.steps; ++s) {
    for (std::size_t r = 0; r < v.replicates; ++r) {
      double x = value_at(v, r, s, metric);
      if (spec.relative) {
        const double x0 = value_at(v, r, 0, metric);
        x = std::isfinite(x0) && x0 != 0 ? 100 * x / x0 : kNaN;
      }
      values[r] = x * spec.scale;
    }
    const Moments m = moments(values);
    if (m.n == 0) continue;
    band.mean[s] = m.mean;
    band.lo[s] = m.mean - m.half_width();
    if (spec.include_zero) band.lo[s] = std::max(band.lo[s], 0.0);  // counts, shares, costs
    band.hi[s] = m.mean + m.half_width();
  }
  return band;
}

std::string time_chart(const ResultsFile& results, const std::vector<VariantStyle>& styles,
                       const ChartSpec& spec) {
  const char* metric_name = kMetricInfo[metric_index(spec.metric)].name;
  const int metric = results.metric_index(metric_name);
  std::vector<Band> bands;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  std::size_t steps = 0;
  for (const auto& v : results.variants) {
    bands.push_back(metric >= 0 ? band_of(v, metric, spec) : Band{});
    steps = std::max(steps, v.steps);
    for (std::size_t s = 0; s < bands.back().mean.size(); ++s)
      if (std::isfinite(bands.back().mean[s])) {
        lo = std::min(lo, bands.back().lo[s]);
        hi = std::max(hi, bands.back().hi[s]);
      }
  }
  const Axis y = nice_axis(lo, hi, 5, spec.include_zero);
  const double horizon = steps > 1 ? static_cast<double>(steps - 1) : 1.0;
  const Axis x = [&] {
    Axis a;
    a.lo = 0;
    a.hi = horizon;
    a.step = horizon > 24 ? 6 : horizon > 12 ? 3 : 1;
    a.decimals = 0;
    return a;
  }();

  constexpr double W = 540, H = 270, L = 58, R = 14, T = 12, B = 40;
  const auto px = [&](double v) { return L + (v - x.lo) / (x.hi - x.lo) * (W - L - R); };
  const auto py = [&](double v) { return T + (y.hi - v) / (y.hi - y.lo) * (H - T - B); };

  std::ostringstream svg;
  svg << "<figure class=\"chart\" id=\"chart-" << metric_name << "\"><figcaption><strong>"
      << html_escape(spec.title) << "</strong> <span class=\"unit\">(" << html_escape(spec.unit)
      << ")</span></figcaption>\n<svg class=\"chart-svg\" viewBox=\"0 0 " << W << " " << H
      << "\" role=\"img\" aria-label=\"" << html_escape(spec.title)
      << " over months, per variant\">\n";
  // Grid and axes.
  svg << "<g class=\"grid\">";
  for (double t = y.lo; t <= y.hi + y.step * 1e-6; t += y.step)
    svg << "<line x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << num(py(t), 1) << "\" y2=\""
        << num(py(t), 1) << "\"/>";
  svg << "</g>\n<g class=\"axis\">";
  svg << "<line x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << H - B << "\" y2=\"" << H - B
      << "\"/>";
  for (double t = y.lo; t <= y.hi + y.step * 1e-6; t += y.step)
    svg << "<text x=\"" << L - 6 << "\" y=\"" << num(py(t) + 4, 1) << "\" text-anchor=\"end\">"
        << num(t, y.decimals) << "</text>";
  for (double t = x.lo; t <= x.hi + 1e-9; t += x.step)
    svg << "<line x1=\"" << num(px(t), 1) << "\" x2=\"" << num(px(t), 1) << "\" y1=\"" << H - B
        << "\" y2=\"" << H - B + 4 << "\"/><text x=\"" << num(px(t), 1) << "\" y=\"" << H - B + 16
        << "\" text-anchor=\"middle\">" << num(t, 0) << "</text>";
  svg << "<text x=\"" << (L + W - R) / 2 << "\" y=\"" << H - 6
      << "\" text-anchor=\"middle\">month</text>";
  svg << "<text transform=\"translate(13 " << (T + H - B) / 2
      << ") rotate(-90)\" text-anchor=\"middle\">" << html_escape(spec.unit) << "</text>";
  if (spec.relative && y.lo < 100 && y.hi > 100)
    svg << "<line class=\"zero\" x1=\"" << L << "\" x2=\"" << W - R << "\" y1=\"" << num(py(100), 1)
        << "\" y2=\"" << num(py(100), 1) << "\"/>";
  svg << "</g>\n";

  // Series: the baseline first (underneath), each a band and a mean line over the steps that
  // have values (NaN steps, e.g. between community detections, are skipped).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < styles.size(); ++i)
    if (styles[i].baseline)
      order.insert(order.begin(), i);
    else
      order.push_back(i);
  for (const std::size_t i : order) {
    const Band& band = bands[i];
    std::vector<std::size_t> at;
    for (std::size_t s = 0; s < band.mean.size(); ++s)
      if (std::isfinite(band.mean[s])) at.push_back(s);
    if (at.empty()) continue;
    std::string line, area;
    for (std::size_t k = 0; k < at.size(); ++k)
      line += (k ? " L" : "M") + num(px(static_cast<double>(at[k])), 1) + " " +
              num(py(band.mean[at[k]]), 1);
    for (std::size_t k = 0; k < at.size(); ++k)
      area += (k ? " L" : "M") + num(px(static_cast<double>(at[k])), 1) + " " +
              num(py(band.hi[at[k]]), 1);
    for (std::size_t k = at.size(); k-- > 0;)
      area += " L" + num(px(static_cast<double>(at[k])), 1) + " " + num(py(band.lo[at[k]]), 1);
    area += " Z";
    const auto& style = styles[i];
    const std::size_t last = at.back();
    svg << "<g class=\"series\" data-variant=\"" << html_escape(style.name) << "\"><title>"
        << html_escape(style.name) << ": " << fixed(band.mean[last], spec.decimals) << " "
        << html_escape(spec.unit) << " at month " << last << " (95% CI "
        << fixed(band.lo[last], spec.decimals) << " to " << fixed(band.hi[last], spec.decimals)
        << "; " << band.replicates << " replicates)</title>";
    svg << "<path class=\"band\" fill=\"" << style.colour << "\" d=\"" << area << "\"/>";
    svg << "<path class=\"line\" stroke=\"" << style.colour << "\""
        << (style.baseline ? " stroke-dasharray=\"6 4\"" : "") << " d=\"" << line << "\"/>";
    if (at.size() == 1 || at.size() * 3 < band.mean.size())  // sparse: mark the points
      for (const std::size_t s : at)
        svg << "<circle r=\"2.5\" fill=\"" << style.colour << "\" cx=\""
            << num(px(static_cast<double>(s)), 1) << "\" cy=\"" << num(py(band.mean[s]), 1)
            << "\"/>";
    svg << "</g>\n";
  }
  svg << "</svg>\n";
  if (!spec.note.empty()) svg << "<p class=\"caption\">" << html_escape(spec.note) << "</p>";
  svg << "</figure>\n";
  return svg.str();
}

// The effect's CI as a small bar on a scale shared by all rows of the ranking table.
std::string effect_bar(const RankingRow& row, double lo, double hi) {
  constexpr double W = 130, H = 18, M = 6;
  const auto px = [&](double v) { return M + (v - lo) / (hi - lo) * (W - 2 * M); };
  std::ostringstream s;
  s << "<svg class=\"effect\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
    << " " << H << "\" aria-hidden=\"true\"><line class=\"zero\" x1=\"" << num(px(0), 1)
    << "\" x2=\"" << num(px(0), 1) << "\" y1=\"1\" y2=\"" << H - 1 << "\"/>";
  if (!row.baseline && std::isfinite(row.effect_pp)) {
    if (std::isfinite(row.effect_lo))
      s << "<line class=\"ci\" x1=\"" << num(px(row.effect_lo), 1) << "\" x2=\""
        << num(px(row.effect_hi), 1) << "\" y1=\"" << H / 2 << "\" y2=\"" << H / 2 << "\"/>";
    s << "<circle class=\"pt\" r=\"4\" cx=\"" << num(px(row.effect_pp), 1) << "\" cy=\"" << H / 2
      << "\"/>";
  }
  s << "</svg>";
  return s.str();
}

// ---------------------------------------------------------------------------------------------
// Network layout: geography (municipality centroids, as stored) with firms that share a location
// placed on a small sunflower spiral in pseudonym order, then nudged apart; deterministic.

struct Point {
  double x = 0, y = 0;
};

struct Layout {
  std::vector<Point> firms;
  struct Label {
    std::string name;
    Point at;
  };
  std::vector<Label> labels;
  double height = 0;  // used height: the drawing is cropped to its content vertically
};

// Pushes firms closer than `min_d` apart (deterministic passes; small populations only).
void separate(std::vector<Point>& firms, double min_d) {
  const std::size_t n = firms.size();
  if (n > 2000) return;
  for (int pass = 0; pass < 60; ++pass) {
    bool moved = false;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) {
        double dx = firms[j].x - firms[i].x;
        double dy = firms[j].y - firms[i].y;
        double d = std::hypot(dx, dy);
        if (d >= min_d) continue;
        if (d < 1e-9) dx = 1, dy = 0, d = 1;  // identical points: push along x
        const double push = (min_d - d) / 2 + 0.01;
        firms[i].x -= dx / d * push, firms[i].y -= dy / d * push;
        firms[j].x += dx / d * push, firms[j].y += dy / d * push;
        moved = true;
      }
    if (!moved) break;
  }
}

Layout geographic_layout(const ResultsHeader& h, double width, double height, double spacing,
                         double node_margin) {
  const std::size_t n = h.pseudonyms.size();
  Layout layout;
  layout.firms.resize(n);
  if (n == 0) return layout;
  double lat0 = 0;
  std::size_t located = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(h.lat[i])) lat0 += h.lat[i], ++located;
  lat0 = located ? lat0 / static_cast<double>(located) : 56;
  const double kx = std::cos(lat0 * std::numbers::pi / 180);

  // Groups of firms at the same stored location (municipality centroids), in pseudonym order.
  struct Group {
    double gx = 0, gy = 0;  // projected location (east, south), degrees of latitude
    std::vector<std::size_t> members;
  };
  std::map<std::pair<long long, long long>, Group> by_location;
  for (std::size_t i = 0; i < n; ++i) {
    const double la = std::isfinite(h.lat[i]) ? h.lat[i] : lat0;
    const double lo = std::isfinite(h.lon[i]) ? h.lon[i] : 0;
    Group& g = by_location[{std::llround(la * 1e5), std::llround(lo * 1e5)}];
    g.gx = lo * kx, g.gy = -la;
    g.members.push_back(i);
  }
  std::vector<Group> groups;
  for (auto& entry : by_location) groups.push_back(std::move(entry.second));
  double min_x = 1e300, max_x = -1e300, min_y = 1e300, max_y = -1e300;
  for (auto& g : groups) {
    std::sort(g.members.begin(), g.members.end(),
              [&](std::size_t a, std::size_t b) { return h.pseudonyms[a] < h.pseudonyms[b]; });
    min_x = std::min(min_x, g.gx), max_x = std::max(max_x, g.gx);
    min_y = std::min(min_y, g.gy), max_y = std::max(max_y, g.gy);
  }
  const double span_x = std::max(max_x - min_x, 1e-9), span_y = std::max(max_y - min_y, 1e-9);

  // Place centroids into the box with margin m, firms on a sunflower spiral around them, push
  // overlapping firms apart; then widen the margin by what spilled over and place again.
  constexpr double kGolden = 2.399963229728653;  // radians
  std::vector<Point> centre(groups.size());
  double margin = node_margin + spacing;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const double scale = std::min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y);
    const double off_x = (width - span_x * scale) / 2, off_y = (height - span_y * scale) / 2;
    for (std::size_t k = 0; k < groups.size(); ++k) {
      const Group& g = groups[k];
      centre[k] = {off_x + (g.gx - min_x) * scale, off_y + (g.gy - min_y) * scale};
      for (std::size_t m = 0; m < g.members.size(); ++m) {
        const double rr = g.members.size() > 1 ? spacing * std::sqrt(m + 0.5) : 0;
        layout.firms[g.members[m]] = {centre[k].x + rr * std::cos(m * kGolden),
                                      centre[k].y + rr * std::sin(m * kGolden)};
      }
    }
    separate(layout.firms, spacing);
    double spill = 0;
    for (const auto& p : layout.firms)
      spill = std::max({spill, node_margin - p.x, p.x - (width - node_margin), node_margin - p.y,
                        p.y - (height - node_margin)});
    if (spill <= 0.5) break;
    margin += spill;
  }
  for (auto& p : layout.firms) {
    p.x = std::clamp(p.x, node_margin, width - node_margin);
    p.y = std::clamp(p.y, node_margin, height - node_margin);
  }

  // Municipality names under their firms, largest groups first, skipping a name that would
  // overlap one already placed (crowded centres keep the larger towns' names).
  std::vector<std::size_t> order(groups.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return groups[a].members.size() > groups[b].members.size();
  });
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;
  for (const std::size_t k : order) {
    const auto& g = groups[k];
    if (h.municipalities.size() <= g.members.front()) continue;
    const std::string& name = h.municipalities[g.members.front()];
    if (name.empty()) continue;
    double bottom = centre[k].y;
    for (const std::size_t i : g.members) bottom = std::max(bottom, layout.firms[i].y);
    const Point at{centre[k].x, bottom + spacing * 0.5 + 10};
    const double half = 2.9 * static_cast<double>(name.size()) + 2;
    const Box box{at.x - half, at.y - 10, at.x + half, at.y + 2};
    if (box.y1 > height) continue;
    bool clash = false;
    for (const Box& b : placed)
      if (box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1) clash = true;
    if (clash) continue;
    placed.push_back(box);
    layout.labels.push_back({name, at});
  }

  // Crop empty space above and below (the region is usually wider than tall).
  double top = height, bottom = 0;
  for (const auto& p : layout.firms)
    top = std::min(top, p.y - node_margin), bottom = std::max(bottom, p.y + node_margin);
  for (const auto& l : layout.labels)
    top = std::min(top, l.at.y - 11), bottom = std::max(bottom, l.at.y + 4);
  top = std::max(top - 4, 0.0);
  for (auto& p : layout.firms) p.y -= top;
  for (auto& l : layout.labels) l.at.y -= top;
  layout.height = std::min(height, bottom + 4) - top;
  return layout;
}

std::string description_of(const ResultsHeader& h) {
  try {
    const YAML::Node root = YAML::Load(h.scenario_text);
    if (root.IsMap() && root["description"] && root["description"].IsScalar())
      return root["description"].as<std::string>();
  } catch (const std::exception&) {
    // A description is a nicety; the stored text was validated when the run started.
  }
  return "";
}

std::string basename_of(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The page

std::string render(const ResultsFile& results, const std::vector<NetworkVariant>& networks,
                   const Options& options) {
  const ResultsHeader& h = results.header;
  const Ranking ranking = compute_ranking(results, options.baseline);
  const std::vector<VariantStyle> styles = variant_styles(results, ranking.baseline);
  const std::size_t firm_count = h.pseudonyms.size();
  std::size_t participants = 0;
  for (const auto p : h.participant) participants += p ? 1 : 0;

  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"klynge "
       << html_escape(h.tool_version)
       << "\">\n<title>klynge report: " << html_escape(h.scenario_name) << "</title>\n<style>"
       << page::kStyle
       << "</style>\n</head>\n<body>\n<div id=\"script-errors\" role=\"alert\"></div>\n<script>"
       << page::kErrorCatcher << "</script>\n<main>\n";

  // ---- header and "what was run" ----
  const std::string description = description_of(h);
  html << "<header class=\"page\"><h1><span class=\"tool\">klynge report \u00b7</span> "
       << html_escape(h.scenario_name) << "</h1>";
  if (!description.empty()) html << "<p class=\"lead\">" << html_escape(description) << "</p>";
  html << "</header>\n";
  if (!results.complete())
    html << "<p class=\"warning\">These results are <strong>incomplete</strong> (the run was "
            "interrupted or failed): only the replicates that finished are used below.</p>\n";

  html << "<section id=\"run\"><h2>What was run</h2>\n<dl class=\"facts\">"
       << "<dt>Scenario</dt><dd>" << html_escape(h.scenario_name) << "</dd>"
       << "<dt>Firms</dt><dd>" << firm_count << " (" << participants
       << " in the target group), shown by pseudonym only; locations are municipality "
          "centroids</dd>"
       << "<dt>Horizon</dt><dd>" << h.horizon << " months (steps)</dd>"
       << "<dt>Replicates</dt><dd>" << h.replicates
       << " per variant, paired across variants (common random numbers)</dd>"
       << "<dt>Seed</dt><dd>" << h.seed << "</dd>"
       << "<dt>Results file</dt><dd>" << html_escape(basename_of(results.path)) << " (status "
       << html_escape(results.status) << ", created " << html_escape(results.created) << ")</dd>"
       << "<dt>klynge</dt><dd>version " << html_escape(h.tool_version) << ", results schema "
       << results.schema_version << "</dd>";
  if (!h.command_line.empty())
    html << "<dt>Command</dt><dd><code>" << html_escape(h.command_line) << "</code></dd>";
  html << "</dl>\n<table class=\"variants\"><thead><tr><th>Variant</th><th "
          "class=\"num\">Replicates</th><th>Interventions</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < results.variants.size(); ++i) {
    const auto& v = results.variants[i];
    const auto* info = i < h.variants.size() ? &h.variants[i] : nullptr;
    html << "<tr><td class=\"name\"><span class=\"swatch" << (styles[i].baseline ? " dashed" : "")
         << "\" style=\"background:" << styles[i].colour << ";color:" << styles[i].colour
         << "\"></span>" << html_escape(v.name) << "</td><td class=\"num\">" << v.completed_count()
         << " / " << v.replicates << "</td><td class=\"interventions\">";
    if (!info || info->intervention_ids.empty())
      html << "none";
    else
      for (std::size_t k = 0; k < info->intervention_ids.size(); ++k) {
        html << (k ? ", " : "") << html_escape(info->intervention_ids[k]);
        if (k < info->intervention_types.size() &&
            info->intervention_types[k] != info->intervention_ids[k])
          html << " (" << html_escape(info->intervention_types[k]) << ")";
      }
    html << "</td></tr>\n";
  }
  html << "</tbody></table>\n";
  if (h.reveal_names)  // the stored text then keeps firm ids (e.g. in target lists): leave it out
    html << "<p class=\"note\">The scenario text is not shown: this results file was written "
            "with --reveal-names, so it may name firms.</p>\n";
  else
    html << "<details><summary>The scenario as given (firm ids replaced by pseudonyms)</summary>"
            "<pre>"
         << html_escape(h.scenario_text) << "</pre></details>\n";
  html << "</section>\n";

  // ---- ranking ----
  html << "<section id=\"ranking\"><h2>Ranking</h2>\n";
  if (!ranking.baseline.empty()) {
    double lo = 0, hi = 0;
    for (const auto& row : ranking.rows)
      for (const double v : {row.effect_lo, row.effect_hi, row.effect_pp})
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    const double pad = std::max((hi - lo) * 0.05, 0.5);
    lo -= pad, hi += pad;
    std::size_t pairs = 0;
    for (const auto& row : ranking.rows) pairs = std::max(pairs, row.pairs);
    html << "<p class=\"lead\">Each variant against <strong>" << html_escape(ranking.baseline)
         << "</strong>, best first: how much more the target group's total revenue grew over "
         << ranking.horizon << " months, paired replicate by replicate (" << pairs
         << " pairs).</p>\n<div class=\"scroll\"><table class=\"ranking\"><thead><tr><th "
            "class=\"num\">#</th>"
            "<th>Variant</th><th class=\"num\">Revenue growth</th><th class=\"num\">Effect vs "
            "baseline (95% CI)</th><th title=\"scale "
         << fixed(lo, 1) << " to " << fixed(hi, 1)
         << " pp; dotted line: no effect\"></th><th class=\"num\">Cost (M DKK)</th>"
            "<th class=\"num\">Partner ties</th><th class=\"num\">Revenue per DKK</th></tr>"
            "</thead><tbody>\n";
    int rank = 0;
    for (const auto& row : ranking.rows) {
      std::string effect = "reference";
      if (!row.baseline) {
        effect = fixed(row.effect_pp, 1, true, "\u2013") + " pp";
        if (std::isfinite(row.effect_lo))
          effect += " <span class=\"ci\">(" + fixed(row.effect_lo, 1, true) + " to " +
                    fixed(row.effect_hi, 1, true) + ")</span>";
      }
      html << "<tr" << (row.baseline ? " class=\"baseline\"" : "") << "><td class=\"num\">"
           << (row.baseline ? "ref." : std::to_string(++rank)) << "</td><td class=\"name\">"
           << html_escape(row.variant) << "</td><td class=\"num\">"
           << (std::isfinite(row.growth_pct) ? fixed(row.growth_pct, 1, true) + " %" : "\u2013")
           << "</td><td class=\"num\">" << effect << "</td><td>" << effect_bar(row, lo, hi)
           << "</td><td class=\"num\">" << fixed(row.cost_mdkk, 2, false, "\u2013")
           << "</td><td class=\"num\">" << fixed(row.partner_ties, 1, false, "\u2013")
           << "</td><td class=\"num\">" << ratio(row.revenue_per_dkk, "\u2013") << "</td></tr>\n";
    }
    html << "</tbody></table></div>\n";
    for (std::size_t i = 0; i + 1 < ranking.rows.size(); ++i)
      if (ranking.rows[i].tied_with_next)
        html << "<p class=\"note\">\u2248 <strong>" << html_escape(ranking.rows[i].variant)
             << "</strong> and <strong>" << html_escape(ranking.rows[i + 1].variant)
             << "</strong> cannot be told apart with these replicates (the 95% CI of their "
                "paired difference in growth includes 0); more replicates may separate them.</p>\n";
    html << "<p class=\"note\"><strong>Revenue growth</strong>: the target "
            "group's total revenue at month "
         << ranking.horizon
         << " relative to month 0, mean over replicates. <strong>Effect</strong>: the mean "
            "paired difference in growth against the baseline, in percentage points, with a 95% "
            "confidence interval (mean \u00b1 1.96 standard errors); an interval that excludes "
            "0 means the difference is not chance. <strong>Cost</strong>: programme cash plus "
            "staff hours, at the end. <strong>Partner ties</strong>: live partner ties at the "
            "end. <strong>Revenue per DKK</strong>: the target group's added annual revenue at "
            "the end per extra DKK of programme cost.</p>\n";
  } else {
    html << "<p class=\"note\">One variant only: nothing to rank against. Revenue growth of the "
            "target group over "
         << ranking.horizon << " months: "
         << (ranking.rows.empty() ? std::string("\u2013")
                                  : fixed(ranking.rows[0].growth_pct, 1, true) + " %")
         << ".</p>\n";
  }
  html << "</section>\n";

  // ---- charts ----
  const std::vector<ChartSpec> charts = {
      {Metric::participant_revenue_mdkk, "Target group's revenue", "% of month 0", "", 1, true,
       false, 1},
      {Metric::ties_partner, "Partner ties", "ties", "", 1, false, true, 1},
      {Metric::participant_largest_component_share, "Largest connected group in the target group",
       "% of the target group", "", 100, false, true, 1},
      {Metric::clusters, "Clusters", "clusters",
       "Communities that qualify as clusters, measured at each community detection.", 1, false,
       true, 2},
      {Metric::strategic_networks, "Strategic networks, cumulative", "networks",
       "Sets of three or more firms that completed a project together successfully.", 1, false,
       true, 2},
      {Metric::cost_dkk_cumulative, "Programme cost so far", "M DKK",
       "Cash plus staff hours priced at the staff hour rate.", 1e-6, false, true, 2},
  };
  std::size_t max_replicates = 0;
  for (const auto& v : results.variants)
    max_replicates = std::max(max_replicates, v.completed_count());
  html << "<section id=\"charts\"><h2>Over time</h2>\n<p class=\"caption\">Lines: mean over "
       << max_replicates
       << " replicates per variant. Bands: 95% confidence interval of the mean (mean \u00b1 1.96 "
          "standard errors), i.e. how precisely the mean is known, not the spread of single "
          "runs. The variants share random numbers, so their differences are more certain than "
          "overlapping bands suggest: see the ranking. Click a variant to hide or show it; hover "
          "to highlight it.</p>\n<div class=\"legend\" role=\"group\" aria-label=\"variants\">";
  for (const auto& s : styles)
    html << "<button type=\"button\" class=\"legend-item\" aria-pressed=\"true\" data-variant=\""
         << html_escape(s.name) << "\"><span class=\"swatch" << (s.baseline ? " dashed" : "")
         << "\" style=\"background:" << s.colour << ";color:" << s.colour << "\"></span>"
         << html_escape(s.name) << "</button>";
  html << "</div>\n<div class=\"charts\">\n";
  for (const auto& spec : charts) html << time_chart(results, styles, spec);
  html << "</div>\n</section>\n";

  // ---- network ----
  constexpr double kNetW = 560, kNetH = 440, kRMin = 3, kRMax = 11;
  html << "<section id=\"network\"><h2>The network, month by month</h2>\n";
  std::string network_json = "null";
  std::vector<const NetworkVariant*> shown;
  for (const auto& nv : networks)
    if (nv.detail.steps > 0 && nv.detail.firms == firm_count) shown.push_back(&nv);
  if (firm_count > options.max_network_firms) {
    html << "<p class=\"note\">" << firm_count << " firms are more than the network view shows ("
         << options.max_network_firms << "); use the HDF5 file's detail tie lists instead.</p>\n";
  } else if (shown.empty()) {
    html << "<p class=\"note\">No detail replicates in this results file (the scenario's "
            "<code>outputs: {detail_replicates: N}</code> was 0), so there is no network to "
            "show.</p>\n";
  } else {
    const Layout layout = geographic_layout(h, kNetW, kNetH, 2 * kRMax + 2, kRMax + 3);
    const int rev_var = [&] {
      for (std::size_t k = 0; k < results.firm_variable_names.size(); ++k)
        if (results.firm_variable_names[k] == "revenue_mdkk") return static_cast<int>(k);
      return static_cast<int>(FirmVariable::revenue_mdkk);
    }();
    const int cluster_var = [&] {
      for (std::size_t k = 0; k < results.firm_variable_names.size(); ++k)
        if (results.firm_variable_names[k] == "cluster") return static_cast<int>(k);
      return static_cast<int>(FirmVariable::cluster);
    }();

    std::ostringstream js;
    js << "{\"horizon\":" << h.horizon << ",\"width\":" << kNetW
       << ",\"height\":" << num(layout.height, 1) << ",\"rmin\":" << kRMin << ",\"rmax\":" << kRMax
       << ",\"noClusterColour\":" << json_string(kNoClusterColour) << ",\"clusterColours\":[";
    for (std::size_t k = 0; k < kClusterColours.size(); ++k)
      js << (k ? "," : "") << json_string(kClusterColours[k]);
    js << "],\"tieTypes\":[";
    for (std::size_t k = 0; k < kTieTypeNames.size(); ++k)
      js << (k ? "," : "") << json_string(kTieTypeNames[k]);
    js << "],\"firms\":[";
    for (std::size_t i = 0; i < firm_count; ++i)
      js << (i ? "," : "") << "{\"id\":" << json_string(h.pseudonyms[i])
         << ",\"m\":" << json_string(i < h.municipalities.size() ? h.municipalities[i] : "")
         << ",\"p\":" << (i < h.participant.size() && h.participant[i] ? 1 : 0)
         << ",\"x\":" << num(layout.firms[i].x, 1) << ",\"y\":" << num(layout.firms[i].y, 1) << "}";
    js << "],\"variants\":{";
    double revmax = 1;
    for (std::size_t k = 0; k < shown.size(); ++k) {
      const NetworkVariant& nv = *shown[k];
      const DetailResults& d = nv.detail;
      js << (k ? "," : "") << json_string(nv.variant) << ":{\"replicate\":" << nv.replicate
         << ",\"revenue\":[";
      for (std::size_t s = 0; s < d.steps; ++s) {
        js << (s ? "," : "") << "[";
        for (std::size_t f = 0; f < d.firms; ++f) {
          const double r = d.trajectory(0, s, f, static_cast<std::size_t>(rev_var));
          if (std::isfinite(r)) revmax = std::max(revmax, r);
          js << (f ? "," : "") << num(r, 1);
        }
        js << "]";
      }
      js << "],\"cluster\":[";
      for (std::size_t s = 0; s < d.steps; ++s) {
        js << (s ? "," : "") << "[";
        for (std::size_t f = 0; f < d.firms; ++f) {
          const double c = d.trajectory(0, s, f, static_cast<std::size_t>(cluster_var));
          js << (f ? "," : "") << (std::isfinite(c) ? num(std::round(c), 0) : "-1");
        }
        js << "]";
      }
      // Ties of detail replicate 0, per step: flat [a, b, trust, type, ...].
      std::vector<std::string> per_step(d.steps);
      for (std::size_t t = 0; t < d.ties.size(); ++t) {
        if (t < d.tie_detail.size() && d.tie_detail[t] != 0) continue;
        const TieRecord& tie = d.ties[t];
        if (tie.step < 0 || static_cast<std::size_t>(tie.step) >= d.steps) continue;
        if (tie.firm_a < 0 || tie.firm_b < 0 ||
            static_cast<std::size_t>(tie.firm_a) >= firm_count ||
            static_cast<std::size_t>(tie.firm_b) >= firm_count)
          continue;
        std::string& out = per_step[static_cast<std::size_t>(tie.step)];
        out += (out.empty() ? "" : ",") + std::to_string(tie.firm_a) + "," +
               std::to_string(tie.firm_b) + "," + num(std::clamp<double>(tie.trust, 0, 1), 2) +
               "," + std::to_string(std::min<int>(tie.type, 2));
      }
      js << "],\"ties\":[";
      for (std::size_t s = 0; s < d.steps; ++s) js << (s ? "," : "") << "[" << per_step[s] << "]";
      js << "]}";
    }
    js << "},\"revmax\":" << num(revmax, 1) << "}";
    network_json = js.str();

    // Panels: the baseline on the left, the chosen variant on the right.
    std::vector<std::string> names;
    for (const auto* nv : shown) names.push_back(nv->variant);
    const auto has = [&](const std::string& n) {
      return std::find(names.begin(), names.end(), n) != names.end();
    };
    std::string left = has(ranking.baseline) ? ranking.baseline : names.front();
    std::string right;
    if (!options.network_variant.empty() && has(options.network_variant))
      right = options.network_variant;
    else if (has("full_programme") && left != "full_programme")
      right = "full_programme";
    else
      for (const auto& n : names)
        if (n != left) {
          right = n;
          break;
        }
    std::vector<std::string> initial = {left};
    if (!right.empty()) initial.push_back(right);

    html << "<p class=\"lead\">One simulated run (replicate " << shown.front()->replicate
         << ") of two variants side by side, from the interview relations at month 0 to month "
         << h.horizon
         << " (shown first). Press play to watch it form, or drag the slider. Both panels use the "
            "same random numbers, so "
            "differences come from the interventions.</p>\n"
            "<div class=\"controls\"><button type=\"button\" id=\"play\" aria-pressed=\"false\">"
            "\u25b6 Play</button><input type=\"range\" id=\"step-slider\" min=\"0\" max=\""
         << h.horizon << "\" value=\"" << h.horizon
         << "\" step=\"1\" aria-label=\"month\"><span id=\"step-label\">Month " << h.horizon
         << " of " << h.horizon
         << "</span><label>Speed <select id=\"speed\"><option value=\"900\">slow</option>"
            "<option value=\"450\" selected>normal</option><option value=\"180\">fast</option>"
            "</select></label></div>\n<div class=\"panels\">\n";
    for (std::size_t p = 0; p < initial.size(); ++p) {
      html << "<div class=\"panel\" id=\"panel-" << p
           << "\"><label>Variant <select "
              "id=\"network-variant-"
           << p << "\">";
      for (const auto& n : names)
        html << "<option value=\"" << html_escape(n) << "\"" << (n == initial[p] ? " selected" : "")
             << ">" << html_escape(n) << "</option>";
      html << "</select></label><div class=\"stats\">&nbsp;</div>\n<svg class=\"network-svg\" "
              "viewBox=\"0 0 "
           << kNetW << " " << num(layout.height, 1)
           << "\" role=\"img\" aria-label=\"collaboration network of the firms\"><g "
              "class=\"labels\">";
      for (const auto& label : layout.labels)
        html << "<text class=\"muni\" x=\"" << num(label.at.x, 1) << "\" y=\"" << num(label.at.y, 1)
             << "\">" << html_escape(label.name) << "</text>";
      html << "</g></svg></div>\n";
    }
    html << "</div>\n<div class=\"net-legend\">"
            "<span><svg width=\"46\" height=\"14\">";
    for (std::size_t k = 0; k < 3; ++k)
      html << "<circle cx=\"" << 7 + 15 * k << "\" cy=\"7\" r=\"6\" fill=\"" << kClusterColours[k]
           << "\"/>";
    html << "</svg> colour: cluster</span><span><svg width=\"14\" height=\"14\"><circle cx=\"7\" "
            "cy=\"7\" r=\"6\" fill=\""
         << kNoClusterColour
         << "\"/></svg> in no cluster</span><span><svg width=\"16\" height=\"16\"><circle "
            "cx=\"8\" cy=\"8\" r=\"6\" fill=\"#fff\" stroke=\"#111\" stroke-width=\"2.2\"/></svg> "
            "ring: target group (participant)</span><span>size: revenue</span>"
            "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
            "stroke=\"#555\" stroke-width=\"2.5\"/></svg> partner tie</span>"
            "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
            "stroke=\"#555\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/></svg> knowledge "
            "tie</span><span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" "
            "y2=\"5\" stroke=\"#a9a9a9\" stroke-width=\"2\"/></svg> trade tie</span>"
            "<span><svg width=\"30\" height=\"10\"><line x1=\"2\" x2=\"28\" y1=\"5\" y2=\"5\" "
            "stroke=\"#d55e00\" stroke-width=\"2.5\"/></svg> formed this month</span>"
            "<span>thicker, darker: more trust</span></div>\n"
            "<p class=\"note\">Firms are placed at their municipality (firms in one municipality "
            "around it). Hover a firm for its pseudonym, revenue and cluster. Cluster colours "
            "follow the latest community detection, so a cluster may change colour when it is "
            "detected anew.</p>\n";
  }
  html << "</section>\n";

  html << "<footer>Made by klynge " << html_escape(h.tool_version) << " from "
       << html_escape(basename_of(results.path))
       << ". This page is self-contained: it needs no network connection and can be forwarded "
          "as one file. Firms appear by pseudonym only.</footer>\n</main>\n";

  // ---- data and script ----
  html << "<script type=\"application/json\" id=\"klynge-data\">{\"scenario\":"
       << json_string(h.scenario_name) << ",\"variants\":[";
  for (std::size_t i = 0; i < styles.size(); ++i)
    html << (i ? "," : "") << "{\"name\":" << json_string(styles[i].name)
         << ",\"colour\":" << json_string(styles[i].colour)
         << ",\"baseline\":" << (styles[i].baseline ? "true" : "false") << "}";
  html << "],\"network\":" << network_json << "}</script>\n<script>" << page::kScript
       << "</script>\n</body>\n</html>\n";
  return html.str();
}

std::string render(const std::string& results_path, const Options& options) {
  const ResultsFile results = read_results(results_path);
  std::vector<NetworkVariant> networks;
  if (results.header.pseudonyms.size() <= options.max_network_firms)
    for (const auto& v : results.variants) {
      if (!v.has_detail) continue;
      NetworkVariant nv;
      nv.variant = v.name;
      nv.detail = read_detail(results_path, v.name);
      if (nv.detail.detail_replicates == 0 || nv.detail.replicate.empty() ||
          nv.detail.replicate[0] < 0)
        continue;  // detail replicate 0 was never written (interrupted run)
      nv.replicate = nv.detail.replicate[0];
      networks.push_back(std::move(nv));
    }
  return render(results, networks, options);
}

std::size_t write(const std::string& results_path, const std::string& output_path,
                  const Options& options) {
  const std::string page_text = render(results_path, options);
  const std::string tmp = output_path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw InputError({output_path, 0, 0}, "", "cannot write the report here");
    out << page_text;
    out.close();
    if (!out) throw InputError({output_path, 0, 0}, "", "writing the report failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, output_path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw InputError({output_path, 0, 0}, "", "cannot write the report here");
  }
  return page_text.size();
}

}  // namespace klynge::analysis::report
