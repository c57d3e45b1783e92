// Phases 4-5: consortium formation by greedy cover and the award against an external competitor.
// Opportunities are handled in the order of a keyed uniform per opportunity; within one, aware
// firms act as lead in the order of a keyed uniform per (opportunity, firm). Each opportunity is
// awarded right after its bids form, so losers' capacity is free for the next one.
#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "models/estimates.hpp"
#include "models/interventions/joint_development.hpp"
#include "models/mechanisms.hpp"

namespace klynge {
namespace {

struct Candidate {
  int firm;
  double effective_trust;
};

// Keyed draws of one opportunity: one Philox output per process, mixed with the firms' keys.
// Drawn on first use: most opportunities never need a partner search.
class OpportunityDraws {
 public:
  OpportunityDraws(const World& world, const Opportunity& o) : world_(world), o_(o) {}
  std::uint64_t two_step() { return get(two_step_, Process::two_step_reach); }
  std::uint64_t accept() { return get(accept_, Process::consortium_accept); }

 private:
  std::uint64_t get(std::optional<std::uint64_t>& slot, Process process) {
    if (!slot) slot = world_.streams.base(process, world_.step, o_.key);
    return *slot;
  }
  const World& world_;
  const Opportunity& o_;
  std::optional<std::uint64_t> two_step_, accept_;
};

std::uint64_t pair_key(int a, int b) {
  return static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint32_t>(b);
}

struct Bid {
  std::vector<int> members;  // lead first
  std::vector<double> shares;
  double coverage = 0;
  double score = 0;
};

// Each requirement goes to the member with the highest level (ties: lowest firm index, which is
// the lowest pseudonym); shares = assigned requirements / all requirements.
std::vector<double> revenue_shares(const World& world, const std::vector<int>& members,
                                   const std::vector<Requirement>& requirements) {
  std::vector<double> shares(members.size(), 0.0);
  if (requirements.empty()) {
    shares[0] = 1;
    return shares;
  }
  for (const auto& r : requirements) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < members.size(); ++i) {
      const double level = world.capability(members[i], r.capability);
      const double best_level = world.capability(members[best], r.capability);
      if (level > best_level || (level == best_level && members[i] < members[best])) best = i;
    }
    shares[best] += 1.0 / static_cast<double>(requirements.size());
  }
  return shares;
}

// Partner candidates of `lead` for one opportunity, with their effective trust: trusted ties,
// two-step contacts (reached by a keyed draw), facilitator proposals, cluster co-members.
void partner_candidates(const World& world, int lead, OpportunityDraws& draws,
                        const std::vector<std::vector<int>>& organisation_members,
                        std::vector<Candidate>& found) {
  const ModelParameters& p = *world.params;
  found.clear();
  auto offer = [&](int firm, double trust) {
    if (firm == lead || trust <= 0) return;
    for (auto& c : found)
      if (c.firm == firm) {
        c.effective_trust = std::max(c.effective_trust, trust);
        return;
      }
    found.push_back({firm, trust});
  };
  for (const auto& n : world.adjacency[lead]) {
    const double t1 = world.ties[n.tie].trust;
    if (t1 < p.partner_min_trust) continue;
    offer(n.firm, t1);
    for (const auto& m : world.adjacency[n.firm]) {
      const double t2 = world.ties[m.tie].trust;
      if (m.firm == lead || t2 < p.partner_min_trust) continue;
      const double reach = p.two_step_probability * t1 * t2;
      if (mix_uniform(draws.two_step(), pair_key(lead, m.firm)) < reach) offer(m.firm, t1 * t2);
    }
  }
  if (world.modifiers.matchmaking && world.mapped[lead] && world.enrolled[lead]) {
    const double introduction_trust = 0.15 + 0.25 * programme_competence(world);
    for (const auto& [a, b] : world.proposals) {
      if (a != lead && b != lead) continue;
      const int other = a == lead ? b : a;
      if (world.mapped[other] && world.enrolled[other]) offer(other, introduction_trust);
    }
  }
  if (world.cluster_org[lead] >= 0)
    for (int f : organisation_members[world.cluster_org[lead]]) offer(f, p.cluster_member_trust);
  std::sort(found.begin(), found.end(),
            [](const Candidate& x, const Candidate& y) { return x.firm < y.firm; });
}

double monthly_payment(const ModelParameters& p, const Opportunity& o) {
  return p.monthly_payment_share * o.value / o.duration;
}

void record_unmet_needs(World& world, int firm, const Opportunity& o) {
  auto& needs = world.unmet_needs_next[firm];
  for (const auto& r : o.requirements)
    if (world.capability(firm, r.capability) < r.min_level &&
        std::find(needs.begin(), needs.end(), r.capability) == needs.end())
      needs.push_back(r.capability);
}

