#pragma once
// The state of one replicate of one variant: firm columns (structure of arrays, cache-friendly),
// ties as an adjacency structure, facilitators, running projects and the programme's ledgers. (What
// the interventions switch on for a step lives in the interventions and reaches the mechanisms
// through their hooks: models/interventions/intervention.hpp; a mechanism's per-step buffers and
// caches are its own types, kept in `scratch`: MechanismScratch.) The step loop
// (sim/run/simulation.cpp) mutates it phase by phase; mechanisms in models/ touch only what their
// phase lends them. Its initial values are the model's (models/initial_state.cpp).
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "sim/core/cumulative_weights.hpp"
#include "sim/core/parallel.hpp"
#include "sim/core/population.hpp"
#include "sim/core/random.hpp"
#include "sim/core/results.hpp"
#include "sim/core/scenario.hpp"

namespace klynge {

struct Neighbour {
  int firm;  // the other firm
  int tie;   // index into World::ties
};

struct Tie {
  int a = -1, b = -1;  // a < b
  double trust = 0;
  bool alive = false;
  bool trade = false;             // interview supplier/customer relation: persistent
  bool partner_at_start = false;  // a partner already at step 0 (for participant_new_partner_share)
  int joint_projects = 0;
  int joint_successes = 0;
  int created = 0;            // step; age counts from here
  int last_interaction = -1;  // step of the last interaction
  // Reported type by precedence: trade, partner (joint projects), knowledge.
  std::uint8_t type() const { return trade ? 0 : (joint_projects > 0 ? 1 : 2); }
};

// Opportunities require at most this many capabilities (domestic 1-3, export 3-5).
inline constexpr std::size_t kMaxRequirements = 8;

struct Requirement {
  int capability;
  double min_level;
};

struct Project {
  std::uint64_t key = 0;  // stable id: (arrival step, segment, index) or legacy (firm, index)
  int segment = 0;
  double value = 0;          // mDKK
  int duration = 1;          // months
  int start = 0;             // first paying step
  int end = 0;               // last paying step; the outcome is drawn at the end of this step
  std::vector<int> members;  // lead first
  std::vector<double> shares;
  std::vector<Requirement> requirements;
  bool subsidised = false;
  bool legacy = false;
  double legacy_success = 0;  // legacy projects: success probability fixed at creation
};

// An opportunity of the current step (phases 2-5): arrives, gathers interested firms, gets bids
// and is awarded in its arrival step.
struct Opportunity {
  std::uint64_t key = 0;  // stable id: segment * 1'000'000 + index within (step, segment)
  int segment = 0;
  double value = 0;  // mDKK
  int duration = 1;  // months
  std::vector<Requirement> requirements;
  std::vector<int> aware;  // interested firms (base set, then boosts), no duplicates
};

// Firms bucketed by location (fixed for the run), so encounters sample partners by distance
// without scanning all firms.
struct LocationGrid {
  double cell_km = 10;
  std::vector<double> centre_x, centre_y;  // per non-empty cell
  std::vector<std::vector<int>> firms;     // per non-empty cell, in firm order
};

// Per firm, a set of capability indices stored as bits. insert() may be called for the same firm
// from several threads at once (an atomic OR: the result does not depend on the order).
class CapabilitySets {
 public:
  void assign(int firms, int capabilities) {
    words_ = (capabilities + 63) / 64;
    bits_.assign(static_cast<std::size_t>(firms) * words_, 0);
  }
  void clear() { std::fill(bits_.begin(), bits_.end(), 0); }
  void insert(int firm, int capability) {
    std::atomic_ref<std::uint64_t>(word(firm, capability))
        .fetch_or(std::uint64_t{1} << (capability % 64), std::memory_order_relaxed);
  }
  void set(int firm, const std::vector<int>& capabilities) {
    std::fill_n(bits_.begin() + static_cast<std::ptrdiff_t>(firm) * words_, words_, 0);
    for (int c : capabilities) insert(firm, c);
  }
  std::vector<int> list(int firm) const {  // ascending
    std::vector<int> out;
    for (int w = 0; w < words_; ++w)
      for (std::uint64_t b = bits_[static_cast<std::size_t>(firm) * words_ + w]; b; b &= b - 1)
        out.push_back(w * 64 + std::countr_zero(b));
    return out;
  }

