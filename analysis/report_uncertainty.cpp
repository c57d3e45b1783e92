#include "analysis/report_uncertainty.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

#include "analysis/report_template.hpp"
#include "analysis/sensitivity_results.hpp"
#include "sim/core/errors.hpp"

namespace klynge::analysis::report {
namespace {

using detail::html_escape;
using detail::json_string;
using detail::VariantStyle;

// Line patterns, so that the acceptability curves stay apart in grey print and for readers who
// cannot tell the colours apart: the baseline keeps the time charts' "6 4", the others cycle.
constexpr const char* kBaselineDash = "6 4";
constexpr std::array<const char*, 7> kDashes = {"",        "2 3", "10 3 2 3",    "12 3",
                                                "1 3 6 3", "4 2", "14 3 2 3 2 3"};

// JSON numbers with compare's precision (10 significant digits, as format_robust_json), so that
// the page's data attributes can be checked against `klynge compare --format json` exactly.
std::string jnum(double x) {
  if (!std::isfinite(x)) return "null";
  std::ostringstream o;
  o.precision(10);
  o << x;
  return o.str();
}

std::string jnums(const std::vector<double>& xs, double scale = 1) {
  std::string s = "[";
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (i) s += ',';
    s += jnum(xs[i] * scale);
  }
  return s + "]";
}

// A share for people: whole percent, but never "0%" or "100%" for what is not exactly that.
std::string percent(double share) {
  if (!std::isfinite(share)) return "\u2013";
  if (share <= 0) return "0%";
  if (share >= 1) return "100%";
  if (share < 0.005) return "&lt;1%";
  if (share > 0.995) return "&gt;99%";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100 * share);
  return buf;
}

// median (p05 to p95), rounded to the second significant digit of the interval's half-width
// (the report's rounding of a CI).
std::string over_draws(const OverDraws& o, bool plus) {
  if (o.draws == 0 || !std::isfinite(o.median)) return "\u2013";
  const double half = (o.p95 - o.p05) / 2;
  return format_number(o.median, half, plus) + " <span class=\"ci\">(" +
         format_number(o.p05, half) + " to " + format_number(o.p95, half) + ")</span>";
}

struct Style {
  std::string colour, dash;
  std::string label;  // the page's label for the variant (its name when it has none)
  bool baseline = false;
};

// The page's colour of each robust variant (by name), and a dash pattern.
std::vector<Style> styles_of(const RobustComparison& r, const std::vector<VariantStyle>& styles) {
  std::vector<Style> out;
  std::size_t k = 0;
  for (const auto& v : r.variants) {
    Style s;
    s.baseline = v.is_baseline;
    s.colour = "#555555";
    for (const auto& page : styles)
      if (page.name == v.name) s.colour = page.colour, s.label = page.label;
    if (s.label.empty()) s.label = v.name;
    s.dash = v.is_baseline ? kBaselineDash : kDashes[k++ % kDashes.size()];
    out.push_back(std::move(s));
  }
  return out;
}

std::string variants_json(const RobustComparison& r, const std::vector<Style>& styles) {
  std::string s = "[";
  for (std::size_t i = 0; i < r.variants.size(); ++i)
    s += std::string(i ? "," : "") + "{\"name\":" + json_string(r.variants[i].name) +
         ",\"label\":" + json_string(styles[i].label) +
         ",\"colour\":" + json_string(styles[i].colour) +
         ",\"dash\":" + json_string(styles[i].dash) +
         ",\"baseline\":" + (styles[i].baseline ? "true" : "false") + "}";
  return s + "]";
}

// A legend of line samples (colour and dash) or of dots, one per variant.
std::string legend(const RobustComparison& r, const std::vector<Style>& styles, bool lines,
                   bool with_baseline) {
  std::ostringstream html;
  html << "<div class=\"u-legend\">";
  for (std::size_t i = 0; i < r.variants.size(); ++i) {
    if (!with_baseline && r.variants[i].is_baseline) continue;
    html << "<span class=\"u-key\" data-variant=\"" << html_escape(r.variants[i].name) << "\">";
    if (lines)
      html << "<svg width=\"34\" height=\"10\" aria-hidden=\"true\"><line x1=\"2\" x2=\"32\" "
              "y1=\"5\" y2=\"5\" stroke=\""
           << styles[i].colour << "\" stroke-width=\"2.5\""
           << (styles[i].dash.empty() ? "" : " stroke-dasharray=\"" + styles[i].dash + "\"")
           << "/></svg>";
    else
      html << "<svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\" cy=\"6\" "
              "r=\"4.5\" fill=\""
           << styles[i].colour << "\"/></svg>";
    html << html_escape(styles[i].label) << (r.variants[i].is_baseline ? " (baseline)" : "")
         << "</span>";
  }
  html << "</div>";
  return html.str();
}

