#pragma once
// Phase 14, observe: the metrics row of the current state, community detection on its schedule
// (observation only: it never feeds back, except through cluster_strategy reading the latest
// detection), and the per-firm trajectory row for detail replicates.
#include <vector>

#include "sim/core/world.hpp"

namespace klynge {

// Fills `row` (kMetricCount values) for the state after the current step (or the initial state
// when world.step < 0 ... see observe_initial). `detect` runs community detection now.
// `firm_row`, when not null, receives [firm][FirmVariable] values.
void observe(World& world, bool detect, std::vector<double>& row, std::vector<float>* firm_row);

}  // namespace klynge
