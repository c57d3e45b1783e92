// matchmaking (action + modifier, seed phase 3 "network activities").
//
// act(): up to `introductions_per_month` introductions, each `hours_per_introduction` staff
// hours (and `per_firm_dkk`, default 0, per introduction). Initiating firms are the mapped,
// enrolled target firms with needs known at the start of the step (capabilities they lacked in
// the previous step, World::unmet_needs, plus their activated dev-opportunity capabilities),
// taken in the order of a keyed uniform per firm. For each, the facilitator searches
// 3 + round(10 x competence) mapped enrolled candidates (a keyed sample without replacement) and
// proposes the one with the highest estimated complementarity: the share of the firm's needs at
// which the candidate's estimated level (estimates.hpp) is at least 0.5 (ties: lowest index).
// Candidates already trusted (tie trust >= partner_min_trust) or already proposed to this firm
// are passed over; with no candidate of positive complementarity no introduction is made (the
// search hours are still spent). Both firms count as contacted. The introduction is accepted
// with probability min(motivation of both); then the pair meets (new tie at the introduction
// trust 0.15 + 0.25 x competence, an existing tie gains 0.05) and enters World::proposals.
//
// Hook (phase 4, partner candidates), on every step of its window: a mapped enrolled lead gets
// its proposed partners that are mapped and enrolled as candidates at the introduction trust,
// each proposal for proposal_months (2) months from its introduction: a broker proposes a partner
// for the needs a firm has now; later bids together rest on the pair's own trust (docs/model.md,
// v2.5 decisions). An introduced pair is never proposed again.
#include <algorithm>
#include <boost/random/uniform_int_distribution.hpp>
#include <cmath>
#include <memory>

#include "models/estimates.hpp"
#include "models/interventions/intervention.hpp"

namespace klynge {
namespace {
// Its parameters, typed; declared once below (key, member, default, unit, range, help).
struct MatchmakingParams : InterventionCosts {  // defaults: declared_params()
  int introductions_per_month;
  double hours_per_introduction;
};

const ParamDeclaration<MatchmakingParams>& declared_params() {
  static const ParamDeclaration<MatchmakingParams> declared = [] {
    ParamDeclaration<MatchmakingParams> d(0, 0, 0, 0);
    d.integer("introductions_per_month", &MatchmakingParams::introductions_per_month, 4,
              "introductions", 0, 1e6, "introductions per run");
    d.real("hours_per_introduction", &MatchmakingParams::hours_per_introduction, 4, "hours", 0,
           1000, "staff hours per introduction");
    return d;
  }();
  return declared;
}

constexpr std::uint64_t kOrderDraw = 0;
constexpr std::uint64_t kSearchDraw = 1;
constexpr std::uint64_t kAcceptDraw = 2;
constexpr double kIntroductionGain = 0.05;
constexpr double kCapableLevel = 0.5;

std::vector<int> needs_of(const World& w, int firm) {
  std::vector<int> needs = w.unmet_needs.list(firm);
  if (w.dev_activated[firm])
    needs.insert(needs.end(), w.dev_capabilities[firm].begin(), w.dev_capabilities[firm].end());
  std::sort(needs.begin(), needs.end());
  needs.erase(std::unique(needs.begin(), needs.end()), needs.end());
  return needs;
}

class Matchmaking final : public Intervention {
 public:
  explicit Matchmaking(const MatchmakingParams& p)
      : Intervention(kModify | kAct | kPartners), p_(p) {}

  bool modify(InterventionContext&, bool /*first*/) override { return true; }

  void partner_candidates(const World& w, int lead,
                          std::vector<std::pair<int, double>>& offers) const override {
    if (!w.mapped[lead] || !w.enrolled[lead]) return;
    const double introduction_trust = 0.15 + 0.25 * programme_competence(w);
    for (const auto& [pair, introduced] : w.proposals) {
      const auto [a, b] = pair;
      if (a != lead && b != lead) continue;
      if (w.step - introduced >= w.params->proposal_months) continue;  // lapsed
      const int other = a == lead ? b : a;
      if (w.mapped[other] && w.enrolled[other]) offers.emplace_back(other, introduction_trust);
    }
  }

  void act(InterventionContext& ctx) override {
    World& w = ctx.world();
    std::vector<std::pair<double, int>> order;
    for (int f : ctx.targets(true))
      if (w.mapped[f] && !needs_of(w, f).empty())
        order.emplace_back(ctx.rng(f, kOrderDraw).uniform(), f);
    std::sort(order.begin(), order.end());

    const int wanted = std::min(p_.introductions_per_month, static_cast<int>(order.size()));
    const PaidUnits paid =
        ctx.pay_units(wanted, p_.fixed_dkk, p_.per_firm_dkk, p_.hours_per_introduction);
    if (paid.units == 0) return;
    const int n = paid.units;

    const double competence = programme_competence(w);
    const int breadth = 3 + static_cast<int>(std::lround(10 * competence));
    const double introduction_trust = 0.15 + 0.25 * competence;
    std::vector<int> pool;  // mapped enrolled firms: the facilitators' knowledge map
    for (int f = 0; f < w.firm_count; ++f)
      if (w.mapped[f] && w.enrolled[f]) pool.push_back(f);

    for (int i = 0; i < n; ++i) {
      const int firm = order[i].second;
      const std::vector<int> needs = needs_of(w, firm);
      std::vector<int> candidates;
      for (int c : pool)
        if (c != firm) candidates.push_back(c);
      // Keyed sample without replacement: a partial Fisher-Yates shuffle.
      KeyedRng rng = ctx.rng(firm, kSearchDraw);
      const int searched = std::min(breadth, static_cast<int>(candidates.size()));
      for (int k = 0; k < searched; ++k) {
        boost::random::uniform_int_distribution<int> pick(k,
                                                          static_cast<int>(candidates.size()) - 1);
        std::swap(candidates[k], candidates[pick(rng)]);
      }
      int best = -1;
      double best_score = 0;
      for (int k = 0; k < searched; ++k) {
        const int c = candidates[k];
        const int tie = w.find_tie(firm, c);
        if (tie >= 0 && w.ties[tie].trust >= w.params->partner_min_trust) continue;
        if (w.proposals.count({std::min(firm, c), std::max(firm, c)})) continue;
        int covered = 0;
        for (int need : needs)
          if (estimated_capability(w, c, need, competence) >= kCapableLevel) ++covered;
        const double score = static_cast<double>(covered) / static_cast<double>(needs.size());
        if (score > best_score || (score == best_score && best >= 0 && c < best)) {
          best = c;
          best_score = score;
        }
      }
      w.contact(firm);
      if (best < 0) continue;
      w.contact(best);
      const double p = std::min(w.motivation[firm], w.motivation[best]);
      if (!ctx.rng(firm, kAcceptDraw).bernoulli(p)) continue;
      w.meet(firm, best, introduction_trust, kIntroductionGain);
      w.proposals.emplace(std::pair{std::min(firm, best), std::max(firm, best)}, w.step);
      w.introductions_accepted += 1;
    }
    ctx.report(paid);
  }

 private:
  MatchmakingParams p_;
};
}  // namespace

const InterventionType& matchmaking_type() {
  static const InterventionType type{
      {"matchmaking", InterventionKind::action_and_modifier, "3: network activities",
       "a facilitator introduces mapped firms with unmet needs to complementary mapped firms; "
       "proposals enter consortium formation",
       declared_params().rows()},
      [](const InterventionSpec& spec) -> std::unique_ptr<Intervention> {
        return std::make_unique<Matchmaking>(declared_params().read(spec));
      }};
  return type;
}

}  // namespace klynge