int enrolled_members(const World& world, const std::vector<int>& members) {
  int n = 0;
  for (int m : members) n += world.enrolled[m] ? 1 : 0;
  return n;
}

// Forms the bid led by `lead`, or returns an empty bid. Reserves capacity for a bid it makes.
// Coverage is tracked per requirement (the best member level so far), so each candidate's added
// coverage costs O(requirements) and nothing is allocated per candidate.
Bid form_bid(World& world, int lead, const Opportunity& o, OpportunityDraws& draws,
             const std::vector<std::vector<int>>& organisation_members, std::vector<char>& in_bid,
             std::vector<Candidate>& candidates) {
  const ModelParameters& p = *world.params;
  const double monthly = monthly_payment(p, o);
  const std::size_t n_req = o.requirements.size();
  if (n_req > kMaxRequirements)
    throw std::logic_error("an opportunity with more than kMaxRequirements requirements");
  Bid bid;
  std::array<double, kMaxRequirements> best{};
  int met = 0;
  for (std::size_t r = 0; r < n_req; ++r) {
    best[r] = world.capability(lead, o.requirements[r].capability);
    met += best[r] >= o.requirements[r].min_level;
  }
  const double per_requirement = n_req ? 1.0 / static_cast<double>(n_req) : 1.0;
  const double own = n_req ? met * per_requirement : 1.0;
  if (own < p.lead_min_coverage) return bid;
  std::vector<int> members = {lead};
  if (met < static_cast<int>(n_req)) {
    partner_candidates(world, lead, draws, organisation_members, candidates);
    while (static_cast<int>(members.size()) < static_cast<int>(p.max_consortium_size) &&
           met < static_cast<int>(n_req) && !candidates.empty()) {
      int pick_index = -1, pick_added = 0;
      double pick_value = 0;
      for (std::size_t i = 0; i < candidates.size(); ++i) {
        const int firm = candidates[i].firm;
        if (in_bid[firm]) continue;
        int added = 0;
        for (std::size_t r = 0; r < n_req; ++r) {
          const auto& req = o.requirements[r];
          added +=
              best[r] < req.min_level && world.capability(firm, req.capability) >= req.min_level;
        }
        if (added == 0) continue;
        if (world.free_capacity(firm) < added * per_requirement * monthly) continue;
        const double value =
            added * per_requirement * candidates[i].effective_trust * world.willingness[firm];
        if (value > pick_value) {
          pick_index = static_cast<int>(i);
          pick_value = value;
          pick_added = added;
        }
      }
      if (pick_index < 0) break;
      const Candidate pick = candidates[pick_index];
      candidates.erase(candidates.begin() + pick_index);
      const double accept = world.willingness[pick.firm] * (0.5 + 0.5 * pick.effective_trust);
      if (mix_uniform(draws.accept(), pair_key(lead, pick.firm)) >= accept) continue;
      members.push_back(pick.firm);
      for (std::size_t r = 0; r < n_req; ++r)
        best[r] = std::max(best[r], world.capability(pick.firm, o.requirements[r].capability));
      met += pick_added;
    }
  }
  const bool joint = world.modifiers.joint_development && members.size() >= 2 &&
                     enrolled_members(world, members) >= 2;
  const double threshold = joint ? p.bid_min_coverage_joint : p.bid_min_coverage;
  const double coverage = n_req ? met * per_requirement : 1.0;
  if (coverage < threshold) return bid;
  std::vector<double> shares = revenue_shares(world, members, o.requirements);
  for (std::size_t i = 0; i < members.size(); ++i)
    if (world.free_capacity(members[i]) < shares[i] * monthly) return bid;
  for (std::size_t i = 0; i < members.size(); ++i) {
    world.load[members[i]] += shares[i] * monthly;
    in_bid[members[i]] = 1;
  }
  bid.members = std::move(members);
  bid.shares = std::move(shares);
  bid.coverage = coverage;
  bid.score = p.score_coverage * coverage +
              p.score_coordination * team_coordination(world, bid.members) +
              p.score_experience * team_experience(world, bid.members);
  double reputation = 0;
  for (int m : bid.members) reputation += world.reputation[m];
  bid.score += p.score_reputation * reputation / static_cast<double>(bid.members.size());
  return bid;
}

