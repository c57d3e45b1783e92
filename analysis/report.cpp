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

#include "analysis/report_network.hpp"
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

}  // namespace detail

namespace {

using detail::html_escape;
using detail::json_string;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

using detail::num;

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
// Dash patterns of the non-baseline variants, one per round of the seven colours.
constexpr std::array<const char*, 4> kVariantDashes = {"", "8 3", "2 3", "10 3 2 3"};
constexpr const char* kBaselineDash = "6 4";

using detail::variant_styles;
using detail::VariantStyle;

}  // namespace

std::vector<detail::VariantStyle> detail::variant_styles(const ResultsFile& results,
                                                         const std::string& baseline) {
  std::vector<VariantStyle> styles;
  std::size_t k = 0;
  for (std::size_t i = 0; i < results.variants.size(); ++i) {
    const auto& v = results.variants[i];
    VariantStyle s;
    s.name = v.name;
    s.label = i < results.header.variants.size() && results.header.variants[i].name == v.name
                  ? results.header.variants[i].display_name()
                  : v.name;
    s.baseline = !baseline.empty() && v.name == baseline;
    if (s.baseline) {
      s.colour = kBaselineColour;
      s.dash = kBaselineDash;
    } else {
      s.colour = kVariantColours[k % kVariantColours.size()];
      s.dash = kVariantDashes[(k / kVariantColours.size()) % kVariantDashes.size()];
      ++k;
    }
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
        << html_escape(style.label) << ": " << fixed(band.mean[last], spec.decimals) << " "
        << html_escape(spec.unit) << " at month " << last << " (95% CI "
        << fixed(band.lo[last], spec.decimals) << " to " << fixed(band.hi[last], spec.decimals)
        << "; " << band.replicates << " replicates)</title>";
    svg << "<path class=\"band\" fill=\"" << style.colour << "\" d=\"" << area << "\"/>";
    svg << "<path class=\"line\" stroke=\"" << style.colour << "\""
        << (style.dash.empty() ? "" : " stroke-dasharray=\"" + style.dash + "\"") << " d=\"" << line
        << "\"/>";
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

// The effect and its 95% CI on a scale shared by all rows of the ranking table: a bar for the
// interval with end caps, a dot for the mean, a dotted line at "no effect". The scale itself is
// drawn once, in the column's header (effect_scale), with the same width and mapping.
constexpr double kBarW = 140, kBarM = 10;

std::string effect_bar(const VariantComparison& v, double lo, double hi) {
  constexpr double H = 22;
  const auto px = [&](double x) { return kBarM + (x - lo) / (hi - lo) * (kBarW - 2 * kBarM); };
  const Estimate& e = v.rank_effect;
  std::ostringstream s;
  s << "<svg class=\"effect\" width=\"" << kBarW << "\" height=\"" << H << "\" viewBox=\"0 0 "
    << kBarW << " " << H << "\" aria-hidden=\"true\"><line class=\"zero\" x1=\"" << num(px(0), 1)
    << "\" x2=\"" << num(px(0), 1) << "\" y1=\"0\" y2=\"" << H << "\"/>";
  if (!v.is_baseline && std::isfinite(e.mean)) {
    if (e.has_ci() && std::isfinite(e.ci_low)) {
      const double x0 = px(e.ci_low), x1 = px(e.ci_high);
      s << "<rect class=\"ci\" x=\"" << num(x0, 1) << "\" y=\"" << H / 2 - 4 << "\" width=\""
        << num(std::max(x1 - x0, 1.0), 1) << "\" height=\"8\" rx=\"2\"/>";
      for (const double x : {x0, x1})
        s << "<line class=\"cap\" x1=\"" << num(x, 1) << "\" x2=\"" << num(x, 1) << "\" y1=\""
          << H / 2 - 7 << "\" y2=\"" << H / 2 + 7 << "\"/>";
    }
    s << "<circle class=\"pt\" r=\"5\" cx=\"" << num(px(e.mean), 1) << "\" cy=\"" << H / 2
      << "\"/>";
  }
  s << "</svg>";
  return s.str();
}

// The scale of effect_bar: ticks with their values in percentage points.
std::string effect_scale(double lo, double hi) {
  constexpr double H = 26;
  const auto px = [&](double x) { return kBarM + (x - lo) / (hi - lo) * (kBarW - 2 * kBarM); };
  const Axis a = nice_axis(lo, hi, 3, true);
  std::ostringstream s;
  s << "<svg class=\"effect-scale\" width=\"" << kBarW << "\" height=\"" << H << "\" viewBox=\"0 0 "
    << kBarW << " " << H
    << "\" role=\"img\" aria-label=\"scale of the effect, percentage points\"><line x1=\"" << kBarM
    << "\" x2=\"" << kBarW - kBarM << "\" y1=\"" << H - 4 << "\" y2=\"" << H - 4 << "\"/>";
  for (double t = a.lo; t <= a.hi + a.step * 1e-6; t += a.step) {
    if (t < lo - 1e-9 || t > hi + 1e-9) continue;
    s << "<line x1=\"" << num(px(t), 1) << "\" x2=\"" << num(px(t), 1) << "\" y1=\"" << H - 8
      << "\" y2=\"" << H - 4 << "\"/><text x=\"" << num(px(t), 1) << "\" y=\"" << H - 11
      << "\" text-anchor=\"middle\">" << (t > 0 ? "+" : "") << num(t, a.decimals) << "</text>";
  }
  s << "</svg>";
  return s.str();
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
  // Labels (`label:`) where the scenario gives them; "A and B" (extended dominance) stays as is.
  const auto label = [&](const std::string& name) {
    const VariantComparison* v = c.find(name);
    return v && !v->label.empty() ? v->label : name;
  };
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
       << c.month << ", against " << html_escape(label(c.baseline))
       << ".</p>\n<div class=\"scroll\"><table class=\"cost-effect\"><thead><tr><th>Variant</th>"
          "<th class=\"num\">Cost, mDKK</th><th class=\"num\">Value added vs "
       << html_escape(label(c.baseline))
       << ", mDKK</th><th>Status</th><th class=\"num\">Extra value added per extra "
          "DKK</th></tr></thead><tbody>\n";
  for (const CostEffectPoint& p : c.cost_effect) {
    std::string status = p.status;
    if (p.status == "dominated") status = "dominated by " + label(p.dominated_by);
    if (p.status == "extendedly_dominated")
      status = "extendedly dominated (" + p.dominated_by + ")";
    if (p.status == "frontier") status = "on the frontier";
    std::string step = "\u2013";
    if (!p.previous.empty()) {
      step = format_number(p.value_added_per_dkk, Estimate::nan) + " vs " + label(p.previous);
      if (p.step_effect.has_ci() && !p.step_effect.distinguishable())
        step += " (not distinguishable from zero)";
    }
    html << "<tr data-variant=\"" << html_escape(p.variant) << "\"><td class=\"name\">"
         << html_escape(label(p.variant)) << "</td><td class=\"num\">" << mdkk(p.cost_dkk, false)
         << "</td><td class=\"num\">" << mdkk(p.effect_dkk, true) << "</td><td>"
         << html_escape(status) << "</td><td class=\"num\">" << html_escape(step) << "</td></tr>\n";
  }
  html << "</tbody></table></div>\n";
  return html.str();
}

// ---------------------------------------------------------------------------------------------
// The page: one function per section, in page order. A recipient reads the answer first (the
// headline), then the ranking, the charts and the network; how the numbers were made (the
// methods note) and what exactly was run (provenance) come last.

namespace {

struct Page {
  const ResultsFile& results;
  const ResultsHeader& h;
  const Comparison& comparison;
  const std::vector<VariantStyle>& styles;
  std::string baseline;  // "" with one variant only

  // The variant's display label (`label:`), else its name.
  std::string label(const std::string& name) const {
    for (const auto& s : styles)
      if (s.name == name) return s.label;
    return name;
  }
};

// "+1.2 (0.9 to 1.5)" with the CI in a muted span.
std::string with_ci(const Estimate& e, double scale, bool plus) {
  std::string text = shown(e, scale, plus);
  const auto [low, high] = shown_ci(e, scale);
  if (!low.empty()) text += " <span class=\"ci\">(" + low + " to " + high + ")</span>";
  return text;
}

// A number for a data attribute: full precision, so tests can compare it with compare's JSON.
std::string exact(double v) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// The page's own header (the <head> and the opening of <main> are report.html's).
std::string header_html(const Page& p) {
  std::ostringstream html;
  const std::string description = description_of(p.h);
  html << "<header class=\"page\"><h1>" << html_escape(p.h.scenario_name) << "</h1>";
  if (!description.empty()) html << "<p class=\"lead\">" << html_escape(description) << "</p>";
  html << "</header>\n";
  if (!p.results.complete())
    html << "<p class=\"warning\">These results are <strong>incomplete</strong> (the run was "
            "interrupted or failed): only the runs that finished are used below.</p>\n";
  return html.str();
}

// The answer in one paragraph, with compare's numbers: the best programme, its effect on the
// target group's revenue at the horizon, its cost and its value added per DKK.
std::string headline_html(const Page& p) {
  const Comparison& c = p.comparison;
  std::ostringstream html;
  html << "<section id=\"headline\"><h2>The answer in brief</h2>\n";
  const std::vector<const VariantComparison*> order = rank_order(c);
  std::size_t programmes = 0;
  for (const auto* v : order) programmes += v->is_baseline ? 0 : 1;
  const VariantComparison* best = nullptr;
  for (const auto* v : order)
    if (v->rank > 0) {
      best = v;
      break;
    }
  if (p.baseline.empty() || programmes == 0 || !best) {
    html << "<p class=\"headline\">One variant only ("
         << html_escape(p.label(order.empty() ? "" : order.front()->name))
         << "): nothing to compare it with. Its target group's revenue grew "
         << (best && std::isfinite(best->rank_level.mean) ? shown(best->rank_level, 1, true) + " %"
                                                          : std::string("\u2013"))
         << " on average over the " << c.month << " months.</p>\n</section>\n";
    return html.str();
  }
  const std::string reference = html_escape(p.label(c.baseline));
  if (best->is_baseline) {
    html << "<p class=\"headline\" data-variant=\"" << html_escape(best->name) << "\">Of the "
         << programmes << " programmes compared with <em>" << reference
         << "</em>, none grows the target firms' revenue more than " << reference
         << " does over the " << c.month << " months.</p>\n</section>\n";
    return html.str();
  }
  const Estimate* at_horizon = nullptr;
  for (const auto& t : best->trajectories)
    if (t.name == c.metric && !t.by_month.empty()) at_horizon = &t.by_month.back();
  const RowOutcomes o = outcomes_of(*best);
  html << "<p class=\"headline\" data-variant=\"" << html_escape(best->name) << "\">Of the "
       << programmes << " programmes compared with <em>" << reference
       << "</em>, <strong class=\"best\">" << html_escape(p.label(best->name))
       << "</strong> grows the target firms most";
  if (at_horizon && std::isfinite(at_horizon->mean)) {
    const auto [low, high] = shown_ci(*at_horizon);
    html << ": by month " << c.month << " their revenue is <span class=\"figure\" "
         << "data-key=\"growth_at_horizon\" data-value=\"" << exact(at_horizon->mean) << "\">"
         << shown(*at_horizon, 1, true) << " %</span> of their starting revenue above "
         << reference;
    if (!low.empty())
      html << " <span class=\"ci\">(95% confidence interval " << low << " to " << high
           << ")</span>";
  }
  if (o.cost && std::isfinite(o.cost->mean))
    html << "; it costs <span class=\"figure\" data-key=\"cost_dkk\" data-value=\""
         << exact(o.cost->mean) << "\">" << shown(*o.cost, kMdkkPerDkk)
         << " million DKK</span> (cash and staff time)";
  if (o.per_dkk && std::isfinite(o.per_dkk->mean)) {
    const auto [low, high] = shown_ci(*o.per_dkk);
    html << "; each DKK returns <span class=\"figure\" data-key=\"value_added_per_dkk\" "
            "data-value=\""
         << exact(o.per_dkk->mean) << "\">" << shown(*o.per_dkk)
         << " DKK</span> of value added in the region";
    if (!low.empty())
      html << " <span class=\"ci\">(95% confidence interval " << low << " to " << high
           << ")</span>";
  }
  html << ".</p>\n";
  // Honesty about what the replicates cannot tell.
  if (!best->rank_effect.distinguishable())
    html << "<p class=\"note\">But its effect cannot be told apart from " << reference
         << " with these runs.</p>\n";
  for (const Neighbours& n : neighbours(c))
    if (n.higher == best && !n.told_apart() && !n.lower->is_baseline)
      html << "<p class=\"note\">" << html_escape(p.label(best->name)) << " and "
           << html_escape(p.label(n.lower->name))
           << " cannot be told apart with these runs: either may be the better one.</p>\n";
  html << "<p class=\"note\">Revenue is the target group's total, compared with " << reference
       << " run by run over " << c.ranking_replicates
       << " simulated runs; the programmes are ranked by how much more their revenue grows on "
          "average over the "
       << c.month
       << " months. Value added counts all firms in the region, so business taken from "
          "firms outside the programme is subtracted. Each range is a 95% confidence interval: "
          "the simulation's own uncertainty about the average, not about the model's "
          "assumptions (see the methods note below).</p>\n</section>\n";
  return html.str();
}

std::string ranking_html(const Page& p) {
  const Comparison& c = p.comparison;
  std::ostringstream html;
  html << "<section id=\"ranking\"><h2>Ranking</h2>\n";
  const std::vector<const VariantComparison*> order = rank_order(c);
  if (p.baseline.empty()) {
    const Estimate growth = order.empty() ? Estimate{} : order.front()->rank_level;
    html << "<p class=\"note\">One variant only: nothing to rank against. Revenue growth of the "
            "target group over "
         << c.horizon << " months: "
         << (std::isfinite(growth.mean) ? shown(growth, 1, true) + " %" : std::string("\u2013"))
         << ".</p>\n";
  } else {
    const std::string reference = html_escape(p.label(p.baseline));
    double lo = 0, hi = 0;
    for (const VariantComparison* v : order)
      if (!v->is_baseline)
        for (const double x : {v->rank_effect.ci_low, v->rank_effect.ci_high, v->rank_effect.mean})
          if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, x);
    const double pad = std::max((hi - lo) * 0.05, 0.05);
    lo -= pad, hi += pad;
    html << "<p class=\"lead\">Every programme against <strong>" << reference
         << "</strong>, best first: how much more the target group's revenue grew ("
         << html_escape(c.reading()) << "), compared run by run over the " << c.ranking_replicates
         << " runs.</p>\n<div class=\"scroll\"><table class=\"ranking\"><thead><tr>"
            "<th class=\"num\">#</th><th>Programme</th><th class=\"num\">Revenue growth</th>"
            "<th class=\"num\">More growth than "
         << reference << ", percentage points</th><th class=\"scale\">" << effect_scale(lo, hi)
         << "</th><th class=\"num\">Cost, million DKK</th><th class=\"num\">Extra partner "
            "ties</th><th class=\"num\">Value added per DKK</th><th class=\"num\">Cost per job, "
            "thousand DKK</th></tr></thead><tbody>\n";
    for (const VariantComparison* v : order) {
      const RowOutcomes o = outcomes_of(*v);
      html << "<tr" << (v->is_baseline ? " class=\"baseline\"" : "") << " data-variant=\""
           << html_escape(v->name) << "\"><td class=\"num\">"
           << (v->rank ? std::to_string(v->rank) : "\u2013") << "</td><td class=\"name\">"
           << html_escape(p.label(v->name))
           << (v->is_baseline ? " <span class=\"ci\">(reference)</span>" : "")
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
    html << "</tbody></table></div>\n<p class=\"note key\"><svg width=\"64\" height=\"16\" "
            "aria-hidden=\"true\" class=\"effect\"><line class=\"zero\" x1=\"6\" x2=\"6\" "
            "y1=\"0\" y2=\"16\"/><rect class=\"ci\" x=\"14\" y=\"4\" width=\"40\" height=\"8\" "
            "rx=\"2\"/><circle class=\"pt\" r=\"5\" cx=\"34\" cy=\"8\"/></svg> Dot: the average "
            "extra growth; bar: its 95% confidence interval; dotted line: no effect (the scale "
            "is in the column's header). A bar clear of the dotted line means the difference "
            "is not chance.</p>\n";
    for (const Neighbours& n : neighbours(c))
      if (!n.told_apart())
        html << "<p class=\"note not-told-apart\">\u2248 <strong>"
             << html_escape(p.label(n.higher->name)) << "</strong> and <strong>"
             << html_escape(p.label(n.lower->name))
             << "</strong> cannot be told apart with these runs (the 95% confidence interval "
                "of their difference in growth includes 0); more runs may separate them.</p>\n";
    html << "<p class=\"note\"><strong>Revenue growth</strong>: the target group's total revenue "
            "compared with month 0, "
         << html_escape(c.reading())
         << " (so a programme that starts late cannot win by timing alone). <strong>More growth "
            "than "
         << reference
         << "</strong>: the difference in that growth, in percentage points (1 point = 1% of "
            "the starting revenue). <strong>Cost</strong>: the programme's cash plus staff time "
            "by month "
         << c.month
         << ". <strong>Extra partner ties</strong>: how many more partner relations the firms "
            "have. <strong>Value added per DKK</strong>: extra value added in the whole region "
            "over months 1\u2013"
         << c.month
         << " per extra DKK spent. <strong>Cost per job</strong>: extra cost per extra "
            "job in the region at month "
         << c.month
         << "; \u2013 where not defined. Numbers in brackets are 95% confidence intervals; the "
            "methods note at the end says how each number is made.</p>\n";
    html << cost_effect_html(c);
  }
  if (!c.programmes.empty())
    html << "<h3>What each programme did</h3>\n<p class=\"note\">Per programme: cash and cost at "
            "month "
         << c.month << " and staff hours over months 1\u2013" << c.month
         << " (averages over every run); per activity its schedule, the months it actually "
            "ran, its ring-fenced envelope, the cash it committed, its runs, the runs skipped "
            "and the units (firms, introductions, clusters) its budget or the staff hours did "
            "not pay for (averages over the detail runs).</p>\n<pre class=\"programme\">"
         << html_escape(format_programmes(c.programmes, c.month)) << "</pre>\n";
  html << "</section>\n";
  return html.str();
}

// Why the largest connected group drops in the first months in every variant: the interview
// relations are loaded with their reported trust and, like any tie nobody uses, lose trust from
// month 0 (model.md, "Interview ties decay from step 0"); the weaker ones fall below the trust
// that counts as collaboration before any programme has started. Figures from the file.
std::string early_drop_note(const Page& p) {
  const ResultsFile& r = p.results;
  const int metric = r.metric_index("participant_largest_component_share");
  const VariantResults* base = nullptr;
  for (const auto& v : r.variants)
    if (v.name == (p.baseline.empty() ? r.variants.front().name : p.baseline)) base = &v;
  if (metric < 0 || !base || base->steps < 4) return "";
  const auto mean_at = [&](std::size_t s) {
    double sum = 0;
    std::size_t n = 0;
    for (std::size_t k = 0; k < base->replicates; ++k) {
      const double x = value_at(*base, k, s, metric);
      if (std::isfinite(x)) sum += x, ++n;
    }
    return n ? 100 * sum / static_cast<double>(n) : kNaN;
  };
  const double at0 = mean_at(0), at3 = mean_at(3);
  if (!(at0 > 0) || !(at3 < 0.8 * at0)) return "";  // no marked early drop: nothing to explain
  double collab = 0.3, rate = 0.2;
  try {
    const YAML::Node root = YAML::Load(r.header.resolved_configuration);
    const YAML::Node params = root["variants"][base->name]["parameters"];
    if (params && params["collab_trust"]) collab = params["collab_trust"].as<double>();
    if (params && params["decay_rate"]) rate = params["decay_rate"].as<double>();
  } catch (const std::exception&) {
    // the defaults stand; the note is an explanation, not a measurement
  }
  // Interview relations that count at month 0 but only just: a month or two of decay takes them
  // below the threshold.
  std::size_t weak = 0, counted = 0;
  for (const TieRecord& t : r.header.initial_ties)
    if (t.trust >= collab) {
      ++counted;
      if (t.trust < collab + 0.1) ++weak;
    }
  std::ostringstream html;
  html << "<p class=\"note explain\" id=\"early-drop\"><strong>Why the largest connected group "
          "drops at the start, in every programme.</strong> In "
       << html_escape(p.label(base->name)) << " it falls from " << num(at0, 0) << "% of the "
       << "target group at month 0 to " << num(at3, 0)
       << "% by month 3, before any programme has had an effect. This is how the model treats "
          "the relations the interviews reported: they start at the trust the interview "
          "suggests and, like any relation nobody uses, lose trust from the first month (up to "
       << num(100 * rate, 0)
       << "% a month, less for partners who have worked together). A tie "
          "counts as collaboration only at trust "
       << num(collab, 2) << " or more; " << weak << " of the " << counted
       << " interview relations that count at month 0 start less than 0.1 above that and fall "
          "below it within a month or two (trade relations stay, but below that level). The "
          "drop is therefore a start-up "
          "effect of the model's assumptions, the same in every programme; compare the "
          "programmes by what happens after it.</p>\n";
  return html.str();
}

std::string charts_html(const Page& p) {
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
  for (const auto& v : p.results.variants)
    max_replicates = std::max(max_replicates, v.completed_count());
  std::ostringstream html;
  html << "<section id=\"charts\"><h2>Over time</h2>\n<p class=\"caption\">Lines: the average "
          "over "
       << max_replicates
       << " runs per programme. Bands: the 95% confidence interval of that average (how "
          "precisely it is known, not the spread of single runs). The programmes share random "
          "numbers, so their differences are more certain than overlapping bands suggest: see "
          "the ranking. Click a programme to hide or show it; hover to highlight it.</p>\n"
          "<div class=\"legend\" role=\"group\" aria-label=\"programmes\">";
  for (const auto& s : p.styles)
    html << "<button type=\"button\" class=\"legend-item\" aria-pressed=\"true\" data-variant=\""
         << html_escape(s.name) << "\" data-colour=\"" << s.colour << "\" data-dash=\"" << s.dash
         << "\"><svg class=\"swatch-line\" width=\"34\" height=\"10\" aria-hidden=\"true\"><line "
            "x1=\"1\" x2=\"33\" y1=\"5\" y2=\"5\" stroke=\""
         << s.colour << "\" stroke-width=\"3\""
         << (s.dash.empty() ? "" : " stroke-dasharray=\"" + s.dash + "\"") << "/></svg>"
         << html_escape(s.label) << "</button>";
  html << "</div>\n<div class=\"charts\">\n";
  for (const auto& spec : charts) {
    html << time_chart(p.results, p.styles, spec);
    if (spec.metric == Metric::participant_largest_component_share) html << early_drop_note(p);
  }
  html << "</div>\n</section>\n";
  return html.str();
}

std::string methods_html(const Page& p) {
  const Comparison& c = p.comparison;
  std::ostringstream html;
  html << "<section id=\"methods\"><h2>Methods note</h2>\n<ul class=\"methods\">"
          "<li><strong>Runs.</strong> Each programme was simulated "
       << p.h.replicates
       << " times with different random numbers (replicates); run <em>r</em> of every programme "
          "uses the same random numbers, so differences between programmes come from the "
          "programmes (common random numbers), and effects are computed run by run (paired).</li>"
          "<li><strong>Confidence intervals.</strong> 95% intervals of an average use Student's "
          "<em>t</em> distribution over the paired runs; ratios (value added per DKK, cost per "
          "job) are ratios of averages, with intervals by the delta method. Numbers are rounded "
          "to the second significant digit of the interval's half-width.</li>"
          "<li><strong>Percentage points.</strong> Revenue growth is revenue relative to month "
          "0, in %; differences in it are percentage points.</li>"
          "<li><strong>Value added.</strong> "
       << format_number(c.value_added_share, Estimate::nan)
       << " \u00d7 revenue, for all firms in the region (target group and others), summed over "
          "months 1\u2013"
       << c.month
       << " and compared with the reference run by run; per DKK of <em>incremental</em> cost "
          "(the programme's cost minus the reference's).</li>"
          "<li><strong>Same numbers as <code>klynge compare</code>.</strong> Every number in the "
          "headline and the ranking is computed by the same code as the command "
          "<code>klynge compare</code>, which lists more outcomes (effects by firm size, ranking "
          "stability, CSV and JSON).</li></ul>\n</section>\n";
  return html.str();
}

// Provenance: what exactly was run, for whoever wants to reproduce or check it.
std::string run_html(const Page& p) {
  const ResultsHeader& h = p.h;
  const ResultsFile& results = p.results;
  std::size_t participants = 0;
  for (const auto x : h.participant) participants += x ? 1 : 0;
  std::ostringstream html;
  html << "<section id=\"run\"><h2>What was run</h2>\n<dl class=\"facts\">"
       << "<dt>Scenario</dt><dd>" << html_escape(h.scenario_name) << "</dd>"
       << "<dt>Firms</dt><dd>" << h.pseudonyms.size() << " (" << participants
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
  html << "</dl>\n<table class=\"variants\"><thead><tr><th>Programme</th><th>Name in files</th><th "
          "class=\"num\">Replicates</th><th>Activities</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < results.variants.size(); ++i) {
    const auto& v = results.variants[i];
    const auto* info = i < h.variants.size() ? &h.variants[i] : nullptr;
    const VariantStyle& style = p.styles[i];
    html << "<tr><td class=\"name\"><svg class=\"swatch-line\" width=\"34\" height=\"10\" "
            "aria-hidden=\"true\"><line x1=\"1\" x2=\"33\" y1=\"5\" y2=\"5\" stroke=\""
         << style.colour << "\" stroke-width=\"3\""
         << (style.dash.empty() ? "" : " stroke-dasharray=\"" + style.dash + "\"") << "/></svg>"
         << html_escape(style.label) << "</td><td><code>" << html_escape(v.name)
         << "</code></td><td class=\"num\">" << v.completed_count() << " / " << v.replicates
         << "</td><td class=\"interventions\">";
    if (!info || info->intervention_ids.empty())
      html << "none";
    else
      for (std::size_t k = 0; k < info->intervention_ids.size(); ++k) {
        html << (k ? ", " : "") << html_escape(info->intervention_display_name(k));
        if (k < info->intervention_types.size() &&
            info->intervention_types[k] != info->intervention_ids[k])
          html << " <span class=\"ci\">(" << html_escape(info->intervention_types[k]) << ")</span>";
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
  return html.str();
}

}  // namespace

std::string render(const ResultsFile& results, const std::vector<NetworkVariant>& networks,
                   const Options& options) {
  const ResultsHeader& h = results.header;
  CompareOptions compare_options;
  compare_options.baseline = options.baseline;
  const Comparison comparison = compare(results, compare_options);
  // One variant has nothing to be the baseline of: no reference styling then.
  const std::string baseline = results.variants.size() > 1 ? comparison.baseline : "";
  const std::vector<VariantStyle> styles = variant_styles(results, baseline);
  const Page p{results, h, comparison, styles, baseline};

  // The sections, in page order, between report.html's <main> and its footer.
  std::ostringstream sections;
  sections << header_html(p) << headline_html(p);
  // A probabilistic run or a sweep: how the comparison spreads over the draws.
  const UncertaintySection uncertainty = uncertainty_section(results, compare_options, styles);
  sections << uncertainty.html << ranking_html(p) << charts_html(p);
  const detail::NetworkSection network =
      detail::network_section(results, networks, options, styles, baseline);
  sections << network.html << methods_html(p) << run_html(p);

  // The JSON model report.js and network.js read (the data block klynge-data).
  std::ostringstream data;
  data << "{\"scenario\":" << json_string(h.scenario_name) << ",\"variants\":[";
  for (std::size_t i = 0; i < styles.size(); ++i)
    data << (i ? "," : "") << "{\"name\":" << json_string(styles[i].name)
         << ",\"label\":" << json_string(styles[i].label)
         << ",\"colour\":" << json_string(styles[i].colour)
         << ",\"dash\":" << json_string(styles[i].dash)
         << ",\"baseline\":" << (styles[i].baseline ? "true" : "false") << "}";
  data << "],\"network\":" << network.json << "}";

  return page::fill(page::file("report.html"),
                    {{"tool_version", h.tool_version},
                     {"scenario_name", h.scenario_name},
                     {"results_file", basename_of(results.path)},
                     {"sections", sections.str()},
                     {"uncertainty_scripts", uncertainty_scripts(uncertainty)},
                     {"data", data.str()}});
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