std::string warnings_html(const RobustComparison& r) {
  std::string s;
  for (const auto& w : r.warnings) s += "<p class=\"warning\">" + html_escape(w) + "</p>\n";
  return s;
}

// ---- a probabilistic run: "How sure are we?" ----

UncertaintySection psa_section(const RobustComparison& r, const std::vector<Style>& styles,
                               const std::string& sensitivity) {
  UncertaintySection out;
  std::ostringstream html;
  const std::string unit = html_escape(r.effect_unit);
  html << "<section id=\"uncertainty\"><h2>How sure are we?</h2>\n<p class=\"verdict\" "
          "id=\"u-verdict\">"
       << html_escape(r.verdict) << "</p>\n<p class=\"lead\">Many model parameters are informed "
       << "guesses. This run drew " << r.parameters.size()
       << (r.parameters.size() == 1 ? " uncertain parameter" : " uncertain parameters")
       << " from their distributions " << r.draws << " times (" << html_escape(r.sampling)
       << "), each draw one plausible world, and ran every variant " << r.replicates_per_draw
       << (r.replicates_per_draw == 1 ? " time" : " times")
       << " in every draw. Within a draw the variants are compared as in the ranking (paired "
          "replicates, against <strong>"
       << html_escape(r.baseline) << "</strong>, " << html_escape(r.metric_label) << " "
       << html_escape(r.reading)
       << "); below is how those comparisons spread over the draws. (The ranking further down "
          "pools all draws into one set of replicates.)</p>\n"
       << warnings_html(r);

  // The table, most often best first.
  std::vector<std::size_t> order(r.variants.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double pa = std::isfinite(r.variants[a].p_best) ? r.variants[a].p_best : -1;
    const double pb = std::isfinite(r.variants[b].p_best) ? r.variants[b].p_best : -1;
    return pa > pb;
  });
  html << "<div class=\"scroll\"><table class=\"robust\"><thead><tr><th>Variant</th>"
          "<th class=\"num\">Effect vs baseline, "
       << unit
       << ": median (90% of draws)</th><th class=\"num\">Value added per DKK: median (90% of "
          "draws)</th><th class=\"num\">P(best)</th><th class=\"num\">P(effect &gt; 0)</th>"
          "<th class=\"num\">Expected loss, "
       << unit << "</th><th class=\"num\">Most likely rank</th></tr></thead><tbody>\n";
  for (const std::size_t i : order) {
    const RobustVariant& v = r.variants[i];
    std::string rank = "\u2013";
    if (!v.rank_share.empty()) {
      const auto top = std::max_element(v.rank_share.begin(), v.rank_share.end());
      rank = std::to_string(top - v.rank_share.begin() + 1) + " <span class=\"ci\">(" +
             percent(*top) + " of draws)</span>";
    }
    html << "<tr" << (v.is_baseline ? " class=\"baseline\"" : "") << " data-variant=\""
         << html_escape(v.name) << "\" data-p-best=\"" << jnum(v.p_best) << "\" data-p-positive=\""
         << jnum(v.p_positive) << "\" data-expected-loss=\"" << jnum(v.expected_loss)
         << "\"><td class=\"name\"><span class=\"swatch" << (v.is_baseline ? " dashed" : "")
         << "\" style=\"background:" << styles[i].colour << ";color:" << styles[i].colour
         << "\"></span>" << html_escape(styles[i].label) << "</td><td class=\"num\">"
         << (v.is_baseline ? std::string("reference") : over_draws(v.effect, true))
         << "</td><td class=\"num\">"
         << (v.is_baseline ? std::string("\u2013") : over_draws(v.value_added_per_dkk, false))
         << "</td><td class=\"num p-best\">" << percent(v.p_best) << "</td><td class=\"num\">"
         << (v.is_baseline ? std::string("\u2013") : percent(v.p_positive))
         << "</td><td class=\"num\">" << format_number(v.expected_loss, Estimate::nan)
         << "</td><td class=\"num\">" << rank << "</td></tr>\n";
  }
  html << "</tbody></table></div>\n<p class=\"note\"><strong>Effect</strong>: the variant's "
          "paired effect within a draw (as in the ranking); its median over the draws and the "
          "range holding the middle 90% of them. <strong>Value added per DKK</strong>: the "
          "same for the region's value added per DKK of incremental cost (\u2013 when the "
          "variant costs no more than the baseline). <strong>P(best)</strong>: the share of draws "
          "in which the variant has the highest effect (ties shared; the column sums to 100%). "
          "<strong>P(effect &gt; 0)</strong>: the share of draws in which it beats the "
          "baseline. <strong>Expected loss</strong>: how far, on average over the draws, it "
          "falls short of that draw's best variant ("
       << unit
       << "); 0 for a variant that is always best. <strong>Most likely rank</strong>: its most "
          "frequent place (1 = best) and how often. These are the numbers of <code>klynge "
          "compare</code> (its \u201cHow sure are we?\u201d table).</p>\n";

  // The charts (drawn by the script from the data block).
  html << "<div class=\"charts\">\n<figure class=\"chart\" id=\"u-ceac\"><figcaption><strong>"
          "Cost-effectiveness acceptability curves</strong> <span class=\"unit\">(probability "
          "of being the best choice)</span></figcaption>\n<svg class=\"u-chart\" "
          "id=\"u-ceac-svg\" viewBox=\"0 0 540 300\" role=\"img\" aria-label=\"probability of "
          "each variant being the best choice against the value placed on one "
       << unit << " of effect\"></svg>\n"
       << legend(r, styles, true, true) << "<p class=\"caption\">How to read it: decide what one "
       << unit << " of " << html_escape(r.metric_label)
       << " is worth to you in DKK and find that value on the horizontal axis. At that value, a "
          "variant's <em>net benefit</em> in a draw is its effect times the value minus its "
          "extra cost over the baseline; the curves show in what share of the plausible worlds "
          "each variant has the highest net benefit. The highest curve is the safest choice at "
          "that value, and its height is how sure we can be. At 0 DKK only cost counts, so the "
          "cheapest variant wins; the further right, the more the effect counts. Curves that "
          "stay close together mean the choice depends on assumptions we are not sure "
          "of.</p></figure>\n"
          "<figure class=\"chart\" id=\"u-plane\"><figcaption><strong>Cost-effectiveness "
          "plane</strong> <span class=\"unit\">(one dot per draw and variant)</span>"
          "</figcaption>\n<svg class=\"u-chart\" id=\"u-plane-svg\" viewBox=\"0 0 540 300\" "
          "role=\"img\" aria-label=\"effect and incremental cost of each variant in each "
          "draw\"></svg>\n"
       << legend(r, styles, false, false)
       << "<p class=\"caption\">Each dot is one variant in one draw: to the right, more effect "
          "than the baseline ("
       << unit
       << "); up, more cost (million DKK). The baseline sits at the cross (0, 0); a diamond is "
          "the variant's mean over the draws. A cloud that is wide from left to right means the "
          "effect depends on the assumptions; dots left of the vertical line are worlds in "
          "which the variant does worse than the baseline.</p></figure>\n</div>\n";

  if (sensitivity != "null")
    html << "<figure class=\"chart\" id=\"u-tornado\"><figcaption><strong>Which assumption "
            "matters most</strong> <span class=\"unit\">(global sensitivity, as <code>klynge "
            "sensitivity</code> computes it)</span></figcaption>\n<svg class=\"u-chart\" "
            "id=\"u-tornado-svg\" viewBox=\"0 0 540 300\" role=\"img\" aria-label=\"the "
            "influence of each uncertain parameter, largest first\"></svg>\n<p class=\"caption\">"
            "One bar per uncertain parameter, the most influential at the top, with its 95% "
            "bootstrap interval. Morris designs show \u03bc*, the mean size of the change in the "
            "output when the parameter alone moves one step; Saltelli designs show the total "
            "Sobol\u2019 index, the share of the output's variance that involves the parameter. "
            "A parameter near zero can be left at its default; the top ones deserve better "
            "evidence.</p></figure>\n";

  // The parameters that were drawn.
  html << "<h3>What was uncertain</h3>\n<table class=\"u-parameters\"><thead><tr><th>Parameter"
          "</th><th>Distribution</th><th class=\"num\">Lowest drawn</th><th class=\"num\">"
          "Highest drawn</th></tr></thead><tbody>\n";
  const std::size_t d = r.parameters.size();
  for (std::size_t j = 0; j < d; ++j) {
    double lo = Estimate::nan, hi = Estimate::nan;
    for (std::size_t k = j; k < r.values.size(); k += d)
      if (std::isfinite(r.values[k])) {
        lo = std::isfinite(lo) ? std::min(lo, r.values[k]) : r.values[k];
        hi = std::isfinite(hi) ? std::max(hi, r.values[k]) : r.values[k];
      }
    html << "<tr><td class=\"name\"><code>" << html_escape(r.parameters[j]) << "</code></td><td>"
         << html_escape(j < r.distributions.size() ? r.distributions[j] : "")
         << "</td><td class=\"num\">" << format_number(lo, Estimate::nan)
         << "</td><td class=\"num\">" << format_number(hi, Estimate::nan) << "</td></tr>\n";
  }
  html << "</tbody></table>\n<p class=\"note\">Every draw sets all of these at once; a variant's "
          "replicates in a draw share the random numbers of the other variants' (common random "
          "numbers), so the differences between draws come from the parameters. "
          "The scenario's author chose the distributions; klynge's documentation (uncertainty "
          "guide) says how.</p>\n</section>\n";
  out.html = html.str();

  // The data block:
  //   {"kind":"psa", "effectUnit", "metricLabel", "lambdaUnit",
  //    "variants": [{"name","label","colour","dash","baseline"}] (scenario order),
  //    "lambdas": [DKK per effect unit], "acceptability": [[P per lambda] per variant],
  //    "plane": [{"effect":[per draw], "cost":[mDKK per draw]} per variant],
  //    "sensitivity": null | see sensitivity_json()}
  std::ostringstream js;
  js << "{\"kind\":\"psa\",\"effectUnit\":" << json_string(r.effect_unit)
     << ",\"metricLabel\":" << json_string(r.metric_label)
     << ",\"lambdaUnit\":" << json_string("DKK per " + r.effect_unit)
     << ",\"variants\":" << variants_json(r, styles) << ",\"lambdas\":" << jnums(r.lambdas)
     << ",\"acceptability\":[";
  for (std::size_t i = 0; i < r.variants.size(); ++i)
    js << (i ? "," : "") << jnums(r.variants[i].acceptability);
  js << "],\"plane\":[";
  for (std::size_t i = 0; i < r.variants.size(); ++i)
    js << (i ? "," : "") << "{\"effect\":" << jnums(r.variants[i].effect_by_draw)
       << ",\"cost\":" << jnums(r.variants[i].cost_by_draw, 1e-6) << "}";
  js << "],\"sensitivity\":" << sensitivity << "}";
  out.data = js.str();
  return out;
}