void award(World& world, const Opportunity& o, std::vector<Bid>& bids) {
  const ModelParameters& p = *world.params;
  const double monthly = monthly_payment(p, o);
  int winner = -1;
  if (!bids.empty()) {
    // Softmax against the external competitor, shifted by the largest score for stability.
    double top = p.external_score;
    for (const auto& b : bids) top = std::max(top, b.score);
    double total = std::exp(p.external_score - top);
    for (const auto& b : bids) total += std::exp(b.score - top);
    double u = world.streams.uniform(Process::award, world.step, o.key) * total;
    for (std::size_t i = 0; i < bids.size(); ++i) {
      const double w = std::exp(bids[i].score - top);
      if (u < w) {
        winner = static_cast<int>(i);
        break;
      }
      u -= w;
    }
  }
  for (std::size_t i = 0; i < bids.size(); ++i) {
    if (static_cast<int>(i) == winner) continue;
    for (std::size_t m = 0; m < bids[i].members.size(); ++m)
      world.load[bids[i].members[m]] -= bids[i].shares[m] * monthly;
  }
  if (winner < 0) return;
  Bid& w = bids[winner];
  Project project;
  project.key = static_cast<std::uint64_t>(world.step) << 32 | o.key;
  project.segment = o.segment;
  project.value = o.value;
  project.duration = o.duration;
  project.start = world.step + 1;
  project.end = world.step + o.duration;
  project.members = w.members;
  project.shares = w.shares;
  project.requirements = o.requirements;
  if (world.modifiers.joint_development && w.members.size() >= 2 &&
      enrolled_members(world, w.members) >= 2)
    project.subsidised = commit_joint_subsidy(world, o.value);
  // Consortium members who had no tie get one at award.
  for (std::size_t i = 0; i < w.members.size(); ++i)
    for (std::size_t j = i + 1; j < w.members.size(); ++j)
      world.meet(w.members[i], w.members[j], p.award_tie_trust, 0.0);
  if (project.subsidised)
    for (int m : w.members) world.contact(m);
  world.counters.projects_won += 1;
  world.counters.won_value += o.value;
  world.emit({world.step, EventType::project_awarded, w.members[0],
              w.members.size() > 1 ? w.members[1] : -1, -1, o.value,
              static_cast<std::int32_t>(w.members.size()), 0});
  world.projects.push_back(std::move(project));
}

}  // namespace

double team_coordination(const World& world, const std::vector<int>& members) {
  if (members.size() < 2) return 1;
  double sum = 0;
  int pairs = 0;
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      const int tie = world.find_tie(members[i], members[j]);
      sum += tie >= 0 ? world.ties[tie].trust : 0.0;
      ++pairs;
    }
  return sum / pairs;
}

double team_experience(const World& world, const std::vector<int>& members) {
  double n = 0;
  if (members.size() < 2) {
    n = world.solo_successes[members[0]];
  } else {
    int pairs = 0;
    for (std::size_t i = 0; i < members.size(); ++i)
      for (std::size_t j = i + 1; j < members.size(); ++j) {
        const int tie = world.find_tie(members[i], members[j]);
        n += tie >= 0 ? world.ties[tie].joint_successes : 0;
        ++pairs;
      }
    n /= pairs;
  }
  return 1 - std::exp(-n / world.params->experience_scale);
}

void consortia_and_award(World& world) {
  const int t = world.step;
  std::vector<std::pair<double, std::size_t>> order;
  order.reserve(world.opportunities.size());
  for (std::size_t i = 0; i < world.opportunities.size(); ++i)
    order.push_back(
        {world.streams.uniform(Process::opportunity_order, t, world.opportunities[i].key), i});
  std::sort(order.begin(), order.end());
  std::vector<char> in_bid(world.firm_count, 0);
  // Members of each cluster organisation, found once per step (not once per lead).
  std::vector<std::vector<int>> organisation_members;
  for (int f = 0; f < world.firm_count; ++f) {
    const int org = world.cluster_org[f];
    if (org < 0) continue;
    if (org >= static_cast<int>(organisation_members.size())) organisation_members.resize(org + 1);
    organisation_members[org].push_back(f);
  }
  std::vector<std::pair<double, int>> leads;
  std::vector<Bid> bids;
  std::vector<Candidate> candidates;
  for (const auto& [u, index] : order) {
    const Opportunity& o = world.opportunities[index];
    OpportunityDraws draws(world, o);
    const std::uint64_t lead_base = world.streams.base(Process::lead_order, t, o.key);
    leads.clear();
    for (int f : o.aware)
      leads.push_back({mix_uniform(lead_base, static_cast<std::uint64_t>(f)), f});
    std::sort(leads.begin(), leads.end());
    bids.clear();
    for (const auto& [v, lead] : leads) {
      record_unmet_needs(world, lead, o);
      if (in_bid[lead]) continue;
      Bid bid = form_bid(world, lead, o, draws, organisation_members, in_bid, candidates);
      if (!bid.members.empty()) bids.push_back(std::move(bid));
    }
    world.counters.bids += static_cast<int>(bids.size());
    award(world, o, bids);
    for (const auto& b : bids)
      for (int m : b.members) in_bid[m] = 0;
  }
}

}  // namespace klynge
