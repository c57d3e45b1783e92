// What each variant's programme did, for compare, inspect and the report (docs/compare.md,
// "Programme"). The results file holds no per-activity totals for every replicate; the detail
// replicates' events carry the cash each run committed, the units it skipped and why, so the
// per-activity figures are means over the detail replicates. Staff hours exist per step only as
// totals (metrics staff_hours_used, staff_hours_shortfall), averaged over every replicate.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "analysis/compare.hpp"
#include "sim/core/errors.hpp"

namespace klynge::analysis {
namespace {

constexpr double kNaN = Estimate::nan;

std::string schedule_text(const YAML::Node& spec) {
  std::ostringstream out;
  if (const YAML::Node at = spec["at"]; at && at.IsSequence()) {
    out << (at.size() == 1 ? "month " : "months ");
    for (std::size_t i = 0; i < at.size(); ++i) out << (i ? ", " : "") << at[i].as<std::string>();
    return out.str();
  }
  const YAML::Node start = spec["start"], end = spec["end"], every = spec["every"];
  if (!start || !end) return "";
  out << "months " << start.as<std::string>() << "-" << end.as<std::string>();
  if (every && every.as<std::string>() != "1") out << " every " << every.as<std::string>();
  return out.str();
}

std::string dkk_text(double dkk) {
  if (!std::isfinite(dkk)) return "unlimited";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.3g mDKK", dkk * 1e-6);
  return buffer;
}

// The activities as configured: id, type, schedule, envelope; and the variant's budget.
void read_configuration(const std::string& yaml, ProgrammeSummary& p) {
  const YAML::Node config = YAML::Load(yaml);
  if (const YAML::Node budget = config["budget_dkk"]; budget && budget.IsScalar())
    p.budget_dkk = budget.as<std::string>() == "unlimited" ? std::numeric_limits<double>::infinity()
                                                           : budget.as<double>();
  const YAML::Node list = config["interventions"];
  if (!list || !list.IsSequence()) return;
  for (const YAML::Node& spec : list) {
    ActivitySummary a;
    a.id = spec["id"] ? spec["id"].as<std::string>() : "";
    a.type = spec["type"] ? spec["type"].as<std::string>() : "";
    a.schedule = schedule_text(spec);
    if (const YAML::Node envelope = spec["budget_dkk"];
        envelope && envelope.IsScalar() && envelope.as<std::string>() != "unlimited")
      a.envelope = dkk_text(envelope.as<double>());
    p.activities.push_back(std::move(a));
  }
}

bool completed(const VariantResults& v, std::size_t r) {
  return r < v.completed.size() && v.completed[r] != 0;
}

}  // namespace

std::vector<ProgrammeSummary> programme_summaries(const ResultsFile& file, std::size_t month,
                                                  std::vector<std::string>& warnings) {
  std::vector<ProgrammeSummary> out;
  const int cash = file.metric_index("cash_dkk_cumulative");
  const int cost = file.metric_index("cost_dkk_cumulative");
  const int hours = file.metric_index("staff_hours_used");
  const int shortfall = file.metric_index("staff_hours_shortfall");
  bool no_detail_warned = false;
  for (std::size_t vi = 0; vi < file.variants.size(); ++vi) {
    const VariantResults& v = file.variants[vi];
    ProgrammeSummary p;
    p.variant = v.name;
    if (vi < file.header.variants.size()) {
      const auto& info = file.header.variants[vi];
      try {
        read_configuration(info.resolved_configuration, p);
      } catch (const YAML::Exception&) {
        warnings.push_back("variant '" + v.name +
                           "': its resolved configuration is unreadable; no schedules shown");
      }
      // Files written without a configuration still name their interventions.
      if (p.activities.empty())
        for (std::size_t k = 0; k < info.intervention_ids.size(); ++k) {
          ActivitySummary a;
          a.id = info.intervention_ids[k];
          a.type = k < info.intervention_types.size() ? info.intervention_types[k] : "";
          p.activities.push_back(std::move(a));
        }
    }

    // Totals over every completed replicate.
    const std::size_t last = std::min(month, v.steps ? v.steps - 1 : 0);
    std::vector<double> c, k, h, s;
    for (std::size_t r = 0; r < v.replicates; ++r) {
      if (!completed(v, r) || v.steps == 0) continue;
      if (cash >= 0) c.push_back(v.metric(r, last, static_cast<std::size_t>(cash)));
      if (cost >= 0) k.push_back(v.metric(r, last, static_cast<std::size_t>(cost)));
      double used = 0, short_hours = 0;
      for (std::size_t t = 1; t <= last; ++t) {
        if (hours >= 0) used += v.metric(r, t, static_cast<std::size_t>(hours));
        if (shortfall >= 0) short_hours += v.metric(r, t, static_cast<std::size_t>(shortfall));
      }
      h.push_back(hours >= 0 ? used : kNaN);
      s.push_back(shortfall >= 0 ? short_hours : kNaN);
    }
    p.cash_dkk = estimate_mean(c);
    p.cost_dkk = estimate_mean(k);
    p.staff_hours = estimate_mean(h);
    p.staff_hours_shortfall = estimate_mean(s);

    // Per activity, from the detail replicates' intervention events before month `last`
    // (events of step t show in row t + 1).
    if (!p.activities.empty() && v.has_detail) {
      try {
        const DetailResults d = read_detail(file.path, v.name, /*events_only=*/true);
        std::size_t written = 0;
        for (std::int32_t rep : d.replicate) written += rep >= 0 ? 1 : 0;
        p.detail_replicates = written;
        const std::size_t n = p.activities.size();
        std::vector<double> cash_sum(n, 0), runs(n, 0), skipped(n, 0), budget(n, 0), hours_(n, 0);
        std::vector<int> first(n, -1), final_(n, -1);
        for (const Event& e : d.events) {
          if (e.intervention < 0 || static_cast<std::size_t>(e.intervention) >= n) continue;
          if (e.step < 0 || static_cast<std::size_t>(e.step) >= last) continue;
          const auto i = static_cast<std::size_t>(e.intervention);
          const bool ran =
              e.type == EventType::intervention_ran || e.type == EventType::intervention_partial;
          if (!ran && e.type != EventType::intervention_skipped) continue;
          cash_sum[i] += e.value;
          if (ran) {
            runs[i] += 1;
            if (first[i] < 0 || e.step < first[i]) first[i] = e.step;
            final_[i] = std::max(final_[i], e.step);
          } else if (e.reason == 1 || e.reason == 2) {
            skipped[i] += 1;
          }
          if (e.reason == 1) budget[i] += e.units_skipped;
          if (e.reason == 2) hours_[i] += e.units_skipped;
        }
        if (written > 0)
          for (std::size_t i = 0; i < n; ++i) {
            const double w = static_cast<double>(written);
            ActivitySummary& a = p.activities[i];
            a.cash_dkk = cash_sum[i] / w;
            a.runs = runs[i] / w;
            a.skipped_runs = skipped[i] / w;
            a.units_skipped_budget = budget[i] / w;
            a.units_skipped_hours = hours_[i] / w;
            a.first_month = first[i];
            a.last_month = final_[i];
          }
      } catch (const InputError& error) {
        warnings.push_back("variant '" + v.name + "': its detail replicates are unreadable (" +
                           std::string(error.what()) + "): no figures per activity");
      }
    } else if (!p.activities.empty() && !no_detail_warned) {
      warnings.push_back(
          "the file has no detail replicates with events: cash, runs and skipped "
          "units per activity are not shown");
      no_detail_warned = true;
    }
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

std::string amount(double dkk) {
  if (!std::isfinite(dkk)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", dkk * 1e-6);
  return buffer;
}

std::string count(double x) {
  if (!std::isfinite(x)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, x == std::floor(x) ? "%.0f" : "%.1f", x);
  return buffer;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

}  // namespace

std::string format_programmes(const std::vector<ProgrammeSummary>& programmes, int month) {
  std::ostringstream out;
  for (const ProgrammeSummary& p : programmes) {
    out << "  " << p.variant << ": cash " << amount(p.cash_dkk.mean) << " mDKK, cost "
        << amount(p.cost_dkk.mean) << " mDKK (budget "
        << (std::isnan(p.budget_dkk) ? std::string("-") : dkk_text(p.budget_dkk))
        << "), staff hours " << count(std::round(p.staff_hours.mean)) << " used, "
        << count(std::round(p.staff_hours_shortfall.mean)) << " short, months 1-" << month << "\n";
    if (p.activities.empty()) {
      out << "    (no activities)\n";
      continue;
    }
    std::vector<std::array<std::string, 9>> rows;
    rows.push_back({"activity", "schedule", "ran", "envelope", "cash mDKK", "runs", "runs skipped",
                    "units skipped (budget)", "(hours)"});
    for (const ActivitySummary& a : p.activities) {
      const std::string ran =
          a.first_month < 0 ? "-"
          : a.first_month == a.last_month
              ? std::to_string(a.first_month)
              : std::to_string(a.first_month) + "-" + std::to_string(a.last_month);
      rows.push_back({a.id + (a.type.empty() || a.type == a.id ? "" : " (" + a.type + ")"),
                      a.schedule.empty() ? "-" : a.schedule, p.detail_replicates ? ran : "-",
                      a.envelope.empty() ? "-" : a.envelope, amount(a.cash_dkk), count(a.runs),
                      count(a.skipped_runs), count(a.units_skipped_budget),
                      count(a.units_skipped_hours)});
    }
    std::array<std::size_t, 9> width{};
    for (const auto& r : rows)
      for (std::size_t k = 0; k < r.size(); ++k) width[k] = std::max(width[k], r[k].size() + 2);
    for (const auto& r : rows) {
      std::string line = "    ";
      for (std::size_t k = 0; k + 1 < r.size(); ++k) line += pad(r[k], width[k]);
      out << line << r.back() << "\n";
    }
    if (p.detail_replicates > 0)
      out << "    (cash, runs and skipped units: means over " << p.detail_replicates
          << " detail replicate" << (p.detail_replicates == 1 ? "" : "s") << ")\n";
  }
  return out.str();
}

}  // namespace klynge::analysis