// ---- a sweep: each variant's effect at every grid point ----

// The swept parameter on the x axis: the one with the most distinct values (the first listed
// of those, usually the one the scenario names first). Every combination of the others' values
// gets a panel of its own, so each line holds one parameter's effect with the rest fixed.
std::size_t x_parameter(const RobustComparison& r, std::vector<std::set<double>>& distinct) {
  const std::size_t d = r.parameters.size();
  distinct.assign(d, {});
  for (std::size_t k = 0; k < r.values.size(); ++k) distinct[k % d].insert(r.values[k]);
  std::size_t x = 0;
  for (std::size_t j = 1; j < d; ++j)
    if (distinct[j].size() > distinct[x].size()) x = j;
  return x;
}

std::string value_text(double v) {
  return format_number(v, Estimate::nan);
}

UncertaintySection sweep_section(const RobustComparison& r, const std::vector<Style>& styles,
                                 const std::string& sensitivity) {
  UncertaintySection out;
  const std::size_t d = r.parameters.size();
  const std::size_t points = d ? r.values.size() / d : 0;
  std::vector<std::set<double>> distinct;
  const std::size_t x = d ? x_parameter(r, distinct) : 0;
  std::vector<double> xs;  // the x parameter's values, ascending
  if (d) xs.assign(distinct[x].begin(), distinct[x].end());

  // Panels: the other parameters' values, in the order the grid first meets them.
  struct Panel {
    std::vector<double> others;         // the other parameters' values
    std::vector<std::size_t> point_at;  // [x value]: the grid point (points = none)
  };
  std::vector<Panel> panels;
  for (std::size_t p = 0; p < points; ++p) {
    std::vector<double> others;
    for (std::size_t j = 0; j < d; ++j)
      if (j != x) others.push_back(r.values[p * d + j]);
    auto it = std::find_if(panels.begin(), panels.end(),
                           [&](const Panel& panel) { return panel.others == others; });
    if (it == panels.end()) {
      panels.push_back({others, std::vector<std::size_t>(xs.size(), points)});
      it = panels.end() - 1;
    }
    const auto at = std::lower_bound(xs.begin(), xs.end(), r.values[p * d + x]) - xs.begin();
    it->point_at[static_cast<std::size_t>(at)] = p;
  }
  const auto panel_title = [&](const Panel& panel) {
    std::string title;
    std::size_t k = 0;
    for (std::size_t j = 0; j < d; ++j)
      if (j != x)
        title +=
            (title.empty() ? "" : ", ") + r.parameters[j] + " = " + value_text(panel.others[k++]);
    return title;
  };

  std::ostringstream html;
  const std::string unit = html_escape(r.effect_unit);
  const std::string xname = d ? html_escape(r.parameters[x]) : "";
  html << "<section id=\"sweep\"><h2>Sweep: the effect at every grid point</h2>\n<p "
          "class=\"lead\">"
       << points << " grid points (every combination of the swept values) \u00d7 "
       << r.replicates_per_draw
       << " replicates per point and variant. At every grid point each variant is compared "
          "with <strong>"
       << html_escape(r.baseline)
       << "</strong> run at the same grid point (paired replicates): the effect on "
       << html_escape(r.metric_label) << " " << html_escape(r.reading) << ", in " << unit
       << ", with its 95% confidence interval (band). Horizontal axis: <code>" << xname
       << "</code>";
  if (panels.size() > 1)
    html << "; one chart per value of the other swept " << (d == 2 ? "parameter" : "parameters")
         << ". The dotted line is the baseline "
         << "(no effect).</p>\n";
  else
    html << ". The dotted line is the baseline (no effect).</p>\n";
  html << warnings_html(r) << legend(r, styles, true, false) << "\n<div class=\"charts\">\n";
  for (std::size_t k = 0; k < panels.size(); ++k) {
    const std::string title = panel_title(panels[k]);
    html << "<figure class=\"chart u-sweep\" id=\"u-sweep-" << k << "\"><figcaption><strong>"
         << (title.empty() ? "Effect against " + html_escape(r.baseline) : html_escape(title))
         << "</strong> <span class=\"unit\">(" << unit
         << ")</span></figcaption>\n<svg class=\"u-chart u-sweep-svg\" data-panel=\"" << k
         << "\" viewBox=\"0 0 540 300\" role=\"img\" aria-label=\"effect of each variant "
            "against the baseline over "
         << xname << "\"></svg></figure>\n";
  }
  html << "</div>\n<p class=\"note\">" << html_escape(r.verdict)
       << " The lines join grid points; only the points were run. The numbers:</p>\n"
          "<div class=\"scroll\"><table class=\"u-sweep-table\"><thead><tr>";
  for (const auto& name : r.parameters) html << "<th><code>" << html_escape(name) << "</code></th>";
  for (const auto& v : r.variants)
    if (!v.is_baseline)
      html << "<th class=\"num\">" << html_escape(v.name) << ", " << unit << " (95% CI)</th>";
  html << "</tr></thead><tbody>\n";
  for (std::size_t p = 0; p < points; ++p) {
    html << "<tr>";
    for (std::size_t j = 0; j < d; ++j)
      html << "<td class=\"num\">" << value_text(r.values[p * d + j]) << "</td>";
    for (const auto& v : r.variants) {
      if (v.is_baseline) continue;
      const Estimate& e =
          p < v.effect_estimate_by_draw.size() ? v.effect_estimate_by_draw[p] : Estimate{};
      html << "<td class=\"num\">";
      if (!std::isfinite(e.mean)) {
        html << "\u2013";
      } else {
        html << format_number(e.mean, e.half_width, true);
        if (e.has_ci() && std::isfinite(e.ci_low))
          html << " <span class=\"ci\">(" << format_number(e.ci_low, e.half_width) << " to "
               << format_number(e.ci_high, e.half_width) << ")</span>";
      }
      html << "</td>";
    }
    html << "</tr>\n";
  }
  html << "</tbody></table></div>\n</section>\n";
  out.html = html.str();

  // The data block:
  //   {"kind":"sweep", "effectUnit", "metricLabel", "variants": (as for psa),
  //    "x": {"name", "values": [sorted distinct values]},
  //    "panels": [{"title", "series": [{"variant": index into variants,
  //                                    "mean": [per x value], "lo": [...], "hi": [...]}]}],
  //    "sensitivity": null}
  // (null where a grid point has no result, e.g. an interrupted run; the baseline has no series:
  // its effect against itself is the zero line.)
  std::ostringstream js;
  js << "{\"kind\":\"sweep\",\"effectUnit\":" << json_string(r.effect_unit)
     << ",\"metricLabel\":" << json_string(r.metric_label)
     << ",\"variants\":" << variants_json(r, styles)
     << ",\"x\":{\"name\":" << json_string(d ? r.parameters[x] : "") << ",\"values\":" << jnums(xs)
     << "},\"panels\":[";
  for (std::size_t k = 0; k < panels.size(); ++k) {
    js << (k ? "," : "") << "{\"title\":" << json_string(panel_title(panels[k])) << ",\"series\":[";
    bool first = true;
    for (std::size_t i = 0; i < r.variants.size(); ++i) {
      const RobustVariant& v = r.variants[i];
      if (v.is_baseline) continue;
      std::vector<double> mean, lo, hi;
      for (const std::size_t p : panels[k].point_at) {
        const Estimate e =
            p < v.effect_estimate_by_draw.size() ? v.effect_estimate_by_draw[p] : Estimate{};
        const bool ci = e.has_ci() && std::isfinite(e.ci_low);
        mean.push_back(e.mean);
        lo.push_back(ci ? e.ci_low : e.mean);
        hi.push_back(ci ? e.ci_high : e.mean);
      }
      js << (first ? "" : ",") << "{\"variant\":" << i << ",\"mean\":" << jnums(mean)
         << ",\"lo\":" << jnums(lo) << ",\"hi\":" << jnums(hi) << "}";
      first = false;
    }
    js << "]}";
  }
  js << "],\"sensitivity\":" << sensitivity << "}";
  out.data = js.str();
  return out;
}

}  // namespace

