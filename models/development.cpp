// Phase 11, firm development: with probability rate x ambition x boosts, one capability tied to
// the firm's development opportunities rises by a step. Boosts: x development_boost_interview
// once an interview activated its opportunities; x development_boost_joint for the members of a
// running consortium with >= 2 enrolled members while joint_development runs (model.md v2.5
// decisions: not every enrolled firm), or for the months after a study trip.
#include <algorithm>

#include "models/mechanisms.hpp"

namespace klynge {

namespace {

void develop(World& world, const ModelParameters& p, int t, int f,
             const std::vector<char>& boosted) {
  const auto& options = world.dev_capabilities[f];
  if (options.empty()) return;
  double chance = p.development_rate * world.ambition[f];
  // The interview's boost lasts development_boost_interview_months from the interview (firms
  // set activated by hand, dev_activated_at -1, count from step 0).
  if (world.dev_activated[f] &&
      t - std::max(0, world.dev_activated_at[f]) < p.development_boost_interview_months)
    chance *= p.development_boost_interview;
  const bool joint = !boosted.empty() && boosted[f];
  if (joint || world.study_trip_until[f] > t) chance *= p.development_boost_joint;
  KeyedRng rng = world.streams.rng(Process::firm_development, t, static_cast<std::uint64_t>(f));
  if (!rng.bernoulli(chance)) return;
  const std::size_t pick =
      std::min(options.size() - 1, static_cast<std::size_t>(rng.uniform() * options.size()));
  double& level = world.capability(f, options[pick]);
  level = std::min(1.0, level + p.development_step);
}

}  // namespace

void firm_development(World& world, const PhaseHooks& hooks) {
  const ModelParameters& p = *world.params;
  const int t = world.step;
  // Firms the interventions' development hooks boost this step (joint_development: members of
  // the running consortia it acts on), found once.
  std::vector<char> boosted;
  if (!hooks.development.empty()) {
    boosted.assign(static_cast<std::size_t>(world.firm_count), 0);
    for (const Intervention* hook : hooks.development) hook->development_boost(world, boosted);
  }
  // A firm's draw and change touch only its own state: firms are independent, so chunks of them
  // run in parallel.
  for_each_chunk(world.parallelism, static_cast<std::size_t>(world.firm_count),
                 [&](std::size_t begin, std::size_t end) {
                   for (int f = static_cast<int>(begin); f < static_cast<int>(end); ++f)
                     develop(world, p, t, f, boosted);
                 });
}

}  // namespace klynge