 private:
  std::uint64_t& word(int firm, int capability) {
    return bits_[static_cast<std::size_t>(firm) * words_ + capability / 64];
  }
  int words_ = 0;
  std::vector<std::uint64_t> bits_;
};

// The mechanisms' scratch: buffers and per-step caches that carry nothing a result depends on
// from one step to the next (phase 4's lead plans and partner options, the market's recycled
// opportunity buffers, the facilitators' estimates of the step). Each mechanism defines its own
// type in models/ and reaches it with `world.scratch.get<T>()`, so the World names none of their
// types. One object per type, made on first use and then reused, so a warm step allocates
// nothing; a copy of the World copies it. get() is not safe against a concurrent first get() of
// any type: a mechanism takes its scratch on the calling thread before it splits a loop.
class MechanismScratch {
 public:
  MechanismScratch() = default;
  MechanismScratch(const MechanismScratch& other) { copy_from(other); }
  MechanismScratch(MechanismScratch&& other) noexcept : slots_(other.slots_) { other.slots_ = {}; }
  MechanismScratch& operator=(const MechanismScratch& other) {
    if (this != &other) {
      MechanismScratch copy(other);
      std::swap(slots_, copy.slots_);
    }
    return *this;
  }
  MechanismScratch& operator=(MechanismScratch&& other) noexcept {
    std::swap(slots_, other.slots_);
    return *this;
  }
  ~MechanismScratch() {
    for (Slot& slot : slots_)
      if (slot.object) slot.ops->destroy(slot.object);
  }

  template <class T>
  T& get() {
    Slot& slot = slots_[slot_of<T>()];
    if (!slot.object) [[unlikely]] {
      slot.object = new T();
      slot.ops = &kOps<T>;
    }
    return *static_cast<T*>(slot.object);
  }

 private:
  struct Ops {
    void* (*copy)(const void*);
    void (*destroy)(void*);
  };
  struct Slot {
    void* object = nullptr;
    const Ops* ops = nullptr;
  };
  template <class T>
  static constexpr Ops kOps = {
      [](const void* from) -> void* { return new T(*static_cast<const T*>(from)); },
      [](void* object) { delete static_cast<T*>(object); }};
  // A handful of mechanisms keep scratch; a fixed table never moves under a reader.
  static constexpr std::size_t kSlots = 8;
  static std::size_t next_slot() {
    static std::atomic<std::size_t> next{0};
    const std::size_t slot = next.fetch_add(1);
    if (slot >= kSlots) throw std::logic_error("MechanismScratch: more scratch types than kSlots");
    return slot;
  }
  // Each type's slot, numbered on first use (the numbering never affects a result).
  template <class T>
  static std::size_t slot_of() {
    static const std::size_t slot = next_slot();
    return slot;
  }
  void copy_from(const MechanismScratch& other) {
    for (std::size_t i = 0; i < kSlots; ++i)
      if (other.slots_[i].object) {
        slots_[i].object = other.slots_[i].ops->copy(other.slots_[i].object);
        slots_[i].ops = other.slots_[i].ops;
      }
  }
  std::array<Slot, kSlots> slots_{};
};

struct Facilitator {
  double competence = 0;  // the scenario's facilitators.competence (build_world; its default there)
};

// Money and hours of the programme. Cash is committed when an activity runs.
// Envelopes are ring-fenced (model.md v2.5 decisions): an intervention with an envelope spends
// only from it (and never more than the scenario budget left); interventions without one share
// `shared_left` = the scenario budget minus all envelopes, so they can never eat an envelope.
struct Ledger {
  double budget_left = 0;             // scenario budget (may be +inf)
  std::vector<double> envelope_left;  // per intervention: its ring-fenced envelope (+inf if none)
  double shared_left = std::numeric_limits<double>::infinity();  // for un-enveloped ones
  double cash_spent = 0;
  double staff_hours_used_total = 0;
  double hours_left_this_step = 0;
  double hours_used_this_step = 0;
  double hours_shortfall_this_step = 0;