UncertaintySection uncertainty_section(const RobustComparison& robust,
                                       const std::vector<VariantStyle>& styles,
                                       const std::string& sensitivity) {
  const std::vector<Style> own = styles_of(robust, styles);
  return robust.grid() ? sweep_section(robust, own, sensitivity)
                       : psa_section(robust, own, sensitivity);
}

UncertaintySection uncertainty_section(const ResultsFile& results, const CompareOptions& options,
                                       const std::vector<VariantStyle>& styles) {
  if (results.header.uncertainty.draws <= 0) return {};
  return uncertainty_section(compare_robust(results, options), styles, sensitivity_json(results));
}

std::string sensitivity_json(const ResultsFile& results) {
  const std::string& sampling = results.header.uncertainty.sampling;
  if (sampling != "morris" && sampling != "saltelli") return "null";
  // The decision's sensitivity: the paired effect of the first programme variant (the
  // baseline's own level when there is nothing to compare), read as compare reads it.
  SensitivityOptions options;
  options.effect = results.variants.size() > 1;
  SensitivityResult s;
  try {
    s = sensitivity_analysis(results, options);
  } catch (const UsageError&) {
    return "null";  // no complete trajectory or base point yet: nothing to chart
  }
  std::string json = "{\"measure\":" + json_string(s.measure) +
                     ",\"method\":" + json_string(method_name(s.method)) +
                     ",\"description\":" + json_string(s.description) +
                     ",\"used\":" + std::to_string(s.used) + ",\"parameters\":[";
  for (std::size_t i = 0; i < s.parameters.size(); ++i) {
    const ParameterSensitivity& p = s.parameters[i];
    json += std::string(i ? "," : "") + "{\"name\":" + json_string(p.name) +
            ",\"estimate\":" + jnum(p.estimate) + ",\"low\":" + jnum(p.ci_low) +
            ",\"high\":" + jnum(p.ci_high) + "}";
  }
  return json + "]}";
}

std::string uncertainty_scripts(const UncertaintySection& section) {
  if (section.empty()) return "";
  // json_string() has made every string safe inside <script>; numbers and names cannot hold "<".
  return "<script type=\"application/json\" id=\"klynge-uncertainty\">" + section.data +
         "</script>\n<script>" + std::string(page::file("uncertainty.js")) + "</script>\n";
}

}  // namespace klynge::analysis::report
