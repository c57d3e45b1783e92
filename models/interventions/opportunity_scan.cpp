// opportunity_scan (modifier, seed phase 2 "identify business opportunities"): on every active
// month the facilitators scan the market for the mapped firms among its enrolled targets. Each
// month costs `monthly_dkk` plus, once, `fixed_dkk`, and `hours_per_month` staff hours.
// Hook (phase 3, awareness): each such firm notices an opportunity when a keyed draw (kind 2)
// falls below scan_reach x (0.5 + 0.5 x competence) and the facilitators' estimate of its
// coverage of the requirements is at least scan_min_coverage.
//
// Decisions: the month's cash gates the scan (unpaid: the scan is off this month, an
// intervention_skipped event with reason budget); the fixed part is charged with the first month
// that is paid. Staff hours do not switch it off: the hours left are used and the rest is
// recorded as a shortfall. Two scans running in the same month each reach their own targets (a
// firm in both draws once: the same keyed draw).
#include <algorithm>
#include <memory>

#include "models/estimates.hpp"
#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct OpportunityScanParams : InterventionCosts {  // defaults: declared_params()
  double hours_per_month;
};

const ParamDeclaration<OpportunityScanParams>& declared_params() {
  static const ParamDeclaration<OpportunityScanParams> declared = [] {
    ParamDeclaration<OpportunityScanParams> d(0, 0, 20000, 0);
    d.real("hours_per_month", &OpportunityScanParams::hours_per_month, 10, "hours", 0, 10000,
           "staff hours per active month");
    return d;
  }();
  return declared;
}

constexpr int kScanDraw = 2;  // AwarenessBoost::draw kind

class OpportunityScan final : public Intervention {
 public:
  explicit OpportunityScan(const OpportunityScanParams& p)
      : Intervention(kModify | kAwareness), p_(p) {}

  bool modify(InterventionContext& ctx, bool /*first*/) override {
    const std::optional<double> cash = ctx.pay_month(p_, fixed_paid_);
    if (!cash) return false;
    const double hours = p_.hours_per_month;
    ctx.use_available_hours(hours);
    targets_ = ctx.targets(true);
    ctx.report(1, 0, SkipReason::none, *cash);
    return true;
  }

  // Its targets that are mapped and enrolled now; their estimates drawn once for the step.
  void prepare_awareness(const World& w, double competence) override {
    scanned_.clear();
    for (int f : targets_)
      if (w.mapped[f] && w.enrolled[f]) scanned_.push_back(f);
    if (!scanned_.empty()) prepare_estimates(w, scanned_, competence);
    chance_ = w.params->scan_reach * (0.5 + 0.5 * competence);
  }

  void boost_awareness(AwarenessBoost& boost) const override {
    if (scanned_.empty()) return;
    // A local copy for the draws: its fields stay in registers across the calls below.
    const AwarenessBoost draws = boost;
    const World& w = draws.world();
    const double competence = draws.competence();
    const double chance = chance_;
    const double min_coverage = w.params->scan_min_coverage;
    const std::vector<Requirement>& requirements = draws.opportunity().requirements;
    for (int f : scanned_) {
      // The cheap draw first: both must hold, so the order changes no result.
      if (draws.draw(f, kScanDraw) >= chance) continue;
      if (estimated_coverage(w, f, requirements, competence) >= min_coverage) boost.add(f);
    }
  }

 private:
  OpportunityScanParams p_;
  bool fixed_paid_ = false;
  std::vector<int> targets_;  // enrolled targets at this month's phase 1, in firm order
  std::vector<int> scanned_;  // this step's scanned firms, in firm order
  double chance_ = 0;         // this step's chance that a scanned firm is looked at
};
}  // namespace

const InterventionType& opportunity_scan_type() {
  static const InterventionType type{
      {"opportunity_scan", InterventionKind::modifier, "2: identify business opportunities",
       "points mapped enrolled firms to opportunities their estimated capabilities cover",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<OpportunityScan>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
