// Phases 4-5: consortium formation by greedy cover and the award against an external competitor.
// Opportunities are handled in the order of a keyed uniform per opportunity; within one, aware
// firms act as lead in the order of a keyed uniform per (opportunity, firm). Each opportunity is
// awarded right after its bids form, so losers' capacity is free for the next one.
//
// The work is split in two. Preparation reads only what phase 4 never changes (capabilities,
// trusted ties, proposals, cluster organisations, willingness) and is done per opportunity, in
// parallel for large populations: each aware firm's own requirement mask, whether it may lead,
// the needs it records, and its partner options (candidates that would add coverage, in firm
// order, with their requirement masks). The sequential pass then needs only capacity, who is
// already in a bid, and the keyed acceptance draws. Opportunities are prepared in fixed blocks
// of 4096 in processing order, so partner options see the network as it stood at the start of
// their block. The only change phase 4 makes to the network is the ties formed at an award, at
// award_tie_trust; with the defaults (0.15, below partner_min_trust 0.3) such a tie is never a
// partner route, so this is exactly the network at the start of the phase (docs/model.md,
// phase 4).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <span>
#include <stdexcept>

#include "models/estimates.hpp"
#include "models/mechanisms.hpp"

namespace klynge {
namespace {

std::uint64_t pair_key(int a, int b) {
  return static_cast<std::uint64_t>(a) << 32 | static_cast<std::uint32_t>(b);
}

// A keyed base drawn on first use: most opportunities never need it.
class LazyBase {
 public:
  LazyBase(const World& world, Process process, std::uint64_t key)
      : world_(world), process_(process), key_(key) {}
  std::uint64_t operator()() {
    if (!drawn_) {
      value_ = world_.streams.base(process_, world_.step, key_);
      drawn_ = true;
    }
    return value_;
  }

