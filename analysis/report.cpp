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
#include "analysis/report_uncertainty.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/metrics.hpp"
#include "sim/core/results.hpp"
#include "sim/io/output_file.hpp"

namespace klynge::analysis::report {

namespace detail {

std::string json_string(std::string_view text) {
  // compare's JSON escaping, then the three characters that could end a <script> element.
  const std::string escaped = json_escape(std::string(text));
  std::string out;
  out.reserve(escaped.size() + 2);
  out += '"';
  for (const char ch : escaped) {
    switch (ch) {
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
        out += ch;  // UTF-8 passes through
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

// Chart tooltips: fixed decimals, "-" for NaN, no "-0".
std::string fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v == 0 ? 0.0 : v);
  std::string s = buf;
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

// metric value of a completed replicate, NaN otherwise (or when the metric is missing).
double value_at(const VariantResults& v, std::size_t r, std::size_t step, int metric) {
  if (metric < 0 || r >= v.completed.size() || !v.completed[r] || step >= v.steps) return kNaN;
  return v.metric(r, step, static_cast<std::size_t>(metric));
}

// Numbers as `klynge compare` shows them (format_number: rounded to the CI's precision).
constexpr double kMdkkPerDkk = 1e-6;

std::string shown(const Estimate& e, double scale = 1, bool plus = false) {
  return format_number(e.mean * scale, e.half_width * scale, plus);
}

// The CI's two ends, rounded like its mean; "" without a CI or without spread (compare shows
// none then either).
std::pair<std::string, std::string> shown_ci(const Estimate& e, double scale = 1) {
  if (!e.has_ci() || !std::isfinite(e.ci_low) || !(e.sd > 0)) return {};
  const double half = e.half_width * scale;
  return {format_number(e.ci_low * scale, half), format_number(e.ci_high * scale, half)};
}

// What a row of the ranking shows: compare's outcomes for one variant.
struct RowOutcomes {
  const Estimate* cost = nullptr;          // level cost_dkk, DKK
  const Estimate* partner_ties = nullptr;  // effect ties_partner, ties (not for the baseline)
  const Estimate* per_dkk = nullptr;       // effect value_added_per_dkk, DKK/DKK (not the baseline)
  const Estimate* per_job = nullptr;       // effect cost_per_job, DKK (not the baseline)
};

RowOutcomes outcomes_of(const VariantComparison& v) {
  RowOutcomes o;
  if (const Outcome* cost = v.level("cost_dkk")) o.cost = &cost->estimate;
  if (const Outcome* ties = v.effect("ties_partner")) o.partner_ties = &ties->estimate;
  if (const Outcome* ratio = v.effect("value_added_per_dkk")) o.per_dkk = &ratio->estimate;
  if (const Outcome* job = v.effect("cost_per_job")) o.per_job = &job->estimate;
  return o;
}

Estimate negated(Estimate e) {
  e.mean = -e.mean;
  const double low = e.ci_low;
  e.ci_low = -e.ci_high;
  e.ci_high = -low;
  return e;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Ranking: compare()'s, presented

std::vector<const VariantComparison*> rank_order(const Comparison& comparison) {
  std::vector<const VariantComparison*> order;
  for (const auto& v : comparison.variants) order.push_back(&v);
  std::stable_sort(order.begin(), order.end(),
                   [](const VariantComparison* a, const VariantComparison* b) {
                     if ((a->rank == 0) != (b->rank == 0)) return b->rank == 0;
                     return a->rank < b->rank;
                   });
  return order;
}

std::vector<Neighbours> neighbours(const Comparison& comparison) {
  const std::vector<const VariantComparison*> order = rank_order(comparison);
  std::vector<Neighbours> pairs;
  for (std::size_t i = 0; i + 1 < order.size(); ++i) {
    Neighbours n;
    n.higher = order[i];
    n.lower = order[i + 1];
    if (n.lower->is_baseline) {
      n.difference = n.higher->rank_effect;
    } else if (n.higher->is_baseline) {
      n.difference = negated(n.lower->rank_effect);
    } else {
      // compare pairs every variant with the baseline only: difference these two replicate by
      // replicate over the ranking replicates (common random numbers).
      const std::vector<double>& x = n.higher->rank_values;
      const std::vector<double>& y = n.lower->rank_values;
      std::vector<double> diff(std::min(x.size(), y.size()));
      for (std::size_t r = 0; r < diff.size(); ++r) diff[r] = x[r] - y[r];
      n.difference = estimate_mean(diff);
    }
    pairs.push_back(n);
  }
  return pairs;
}

std::string format_ranking(const Comparison& c) {
  std::ostringstream out;
  const bool against = c.variants.size() > 1;
  out << "Ranking by " << c.metric_label << " " << c.reading();
  if (against)
    out << ", each variant against '" << c.baseline
        << "'\n(the numbers of 'klynge compare': paired over the " << c.ranking_replicates
        << " replicates completed in every variant;\nmean [95% confidence interval])\n\n";
  else
    out << " (" << c.ranking_replicates << " replicates)\n\n";

  using Line = std::array<std::string, 8>;
  std::vector<Line> lines;
  lines.push_back({"rank", "variant", "revenue growth", "vs baseline (pp)", "cost (mDKK)",
                   "partner ties vs baseline", "value added per DKK", "cost per job (kDKK)"});
  for (const VariantComparison* v : rank_order(c)) {
    const RowOutcomes o = outcomes_of(*v);
    Line line;
    line[0] = v->rank ? std::to_string(v->rank) : "-";
    line[1] = v->name;
    line[2] = std::isfinite(v->rank_level.mean) ? shown(v->rank_level, 1, true) + "%" : "-";
    if (v->is_baseline) {
      line[3] = "reference";
    } else {
      line[3] = shown(v->rank_effect, 1, true);
      const auto [low, high] = shown_ci(v->rank_effect);
      if (!low.empty()) line[3] += " [" + low + ", " + high + "]";
    }
    line[4] = o.cost ? shown(*o.cost, kMdkkPerDkk) : "-";
    line[5] = o.partner_ties ? shown(*o.partner_ties, 1, true) : "-";
    line[6] = o.per_dkk && std::isfinite(o.per_dkk->mean) ? shown(*o.per_dkk) : "-";
    line[7] = o.per_job && std::isfinite(o.per_job->mean) ? shown(*o.per_job, 1e-3) : "-";
    lines.push_back(std::move(line));
  }
  // Column widths count bytes; every cell is ASCII (variant names aside). Text columns are
  // left-aligned, numbers right-aligned.
  std::array<std::size_t, 8> width{};
  for (const Line& l : lines)
    for (std::size_t k = 0; k < l.size(); ++k) width[k] = std::max(width[k], l[k].size());
  constexpr std::array<bool, 8> kLeft = {false, true, false, true, false, false, false, false};
  for (const Line& l : lines) {
    std::string text;
    for (std::size_t k = 0; k < l.size(); ++k) {
      const std::string fill(width[k] - l[k].size(), ' ');
      text += (k ? "  " : "") + (kLeft[k] ? l[k] + fill : fill + l[k]);
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  }
  for (const Neighbours& n : neighbours(c))
    if (!n.told_apart()) {
      out << "\nnot told apart: " << n.higher->name << " and " << n.lower->name
          << "\n  (the 95% CI of their paired difference";
      const auto [low, high] = shown_ci(n.difference);
      if (!n.difference.has_ci())
        out << ": none with fewer than two replicates)";
      else if (low.empty())
        out << " includes 0)";
      else
        out << ", " << shown(n.difference, 1, true) << " " << c.metric_difference_unit << " ["
            << low << ", " << high << "], includes 0)";
    }
  out << "\n\nrevenue growth: participants' total revenue vs month 0, " << c.reading()
      << "; vs baseline: its paired\ndifference, percentage points; cost: the variant's cash + "
         "staff hours at month "
      << c.month << "; partner ties vs baseline:\nthe paired difference in live partner ties, "
      << c.reading()
      << "; value added per DKK: the paired\ndifference in regional value added (participants + "
         "non-participants, "
      << format_number(c.value_added_share, Estimate::nan) << " x revenue) over months 1-"
      << c.month
      << ",\nper DKK of incremental cost (the variant's cost - the baseline's); cost per job: "
         "incremental cost per\nadditional job (all firms) at month "
      << c.month << ". 'klynge compare' has every outcome with its confidence interval.\n";
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

using detail::variant_styles;
using detail::VariantStyle;

}  // namespace

std::vector<detail::VariantStyle> detail::variant_styles(const ResultsFile& results,
                                                         const std::string& baseline) {
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

namespace {

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
    const Estimate m = estimate_mean(values);
    if (m.n == 0) continue;
    const double half = m.has_ci() ? m.half_width : 0.0;
    band.mean[s] = m.mean;
    band.lo[s] = m.mean - half;
    if (spec.include_zero) band.lo[s] = std::max(band.lo[s], 0.0);  // counts, shares, costs
    band.hi[s] = m.mean + half;
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
std::string effect_bar(const VariantComparison& v, double lo, double hi) {
  constexpr double W = 130, H = 18, M = 6;
  const auto px = [&](double x) { return M + (x - lo) / (hi - lo) * (W - 2 * M); };
  const Estimate& e = v.rank_effect;
  std::ostringstream s;
  s << "<svg class=\"effect\" width=\"" << W << "\" height=\"" << H << "\" viewBox=\"0 0 " << W
    << " " << H << "\" aria-hidden=\"true\"><line class=\"zero\" x1=\"" << num(px(0), 1)
    << "\" x2=\"" << num(px(0), 1) << "\" y1=\"1\" y2=\"" << H - 1 << "\"/>";
  if (!v.is_baseline && std::isfinite(e.mean)) {
    if (e.has_ci() && std::isfinite(e.ci_low))
      s << "<line class=\"ci\" x1=\"" << num(px(e.ci_low), 1) << "\" x2=\"" << num(px(e.ci_high), 1)
        << "\" y1=\"" << H / 2 << "\" y2=\"" << H / 2 << "\"/>";
    s << "<circle class=\"pt\" r=\"4\" cx=\"" << num(px(e.mean), 1) << "\" cy=\"" << H / 2
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

// The incremental cost-effectiveness table (compare's): variants by cost, the frontier, the
// dominated ones, and each frontier step's extra value added per extra DKK.
static std::string cost_effect_html(const Comparison& c) {
  if (c.cost_effect.size() < 2) return "";
  std::ostringstream html;
  const auto mdkk = [](double dkk, bool plus) {
    return std::isfinite(dkk) ? format_number(dkk * kMdkkPerDkk, Estimate::nan, plus)
                              : std::string("\u2013");
  };
  html << "<h3>Incremental cost-effectiveness</h3>\n<p class=\"note\">As health economists "
          "compare treatments (NICE reference case): variants sorted by cost; "
          "<em>dominated</em>: another variant costs no more and adds at least as much value; "
          "<em>extendedly dominated</em>: a mix of its two neighbours would do better. Along the "
          "efficiency frontier, each step's extra value added per extra DKK. Value added: the "
          "region's, over months 1\u2013"
       << c.month << ", against " << html_escape(c.baseline)
       << ".</p>\n<div class=\"scroll\"><table class=\"cost-effect\"><thead><tr><th>Variant</th>"
          "<th class=\"num\">Cost, mDKK</th><th class=\"num\">Value added vs "
       << html_escape(c.baseline)
       << ", mDKK</th><th>Status</th><th class=\"num\">Extra value added per extra "
          "DKK</th></tr></thead><tbody>\n";
  for (const CostEffectPoint& p : c.cost_effect) {
    std::string status = p.status;
    if (p.status == "dominated") status = "dominated by " + p.dominated_by;
    if (p.status == "extendedly_dominated")
      status = "extendedly dominated (" + p.dominated_by + ")";
    if (p.status == "frontier") status = "on the frontier";
    std::string step = "\u2013";
    if (!p.previous.empty()) {
      step = format_number(p.value_added_per_dkk, Estimate::nan) + " vs " + p.previous;
      if (p.step_effect.has_ci() && !p.step_effect.distinguishable())
        step += " (not distinguishable from zero)";
    }
    html << "<tr data-variant=\"" << html_escape(p.variant) << "\"><td class=\"name\">"
         << html_escape(p.variant) << "</td><td class=\"num\">" << mdkk(p.cost_dkk, false)
         << "</td><td class=\"num\">" << mdkk(p.effect_dkk, true) << "</td><td>"
         << html_escape(status) << "</td><td class=\"num\">" << html_escape(step) << "</td></tr>\n";
  }
  html << "</tbody></table></div>\n";
  return html.str();
}

// ---------------------------------------------------------------------------------------------
// The page

std::string render(const ResultsFile& results, const std::vector<NetworkVariant>& networks,
                   const Options& options) {
  const ResultsHeader& h = results.header;
  CompareOptions compare_options;
  compare_options.baseline = options.baseline;
  const Comparison comparison = compare(results, compare_options);
  // One variant has nothing to be the baseline of: no reference styling then.
  const std::string baseline = results.variants.size() > 1 ? comparison.baseline : "";
  const std::vector<VariantStyle> styles = variant_styles(results, baseline);
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
       << " per variant, paired across variants (common random numbers)"
       << (h.uncertainty.draws > 0
               ? ": " + std::to_string(h.uncertainty.draws) +
                     (h.uncertainty.sampling == "grid" ? " grid points" : " parameter draws") +
                     " \u00d7 " + std::to_string(h.uncertainty.replicates_per_draw)
               : std::string())
       << "</dd>"
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

  // ---- a probabilistic run or a sweep: how the comparison spreads over the draws ----
  const UncertaintySection uncertainty = uncertainty_section(results, compare_options, styles);
  html << uncertainty.html;

  // ---- ranking (compare's numbers) ----
  html << "<section id=\"ranking\"><h2>Ranking</h2>\n";
  const std::vector<const VariantComparison*> order = rank_order(comparison);
  if (!baseline.empty()) {
    double lo = 0, hi = 0;
    for (const VariantComparison* v : order)
      if (!v->is_baseline)
        for (const double x : {v->rank_effect.ci_low, v->rank_effect.ci_high, v->rank_effect.mean})
          if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    const double pad = std::max((hi - lo) * 0.05, 0.5);
    lo -= pad, hi += pad;
    const auto with_ci = [](const Estimate& e, double scale, bool plus) {
      std::string text = shown(e, scale, plus);
      const auto [low, high] = shown_ci(e, scale);
      if (!low.empty()) text += " <span class=\"ci\">(" + low + " to " + high + ")</span>";
      return text;
    };
    html << "<p class=\"lead\">Each variant against <strong>" << html_escape(baseline)
         << "</strong>, best first: how much more the target group's total revenue grew ("
         << html_escape(comparison.reading()) << "), paired replicate by replicate over the "
         << comparison.ranking_replicates
         << " replicates completed in every variant. The numbers are those of <code>klynge "
            "compare</code>.</p>\n<div class=\"scroll\"><table class=\"ranking\"><thead><tr>"
            "<th class=\"num\">#</th><th>Variant</th><th class=\"num\">Revenue growth</th>"
            "<th class=\"num\">vs baseline, pp (95% CI)</th><th title=\"scale "
         << num(lo, 1) << " to " << num(hi, 1)
         << " pp; dotted line: no effect\"></th><th class=\"num\">Cost (mDKK)</th>"
            "<th class=\"num\">Partner ties vs baseline</th><th class=\"num\">Value added "
            "per DKK (95% CI)</th><th class=\"num\">Cost per job, thousand DKK (95% CI)</th></tr>"
            "</thead><tbody>\n";
    for (const VariantComparison* v : order) {
      const RowOutcomes o = outcomes_of(*v);
      html << "<tr" << (v->is_baseline ? " class=\"baseline\"" : "") << " data-variant=\""
           << html_escape(v->name) << "\"><td class=\"num\">"
           << (v->rank ? std::to_string(v->rank) : "\u2013") << "</td><td class=\"name\">"
           << html_escape(v->name)
           << (v->is_baseline && v->name != "baseline" ? " <span class=\"ci\">(baseline)</span>"
                                                       : "")
           << "</td><td class=\"num\">"
           << (std::isfinite(v->rank_level.mean) ? shown(v->rank_level, 1, true) + " %" : "\u2013")
           << "</td><td class=\"num\">"
           << (v->is_baseline ? std::string("reference") : with_ci(v->rank_effect, 1, true))
           << "</td><td>" << effect_bar(*v, lo, hi) << "</td><td class=\"num\">"
           << (o.cost ? shown(*o.cost, kMdkkPerDkk) : "\u2013") << "</td><td class=\"num\">"
           << (o.partner_ties ? shown(*o.partner_ties, 1, true) : "\u2013")
           << "</td><td class=\"num\">"
           << (o.per_dkk && std::isfinite(o.per_dkk->mean) ? with_ci(*o.per_dkk, 1, false)
                                                           : "\u2013")
           << "</td><td class=\"num\">"
           << (o.per_job && std::isfinite(o.per_job->mean) ? with_ci(*o.per_job, 1e-3, false)
                                                           : "\u2013")
           << "</td></tr>\n";
    }
    html << "</tbody></table></div>\n";
    for (const Neighbours& n : neighbours(comparison))
      if (!n.told_apart())
        html << "<p class=\"note not-told-apart\">\u2248 <strong>" << html_escape(n.higher->name)
             << "</strong> and <strong>" << html_escape(n.lower->name)
             << "</strong> cannot be told apart with these replicates (the 95% CI of their "
                "paired difference in growth includes 0); more replicates may separate them.</p>\n";
    html << "<p class=\"note\"><strong>Revenue growth</strong>: the target group's total "
            "revenue relative to month 0, "
         << html_escape(comparison.reading())
         << ", mean over replicates (averaging over the months means a programme that starts late "
            "cannot win by timing alone). <strong>vs baseline</strong>: the mean paired "
            "difference in growth against the baseline, in percentage points, with a 95% "
            "confidence interval (Student t); an interval that excludes 0 means the difference is "
            "not chance. <strong>Cost</strong>: the variant's programme cash plus staff hours at "
            "month "
         << comparison.month
         << ", in million DKK. <strong>Partner ties vs baseline</strong>: the mean paired "
            "difference in live partner ties. <strong>Value added per DKK</strong>: the region's "
            "added value added (participants and non-participants, so displacement is netted "
            "out; value added = "
         << format_number(comparison.value_added_share, Estimate::nan)
         << " \u00d7 revenue) over months 1\u2013" << comparison.month
         << ", per DKK of incremental cost (the variant's cost minus the baseline's), with its "
            "95% CI (delta method). <strong>Cost per job</strong>: incremental cost per "
            "additional job in the region at month "
         << comparison.month
         << "; no CI when the job effect is not distinguishable from zero. \u2013: not defined "
            "(no incremental cost, or no additional jobs). These are the numbers of <code>klynge "
            "compare</code>, which also has every other outcome (docs/compare.md).</p>\n";
    html << cost_effect_html(comparison);
  } else {
    const Estimate growth =
        order.empty() ? Estimate{} : order.front()->rank_level;  // the only variant
    html << "<p class=\"note\">One variant only: nothing to rank against. Revenue growth of the "
            "target group over "
         << comparison.horizon << " months: "
         << (std::isfinite(growth.mean) ? shown(growth, 1, true) + " %" : std::string("\u2013"))
         << ".</p>\n";
  }
  if (!comparison.programmes.empty())
    html << "<h3>What each programme did</h3>\n<p class=\"note\">Per variant: cash and cost at "
            "month "
         << comparison.month << " and staff hours over months 1\u2013" << comparison.month
         << " (means over every replicate); per activity its schedule, the months it actually "
            "ran, its ring-fenced envelope, the cash it committed, its runs, the runs skipped "
            "and the units (firms, introductions, clusters) its budget or the staff hours did "
            "not pay for (means over the detail replicates).</p>\n<pre class=\"programme\">"
         << html_escape(format_programmes(comparison.programmes, comparison.month)) << "</pre>\n";
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
       << " replicates per variant. Bands: 95% confidence interval of the mean (Student t, as in "
          "<code>klynge compare</code>), i.e. how precisely the mean is known, not the spread of "
          "single "
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
    std::string left = has(baseline) ? baseline : names.front();
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
  html << uncertainty_scripts(uncertainty);
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
  write_file_safely(output_path, page_text, true, "report");
  return page_text.size();
}

}  // namespace klynge::analysis::report
