// Variants share their replicate's common draws (sim/run/shared_draws.hpp): a store hands out what
// the first variant drew, never waits, refuses beyond its budget, and a run of several variants
// gives each variant the very bits it gets when run alone (then nothing is shared).
#include <catch2/catch.hpp>
#include <fstream>
#include <stdexcept>

#include "sim/io/results_reader.hpp"
#include "sim/run/shared_draws.hpp"
#include "tests/support/same_results.hpp"
#include "tests/support/temp_dir.hpp"

using namespace klynge;

namespace {

// A draw function that records how often it ran and leaves one recognisable opportunity.
struct CountingDraw {
  int calls = 0;
  std::uint64_t key = 7;
  std::function<void(CommonDraws&)> function() {
    return [this](CommonDraws& drawn) {
      ++calls;
      drawn.opportunities.assign(1, DrawnOpportunity{});
      drawn.opportunities[0].key = key;
      drawn.opportunities[0].base_aware = {1, 2, 3};
    };
  }
};

}  // namespace

TEST_CASE("shared draws: the first variant draws a step, the others read it", "[shared_draws]") {
  std::atomic<std::size_t> held{0};
  auto store = std::make_shared<SharedDraws>(3, std::size_t{1} << 20, held);
  CountingDraw draw;
  CommonDraws own_a, own_b;
  const CommonDraws& first = store->at(1, own_a, draw.function());
  CHECK(draw.calls == 1);
  CHECK(&first != &own_a);  // stored, not the caller's buffer
  const CommonDraws& second = store->at(1, own_b, draw.function());
  CHECK(draw.calls == 1);  // read, not drawn again
  CHECK(&second == &first);
  CHECK(second.opportunities.at(0).key == 7);
  CHECK(held.load() > 0);
  // Another step is drawn separately; a step outside the horizon is never stored.
  store->at(2, own_a, draw.function());
  CHECK(draw.calls == 2);
  CHECK(&store->at(5, own_a, draw.function()) == &own_a);
  CHECK(draw.calls == 3);
  store.reset();
  CHECK(held.load() == 0);  // the store gives its bytes back
}

TEST_CASE("shared draws: beyond the budget each variant draws its own", "[shared_draws]") {
  std::atomic<std::size_t> held{0};
  SharedDraws store(2, 1, held);  // one byte: nothing fits
  CountingDraw draw;
  CommonDraws own_a, own_b;
  const CommonDraws& a = store.at(0, own_a, draw.function());
  const CommonDraws& b = store.at(0, own_b, draw.function());
  CHECK(&a == &own_a);
  CHECK(&b == &own_b);
  CHECK(draw.calls == 2);
  CHECK(own_a.opportunities.at(0).base_aware == std::vector<int>{1, 2, 3});
  CHECK(held.load() == 0);
}

TEST_CASE("shared draws: a draw that throws leaves the step to the next variant",
          "[shared_draws]") {
  std::atomic<std::size_t> held{0};
  SharedDraws store(2, std::size_t{1} << 20, held);
  CommonDraws own;
  CHECK_THROWS_AS(store.at(0, own, [](CommonDraws&) { throw std::runtime_error("stop"); }),
                  std::runtime_error);
  CountingDraw draw;
  const CommonDraws& drawn = store.at(0, own, draw.function());
  CHECK(draw.calls == 1);
  CHECK(&drawn != &own);  // stored this time
}

TEST_CASE("shared draws: the cache keys stores by replicate and parameter values",
          "[shared_draws]") {
  SharedDrawsCache cache(4, 2, std::size_t{1} << 20);
  const std::vector<double> p = {1, 2}, q = {1, 3};
  auto a = cache.acquire(0, p);
  CHECK(cache.acquire(0, p) == a);
  CHECK(cache.acquire(0, q) != a);  // other parameters: another store
  CHECK(cache.acquire(1, p) != a);  // another replicate
  // A store still held is never dropped, whatever the window.
  for (int row = 2; row < 10; ++row) cache.acquire(row, p);
  CHECK(cache.acquire(0, p) == a);
  // One nobody holds is dropped once the window is full (its memory freed).
  const std::weak_ptr<SharedDraws> unheld = cache.acquire(3, p);
  CHECK(!unheld.expired());
  for (int row = 10; row < 20; ++row) cache.acquire(row, p);
  CHECK(unheld.expired());
}

namespace {

// Runs `scenario` with all its variants together (2 threads: variants share stores) and each
// variant alone (1 thread: nothing to share), and compares every variant's metrics and final
// firms byte for byte.
void require_shared_equals_alone(const std::string& scenario, int replicates) {
  const klynge::testing::TempDir dir("klynge-shared-draws");
  RunOptions together;
  together.output = dir.file("together.h5");
  together.threads = 2;
  together.replicates = replicates;
  const ResultsFile all = read_results(klynge::testing::run_to_completion(scenario, together));
  REQUIRE(all.variants.size() >= 3);
  for (const VariantResults& shared : all.variants) {
    INFO("variant " << shared.name);
    RunOptions alone = together;
    alone.threads = 1;
    alone.variants = {shared.name};
    alone.output = dir.file(shared.name + ".h5");
    const ResultsFile one = read_results(klynge::testing::run_to_completion(scenario, alone));
    REQUIRE(one.variants.size() == 1);
    CHECK(klynge::testing::same_bytes(one.variants[0].metrics, shared.metrics));
    CHECK(klynge::testing::same_bytes(one.variants[0].final_firms, shared.final_firms));
  }
}

}  // namespace

TEST_CASE("shared draws: every variant of a shared run has the bits of its run alone",
          "[shared_draws][determinism]") {
  require_shared_equals_alone(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", 3);
}

TEST_CASE("shared draws: a probabilistic run shares per draw, with the bits of each variant alone",
          "[shared_draws][determinism]") {
  // 6 parameter draws x 2 replicates: every row has its own parameter values (project_share moves
  // the arrival rates), shared by the row's three variants.
  require_shared_equals_alone(KLYNGE_SOURCE_DIR "/tests/scenarios/psa_small.yaml", 2);
}

TEST_CASE("shared draws: a variant with other parameters draws its own",
          "[shared_draws][determinism]") {
  // aware_mean changes the base sets: the variant that overrides it must not read the others'.
  const klynge::testing::TempDir dir("klynge-shared-params");
  const std::string data = KLYNGE_SOURCE_DIR "/scenarios/data/";
  const std::string scenario = dir.file("params.yaml");
  std::ofstream(scenario) << "schema_version: 1\nname: shared-params\nseed: 5\nhorizon: 12\n"
                          << "replicates: 2\npopulation:\n  firms: " << data
                          << "midtjylland_firms.csv\n  relations: " << data
                          << "midtjylland_relations.csv\ncatalogue: " << data
                          << "midtjylland_catalogue.yaml\n"
                          << "interventions:\n"
                          << "  - {id: meetings, type: network_meeting, at: [3, 6, 9]}\n"
                          << "variants:\n  baseline: {interventions: []}\n  programme: {}\n"
                          << "  fewer_aware: {parameters: {aware_mean: 3}}\n";
  require_shared_equals_alone(scenario, 2);
  // The override really changes what is drawn (else this test could not fail).
  RunOptions options;
  options.output = dir.file("check.h5");
  options.threads = 1;
  const ResultsFile file = read_results(klynge::testing::run_to_completion(scenario, options));
  REQUIRE(file.variants.size() == 3);
  CHECK(!klynge::testing::same_bytes(file.variants[1].metrics, file.variants[2].metrics));
}
