#include "sim/run/shared_draws.hpp"

#include <algorithm>

namespace klynge {

SharedDraws::SharedDraws(int horizon, std::size_t byte_budget, std::atomic<std::size_t>& bytes_held)
    : slots_(std::make_unique<Slot[]>(static_cast<std::size_t>(std::max(horizon, 0)))),
      horizon_(horizon),
      budget_(byte_budget),
      bytes_held_(bytes_held) {}

SharedDraws::~SharedDraws() {
  bytes_held_ -= bytes_mine_;
}

const CommonDraws& SharedDraws::at(int step, CommonDraws& own,
                                   const std::function<void(CommonDraws&)>& draw) {
  if (step < 0 || step >= horizon_) {  // outside the run: nothing to share
    draw(own);
    return own;
  }
  Slot& slot = slots_[static_cast<std::size_t>(step)];
  int state = slot.state.load(std::memory_order_acquire);
  if (state == kReady) return slot.draws;
  if (state != kEmpty ||
      !slot.state.compare_exchange_strong(state, kDrawing, std::memory_order_acq_rel)) {
    if (state == kReady) return slot.draws;  // finished between the load and the exchange
    draw(own);  // another variant is drawing it, or it will not be stored
    return own;
  }
  try {
    draw(slot.draws);
  } catch (...) {  // e.g. a stop request: the next variant to come draws it again
    slot.draws = CommonDraws{};
    slot.state.store(kEmpty, std::memory_order_release);
    throw;
  }
  const std::size_t bytes = slot.draws.bytes();
  if (bytes_held_.fetch_add(bytes) + bytes > budget_) {
    bytes_held_ -= bytes;
    std::swap(own, slot.draws);  // the caller keeps them; the slot frees its buffers
    slot.draws = CommonDraws{};
    slot.state.store(kUnshared, std::memory_order_release);
    return own;
  }
  bytes_mine_ += bytes;
  slot.state.store(kReady, std::memory_order_release);
  return slot.draws;
}

SharedDrawsCache::SharedDrawsCache(int horizon, std::size_t window, std::size_t byte_budget)
    : horizon_(horizon), window_(window), budget_(byte_budget) {}

std::shared_ptr<SharedDraws> SharedDrawsCache::acquire(long long row,
                                                       std::vector<double> parameters) {
  std::lock_guard lock(mutex_);
  for (const Entry& e : entries_)
    if (e.row == row && e.parameters == parameters) return e.draws;
  // Drop the oldest stores nobody holds until the window has room.
  for (auto it = entries_.begin(); entries_.size() >= window_ && it != entries_.end();)
    it = it->draws.use_count() == 1 ? entries_.erase(it) : it + 1;
  auto draws = std::make_shared<SharedDraws>(horizon_, budget_, bytes_held_);
  entries_.push_back({row, std::move(parameters), draws});
  return draws;
}

std::vector<double> parameter_values(const ModelParameters& parameters) {
  std::vector<double> values;
  for (const ParamSpec& spec : model_parameter_table()) values.push_back(parameters.*spec.field);
  return values;
}

}  // namespace klynge