  bool has_envelope(int intervention) const {
    return intervention >= 0 && static_cast<std::size_t>(intervention) < envelope_left.size() &&
           !std::isinf(envelope_left[static_cast<std::size_t>(intervention)]);
  }
  // Cash intervention `intervention` may still spend (>= 0; may be +inf).
  double available(int intervention) const {
    const double own = has_envelope(intervention)
                           ? envelope_left[static_cast<std::size_t>(intervention)]
                           : shared_left;
    return std::max(0.0, std::min(budget_left, own));
  }
  void commit(int intervention, double dkk) {
    if (dkk <= 0) return;
    budget_left -= dkk;
    if (has_envelope(intervention))
      envelope_left[static_cast<std::size_t>(intervention)] -= dkk;
    else
      shared_left -= dkk;
    cash_spent += dkk;
  }
};

// A cluster organisation set up by cluster_strategy (model.md v2.5): funded monthly for
// fund_months from its intervention's cash, then alive only while >= 2 of its members keep
// completing projects together successfully (dissolved after cluster_idle_months without one).
struct ClusterOrganisation {
  int intervention = -1;              // index of the cluster_strategy that set it up
  int founded = 0;                    // step of set-up (its first funded month)
  int funded_until = 0;               // funded on steps [founded, funded_until)
  bool funded = true;                 // false once the funding window ends or the money runs out
  bool alive = true;                  // false once dissolved (members' cluster_org reset to -1)
  int last_joint_success = -1000000;  // step of its members' latest successful joint project
  double monthly_dkk = 0;             // funding per month
};

// Per-step flow counters, reset at the start of each step and read by Observe.
struct StepCounters {
  int opportunities_arrived = 0;
  int bids = 0;
  int projects_won = 0;
  int projects_succeeded = 0;
  int projects_failed = 0;
  double arrived_value = 0;
  double won_value = 0;
  int participant_bids = 0;                 // bids with at least one target firm among the members
  int joint_bids = 0;                       // bids of consortia with >= 2 enrolled members
  int participant_export_projects_won = 0;  // export projects won by bids with a target firm
};

struct World {
  // --- fixed for the run ---
  const Scenario* scenario = nullptr;
  const Variant* variant = nullptr;
  const ModelParameters* params = nullptr;
  RandomStreams streams{0, 0};
  PhaseParallelism parallelism;  // how phases split their loops (never changes a result)
  int firm_count = 0;
  int capability_count = 0;
  std::vector<std::array<double, kSegmentCount>> catalogue_weights;  // per capability
  std::vector<double> x_km, y_km;                                    // location projected to km
  std::vector<std::array<double, kDomesticSegmentCount>> market_share;
  std::vector<double> export_share;
  std::vector<int> main_segment;
  std::vector<char> participant;
  std::vector<std::vector<int>> dev_capabilities;  // capabilities its dev opportunities upgrade
  std::vector<double> initial_mean_capability, initial_reputation;
  std::array<double, kSegmentCount> arrival_rate{};  // lambda_s at step 0 (opportunities/month)
  // Relevance of each firm to each segment (share of its sales there; export only when
  // export_share >= 0.2) and its running sum, for O(1) weighted sampling of awareness.
  std::array<std::vector<double>, kSegmentCount> relevance;
  std::array<CumulativeWeights, kSegmentCount> relevance_cumulative;
  std::array<int, kSegmentCount> relevant_count{};
  std::array<std::vector<int>, kSegmentCount> relevant_firms;  // relevance > 0, in firm order
  std::vector<double> initial_base_revenue, initial_capacity;
  LocationGrid grid;