 private:
  const World& world_;
  Process process_;
  std::uint64_t key_;
  bool drawn_ = false;
  std::uint64_t value_ = 0;
};

// Phase 4 works on requirement masks: bit r set = requirement r met.
using RequirementMask = std::uint8_t;
static_assert(kMaxRequirements <= 8, "RequirementMask holds one bit per requirement");

// What the preparation finds for one aware firm as a would-be lead, from the state at the start
// of the phase.
struct LeadPlan {
  double order = 0;  // keyed uniform per (opportunity, firm): leads act in ascending order
  int firm = -1;
  RequirementMask own = 0;                             // requirements the firm meets itself
  bool may_lead = false;                               // meets at least lead_min_coverage itself
  std::uint32_t partners_begin = 0, partners_end = 0;  // its partner options, in firm order
};

// A partner candidate of a lead that could add coverage.
struct PartnerOption {
  int firm = -1;
  RequirementMask meets = 0;
  double effective_trust = 0;
  double willingness = 0;
};

// The preparation of one opportunity: the aware firms in lead order and their partner options.
struct Plans {
  std::vector<LeadPlan> leads;
  std::vector<PartnerOption> partners;
};

struct Bid {
  std::vector<int> members;  // lead first
  std::vector<double> shares;
  double coverage = 0;
  double score = 0;
};

// Requirements in a mask, by table: std::popcount is a library call on baseline x86-64.
constexpr auto kRequirementCount = [] {
  std::array<std::uint8_t, 256> count{};
  for (unsigned m = 0; m < 256; ++m) count[m] = static_cast<std::uint8_t>(std::popcount(m));
  return count;
}();
int requirement_count(RequirementMask mask) {
  return kRequirementCount[mask];
}

RequirementMask all_requirements(const Opportunity& o) {
  return static_cast<RequirementMask>((std::uint64_t{1} << o.requirements.size()) - 1);
}

RequirementMask requirements_met(const World& world, int firm, const Opportunity& o) {
  RequirementMask mask = 0;
  for (std::size_t r = 0; r < o.requirements.size(); ++r)
    if (world.capability(firm, o.requirements[r].capability) >= o.requirements[r].min_level)
      mask |= RequirementMask{1} << r;
  return mask;
}

// Each requirement goes to the member with the highest level (ties: lowest firm index, which is
// the lowest pseudonym); shares = assigned requirements / all requirements.
void revenue_shares(const World& world, const std::vector<int>& members,
                    const std::vector<Requirement>& requirements, std::vector<double>& shares) {
  shares.assign(members.size(), 0.0);
  if (requirements.empty()) {
    shares[0] = 1;
    return;
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
}

// Partner candidates of `lead` that would add coverage to its bid (they meet a requirement the
// lead does not), in firm order, each with its effective trust (the highest of its routes):
// trusted ties, two-step contacts (reached by a keyed draw), the interventions' partner hooks
// (matchmaking: facilitator proposals), cluster co-members. Firms that could add nothing are
// passed over before any draw for them: they could never be picked, so this changes no result.
void partner_candidates(const World& world, const PhaseHooks& hooks, const Opportunity& o, int lead,
                        RequirementMask own, LazyBase& two_step,
                        const std::vector<std::vector<int>>& organisation_members,
                        std::vector<PartnerOption>& found,
                        std::vector<std::pair<int, double>>& offers) {
  const ModelParameters& p = *world.params;
  found.clear();
  auto adds_coverage = [&](int firm, RequirementMask& meets) {
    meets = requirements_met(world, firm, o);
    return (meets & ~own) != 0;
  };
  auto offer = [&](int firm, double trust) {
    RequirementMask meets = 0;
    if (firm != lead && trust > 0 && adds_coverage(firm, meets))
      found.push_back({firm, meets, trust, world.willingness[firm]});
  };
  for (const auto& n : world.adjacency[lead]) {
    const double t1 = world.ties[n.tie].trust;
    if (t1 < p.partner_min_trust) continue;
    offer(n.firm, t1);
    for (const auto& m : world.adjacency[n.firm]) {
      const double t2 = world.ties[m.tie].trust;
      if (m.firm == lead || t2 < p.partner_min_trust) continue;
      RequirementMask meets = 0;
      if (!adds_coverage(m.firm, meets)) continue;
      const double reach = p.two_step_probability * t1 * t2;
      if (mix_uniform(two_step(), pair_key(lead, m.firm)) < reach)
        found.push_back({m.firm, meets, t1 * t2, world.willingness[m.firm]});
    }
  }
  for (const Intervention* hook : hooks.partners) {
    offers.clear();
    hook->partner_candidates(world, lead, offers);
    for (const auto& [firm, trust] : offers) offer(firm, trust);
  }
  if (world.cluster_org[lead] >= 0)
    for (int f : organisation_members[world.cluster_org[lead]]) offer(f, p.cluster_member_trust);
  // One entry per firm, with its highest trust.
  std::sort(found.begin(), found.end(), [](const PartnerOption& x, const PartnerOption& y) {
    return x.firm != y.firm ? x.firm < y.firm : x.effective_trust > y.effective_trust;
  });
  found.erase(
      std::unique(found.begin(), found.end(),
                  [](const PartnerOption& x, const PartnerOption& y) { return x.firm == y.firm; }),
      found.end());
}

// Preparation of one opportunity (see the top of the file): reads the state at the start of the
// phase, writes only the opportunity's plans and (order-free) the firms' unmet needs.
void prepare(const World& world, const PhaseHooks& hooks, const Opportunity& o, Plans& plans,
             const std::vector<std::vector<int>>& organisation_members, CapabilitySets& needs,
             std::vector<PartnerOption>& found, std::vector<std::pair<int, double>>& offers) {
  const ModelParameters& p = *world.params;
  const std::size_t n_req = o.requirements.size();
  if (n_req > kMaxRequirements)
    throw std::logic_error("an opportunity with more than kMaxRequirements requirements");
  const std::uint64_t lead_base = world.streams.base(Process::lead_order, world.step, o.key);
  plans.leads.clear();
  plans.partners.clear();
  for (int f : o.aware) {
    LeadPlan plan;
    plan.order = mix_uniform(lead_base, static_cast<std::uint64_t>(f));
    plan.firm = f;
    plans.leads.push_back(plan);
  }
  std::sort(plans.leads.begin(), plans.leads.end(), [](const LeadPlan& x, const LeadPlan& y) {
    return x.order != y.order ? x.order < y.order : x.firm < y.firm;
  });
  const RequirementMask all = all_requirements(o);
  const double per_requirement = n_req ? 1.0 / static_cast<double>(n_req) : 1.0;
  LazyBase two_step(world, Process::two_step_reach, o.key);
  // Two passes: the first's iterations are independent, so their memory loads overlap.
  for (LeadPlan& plan : plans.leads) {
    plan.own = requirements_met(world, plan.firm, o);
    const int met = requirement_count(plan.own);
    const double own_coverage = n_req ? met * per_requirement : 1.0;
    // Nobody leads a bid for work it cannot do itself.
    plan.may_lead = !(own_coverage < p.lead_min_coverage);
  }
  for (LeadPlan& plan : plans.leads) {
    // What it lacked, for next month's matchmaking.
    for (std::size_t r = 0; r < n_req; ++r)
      if (!(plan.own >> r & 1u)) needs.insert(plan.firm, o.requirements[r].capability);
    plan.partners_begin = plan.partners_end = static_cast<std::uint32_t>(plans.partners.size());
    if (!plan.may_lead || plan.own == all) continue;
    partner_candidates(world, hooks, o, plan.firm, plan.own, two_step, organisation_members, found,
                       offers);
    plans.partners.insert(plans.partners.end(), found.begin(), found.end());
    plan.partners_end = static_cast<std::uint32_t>(plans.partners.size());
  }
}

double monthly_payment(const ModelParameters& p, const Opportunity& o) {
  return p.monthly_payment_share * o.value / o.duration;
}

int enrolled_members(const World& world, const std::vector<int>& members) {
  int n = 0;
  for (int m : members) n += world.enrolled[m] ? 1 : 0;
  return n;
}

bool has_participant(const World& world, const std::vector<int>& members) {
  for (int m : members)
    if (world.participant[m]) return true;
  return false;
}

// The bid counters the activity table reads (participant and joint bids).
void count_bid(World& world, const std::vector<int>& members) {
  if (has_participant(world, members)) world.counters.participant_bids += 1;
  if (members.size() >= 2 && enrolled_members(world, members) >= 2) world.counters.joint_bids += 1;
}

// Forms the bid led by `plan.firm` into `bid`; false when it makes none. Greedy cover: each pick
// maximises added coverage x effective trust x willingness among options with free capacity for
// their share; a pick that declines is not asked again. Reserves capacity for a bid it makes.
bool form_bid(World& world, const PhaseHooks& hooks, const Opportunity& o, const Plans& plans,
              const LeadPlan& plan, LazyBase& accept_base, const std::vector<char>& in_bid,
              std::vector<PartnerOption>& options, Bid& bid) {
  const ModelParameters& p = *world.params;
  if (!plan.may_lead) return false;
  const double monthly = monthly_payment(p, o);
  const std::size_t n_req = o.requirements.size();
  const double per_requirement = n_req ? 1.0 / static_cast<double>(n_req) : 1.0;
  const RequirementMask all = all_requirements(o);
  std::vector<int>& members = bid.members;
  members.assign(1, plan.firm);
  RequirementMask met = plan.own;
  options.assign(plans.partners.begin() + plan.partners_begin,
                 plans.partners.begin() + plan.partners_end);
  while (static_cast<int>(members.size()) < static_cast<int>(p.max_consortium_size) && met != all &&
         !options.empty()) {
    int pick_index = -1;
    double pick_value = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
      const PartnerOption& option = options[i];
      if (in_bid[option.firm]) continue;
      const int added = requirement_count(static_cast<RequirementMask>(option.meets & ~met));
      if (added == 0) continue;
      if (world.free_capacity(option.firm) < added * per_requirement * monthly) continue;
      const double value = added * per_requirement * option.effective_trust * option.willingness;
      if (value > pick_value) {
        pick_index = static_cast<int>(i);
        pick_value = value;
      }
    }
    if (pick_index < 0) break;
    const PartnerOption pick = options[pick_index];
    options.erase(options.begin() + pick_index);
    const double accept = pick.willingness * (0.5 + 0.5 * pick.effective_trust);
    if (mix_uniform(accept_base(), pair_key(plan.firm, pick.firm)) >= accept) continue;
    members.push_back(pick.firm);
    met |= pick.meets;
  }
  bool joint = false;
  for (const Intervention* hook : hooks.bid_threshold)
    if (hook->lowers_bid_threshold(world, members)) {
      joint = true;
      break;
    }
  const double threshold = joint ? p.bid_min_coverage_joint : p.bid_min_coverage;
  const double coverage = n_req ? requirement_count(met) * per_requirement : 1.0;
  if (coverage < threshold) return false;
  revenue_shares(world, members, o.requirements, bid.shares);
  for (std::size_t i = 0; i < members.size(); ++i)
    if (world.free_capacity(members[i]) < bid.shares[i] * monthly) return false;
  for (std::size_t i = 0; i < members.size(); ++i)
    world.load[members[i]] += bid.shares[i] * monthly;
  bid.coverage = coverage;
  bid.score = p.score_coverage * coverage +
              p.score_coordination * team_coordination(world, members) +
              p.score_experience * team_experience(world, members);
  double reputation = 0;
  for (int m : members) reputation += world.reputation[m];
  bid.score += p.score_reputation * reputation / static_cast<double>(members.size());
  return true;
}

void award(World& world, const PhaseHooks& hooks, const Opportunity& o, std::span<Bid> bids) {
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
  for (Intervention* hook : hooks.award) hook->on_award(world, project);
  // Consortium members who had no tie get one at award.
  for (std::size_t i = 0; i < w.members.size(); ++i)
    for (std::size_t j = i + 1; j < w.members.size(); ++j)
      world.meet(w.members[i], w.members[j], p.award_tie_trust, 0.0);
  if (project.subsidised)
    for (int m : w.members) world.contact(m);
  world.counters.projects_won += 1;
  if (o.segment == static_cast<int>(Segment::export_) && has_participant(world, w.members))
    world.counters.participant_export_projects_won += 1;
  world.counters.won_value += o.value;
  world.emit({world.step, EventType::project_awarded, w.members[0],
              w.members.size() > 1 ? w.members[1] : -1, -1, o.value,
              static_cast<std::int32_t>(w.members.size()), 0});
  world.projects.push_back(std::move(project));
}

// Phase 4's scratch (World::scratch): buffers reused from step to step, so a warm step allocates
// nothing; nothing in them outlives the step.
struct ConsortiaScratch {
  std::vector<std::pair<double, std::size_t>> order;  // (keyed uniform, arrival index)
  std::vector<Opportunity> ordered;                   // the step's opportunities, being reordered
  std::vector<std::vector<int>> organisation_members;
  std::vector<char> in_bid;  // per firm: in a bid for the current opportunity
  std::vector<Bid> bids;
  std::vector<PartnerOption> options;  // the current lead's options not yet asked
  std::vector<Plans> plans;            // per opportunity of the current block
};

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

void consortia_and_award(World& world, const PhaseHooks& hooks) {
  const int t = world.step;
  // Taken here, before the preparation splits: MechanismScratch::get is not for parallel use.
  ConsortiaScratch& scratch = world.scratch.get<ConsortiaScratch>();
  auto& order = scratch.order;
  order.clear();
  for (std::size_t i = 0; i < world.opportunities.size(); ++i)
    order.push_back(
        {world.streams.uniform(Process::opportunity_order, t, world.opportunities[i].key), i});
  std::sort(order.begin(), order.end());
  // Put the opportunities in processing order: the passes below then walk memory forwards.
  scratch.ordered.clear();
  for (const auto& entry : order)
    scratch.ordered.push_back(std::move(world.opportunities[entry.second]));
  std::swap(world.opportunities, scratch.ordered);
  // Members of each cluster organisation, found once per step (not once per lead). Lists of
  // organisations without members stay empty; only a lead's own organisation is looked up.
  auto& organisation_members = scratch.organisation_members;
  for (auto& members : organisation_members) members.clear();
  for (int f = 0; f < world.firm_count; ++f) {
    const int org = world.cluster_org[f];
    if (org < 0) continue;
    if (org >= static_cast<int>(organisation_members.size())) organisation_members.resize(org + 1);
    organisation_members[org].push_back(f);
  }
  std::vector<char>& in_bid = scratch.in_bid;  // all 0 between opportunities
  in_bid.assign(world.firm_count, 0);
  std::vector<Bid>& bids = scratch.bids;
  // Blocks of opportunities in processing order: prepared (in parallel when large), then formed
  // and awarded in order. A block's plans stay in cache between the two passes. The block size
  // is fixed (never the thread count or grain), so results never depend on how the work is split.
  constexpr std::size_t block = 4096;
  const auto& opportunities = world.opportunities;
  for (std::size_t first = 0; first < opportunities.size(); first += block) {
    const std::size_t count = std::min(block, opportunities.size() - first);
    if (scratch.plans.size() < count) scratch.plans.resize(count);
    Plans* plans = scratch.plans.data();  // plans[k - first]: opportunity k's
    for_each_chunk(world.parallelism, count, [&](std::size_t begin, std::size_t end) {
      std::vector<PartnerOption> found;
      std::vector<std::pair<int, double>> offers;
      for (std::size_t k = begin; k < end; ++k)
        prepare(world, hooks, opportunities[first + k], plans[k], organisation_members,
                world.unmet_needs_next, found, offers);
    });
    for (std::size_t k = 0; k < count; ++k) {
      const Opportunity& o = opportunities[first + k];
      if (k + 1 < count) {  // its plans are the next cache misses
        __builtin_prefetch(plans[k + 1].leads.data());
        __builtin_prefetch(plans[k + 1].partners.data());
      }
      LazyBase accept_base(world, Process::consortium_accept, o.key);
      std::size_t bid_count = 0;
      for (const LeadPlan& plan : plans[k].leads) {
        if (in_bid[plan.firm]) continue;
        if (bid_count == bids.size()) bids.emplace_back();
        if (!form_bid(world, hooks, o, plans[k], plan, accept_base, in_bid, scratch.options,
                      bids[bid_count]))
          continue;
        for (int m : bids[bid_count].members) in_bid[m] = 1;
        count_bid(world, bids[bid_count].members);
        ++bid_count;
      }
      world.counters.bids += static_cast<int>(bid_count);
      award(world, hooks, o, std::span<Bid>(bids.data(), bid_count));
      for (std::size_t b = 0; b < bid_count; ++b)
        for (int m : bids[b].members) in_bid[m] = 0;
    }
  }
}

}  // namespace klynge