  // --- firm state (columns) ---
  std::vector<double> base_revenue;  // B, mDKK/yr
  std::vector<double> employees, productivity;
  std::vector<double> capacity;      // mDKK/month of project revenue it can carry
  std::vector<double> load;          // mDKK/month committed to running projects and reserved bids
  std::vector<double> capabilities;  // [firm * capability_count + c]
  std::vector<double> willingness, ambition, absorptive, motivation, reputation;
  std::vector<char> enrolled, mapped, dev_activated;
  std::vector<int> solo_successes;
  std::vector<int> study_trip_until;        // development boost until this step (exclusive)
  std::vector<int> dev_activated_at;        // step of the interview that activated them (-1 none)
  std::vector<int> cluster_org;             // cluster organisation id, -1 none
  std::vector<int> last_programme_contact;  // step
  CapabilitySets unmet_needs;  // capabilities it lacked as a would-be lead in the previous step
  CapabilitySets unmet_needs_next;
  // Project book: income per month in a ring of the last 12 months.
  std::vector<double> book_ring;  // [firm * 12 + month % 12]
  std::vector<double> income_this_step;

  // --- network ---
  std::vector<Tie> ties;
  std::vector<int> free_ties;
  std::vector<std::vector<Neighbour>> adjacency;
  std::set<std::vector<int>> strategic_networks;
  // Facilitator proposals (matchmaking) usable in consortium formation: sorted pairs (a < b) and
  // the step of the introduction (a proposal lapses after proposal_months).
  std::map<std::pair<int, int>, int> proposals;

  // --- programme ---
  std::vector<Facilitator> facilitators;
  Ledger ledger;
  int introductions_accepted = 0;  // matchmaking introductions accepted so far (cumulative)
  int cluster_organisations = 0;   // organisations ever set up (the next id)
  // Per organisation id (may be shorter than cluster_organisations in unit tests that set
  // cluster_org by hand: such organisations are simply never funded or dissolved).
  std::vector<ClusterOrganisation> organisations;
  int live_organisations() const {
    int n = 0;
    for (const auto& o : organisations) n += o.alive ? 1 : 0;
    return n;
  }

  // --- projects ---
  std::vector<Project> projects;
  std::vector<Opportunity> opportunities;  // this step's arrivals (processing order after phase 4)

  // --- observation ---
  std::vector<int> cluster_label;  // latest detection, matched labels; -1 none
  int next_cluster_label = 0;
  int last_detection_step = -1;
  std::vector<int> latest_clusters;  // labels of qualifying clusters at the latest detection
  StepCounters counters;
  int step = 0;

  // --- the mechanisms' scratch (no state: see MechanismScratch) ---
  mutable MechanismScratch scratch;

  // --- detail outputs (only filled for detail replicates) ---
  bool record_events = false;
  std::vector<Event> events;

  // Helpers shared by mechanisms.
  double capability(int firm, int c) const { return capabilities[firm * capability_count + c]; }
  double& capability(int firm, int c) { return capabilities[firm * capability_count + c]; }
  double project_book(int firm) const {
    double sum = 0;
    for (int m = 0; m < 12; ++m) sum += book_ring[firm * 12 + m];
    return sum;
  }
  double revenue(int firm) const { return base_revenue[firm] + project_book(firm); }
  double free_capacity(int firm) const { return capacity[firm] - load[firm]; }
  double distance_km(int a, int b) const;
  double mean_capability(int firm) const;

  // Ties: find (or -1), add (returns index; revives nothing: a new record), touch.
  int find_tie(int a, int b) const;
  int add_tie(int a, int b, double trust, int step_created);
  void remove_tie(int tie);
  // Creates the tie at `new_trust` or raises an existing one by `gain`; marks interaction.
  int meet(int a, int b, double new_trust, double gain);
  void emit(const Event& event) {
    if (record_events) events.push_back(event);
  }
  // Whole-programme contact bookkeeping (motivation decay).
  void contact(int firm) { last_programme_contact[firm] = step; }
};

}  // namespace klynge
