// The writer thread: bounded queue, many producers, errors that must not deadlock.
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>
#include "tests/support/temp_dir.hpp"

#include "sim/io/results_reader.hpp"
#include "sim/run/writer_thread.hpp"

namespace fs = std::filesystem;
using namespace klynge;

namespace {

struct TempDir : klynge::testing::TempDir {
  TempDir() : klynge::testing::TempDir("klynge-writer-test") {}
};

ResultsHeader small_header(int replicates, int detail = 1) {
  ResultsHeader h;
  h.tool_version = "test";
  h.scenario_name = "writer";
  h.replicates = replicates;
  h.horizon = 3;
  h.detail_replicates = detail;
  h.variants.push_back({"a", "", {}, {}, "", {}});
  h.variants.push_back({"b", "", {"x"}, {"network_meeting"}, "", {""}});
  for (int f = 0; f < 3; ++f) {
    std::string pseudonym = "F";  // (not "F" + ...: GCC 12 -Wrestrict false positive)
    pseudonym += std::to_string(f);
    h.pseudonyms.push_back(pseudonym);
    h.municipalities.push_back("Viborg");
    h.lat.push_back(56.4);
    h.lon.push_back(9.4);
    h.employees.push_back(5);
    h.revenue_mdkk.push_back(3);
    h.export_share.push_back(0);
    h.market_share.push_back({1, 0, 0});
    h.participant.push_back(1);
    h.synthetic.push_back(0);
  }
  return h;
}

ReplicateOutput output(const ResultsHeader& h, int variant, int replicate) {
  ReplicateOutput r;
  r.variant = variant;
  r.replicate = replicate;
  r.steps = h.horizon + 1;
  r.metrics.assign(static_cast<std::size_t>(r.steps) * kMetricCount, variant * 1000.0 + replicate);
  r.final_firms.assign(h.pseudonyms.size() * kFirmVariableCount, replicate * 0.5);
  if (replicate < h.detail_replicates) {
    r.detail_index = replicate;
    r.trajectories.assign(
        static_cast<std::size_t>(r.steps) * h.pseudonyms.size() * kFirmVariableCount, 1.5f);
    r.events.push_back(Event{1, EventType::tie_formed, 0, 1, -1, 0.3, 0, 0});
    r.ties.push_back(TieRecord{1, 0, 1, 0.3f, 1});
  }
  return r;
}

}  // namespace

TEST_CASE("writer thread: capacity 1, many producers, everything written", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("r.h5");
  const int replicates = 100;
  const ResultsHeader h = small_header(replicates, 3);
  WriterThread writer(std::make_unique<ResultsWriter>(path, h, false), 1);
  std::vector<std::thread> producers;
  for (int t = 0; t < 4; ++t)
    producers.emplace_back([&, t] {
      for (int i = t; i < 2 * replicates; i += 4) writer.push(output(h, i % 2, i / 2));
    });
  for (auto& p : producers) p.join();
  writer.close(true);
  CHECK(writer.written() == 2 * replicates);
  writer.close(true);  // a second close does nothing

  const ResultsFile r = read_results(path);
  CHECK(r.status == "complete");
  for (int v = 0; v < 2; ++v) {
    const VariantResults& vr = r.variants[static_cast<std::size_t>(v)];
    CHECK(vr.completed_count() == replicates);
    for (int rep = 0; rep < replicates; ++rep)
      CHECK(vr.metric(static_cast<std::size_t>(rep), 2, 7) == v * 1000.0 + rep);
  }
  const DetailResults d = read_detail(path, "b");
  CHECK(d.replicate == std::vector<std::int32_t>{0, 1, 2});
  CHECK(d.event_detail == std::vector<std::int32_t>{0, 1, 2});
  CHECK(d.tie_detail == std::vector<std::int32_t>{0, 1, 2});
}

TEST_CASE("writer thread: a writer error reaches push and close without deadlock", "[h5]") {
  TempDir dir;
  const std::string path = dir.file("r.h5");
  const ResultsHeader h = small_header(50);
  WriterThread writer(std::make_unique<ResultsWriter>(path, h, false), 1);
  writer.push(output(h, 0, 0));
  ReplicateOutput bad = output(h, 0, 1);
  bad.metrics.resize(3);  // the writer rejects it with std::invalid_argument
  writer.push(std::move(bad));
  // Producers keep pushing: push() must fail soon instead of blocking on the full queue.
  bool push_failed = false;
  for (int rep = 2; rep < 50 && !push_failed; ++rep) {
    try {
      writer.push(output(h, 0, rep));
    } catch (const std::invalid_argument&) {
      push_failed = true;
    }
    if (!push_failed) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  CHECK(push_failed);
  CHECK_THROWS_AS(writer.close(true), std::invalid_argument);
  // The file holds what was written before the error, marked incomplete.
  const ResultsFile r = read_results(path);
  CHECK(r.status == "incomplete");
  CHECK(r.variants[0].completed[0] == 1);
  CHECK(r.variants[0].completed[1] == 0);
}

TEST_CASE("writer thread: push after close is an error, destruction closes as incomplete", "[h5]") {
  TempDir dir;
  const ResultsHeader h = small_header(4);
  {
    WriterThread writer(std::make_unique<ResultsWriter>(dir.file("a.h5"), h, false), 8);
    writer.close(false);
    CHECK_THROWS_AS(writer.push(output(h, 0, 0)), std::logic_error);
  }
  CHECK(read_results(dir.file("a.h5")).status == "incomplete");
  {
    WriterThread writer(std::make_unique<ResultsWriter>(dir.file("b.h5"), h, false), 8);
    for (int rep = 0; rep < 4; ++rep)
      for (int v = 0; v < 2; ++v) writer.push(output(h, v, rep));
  }  // destroyed without close(): drains, then finishes as incomplete
  for (const auto& entry : fs::directory_iterator(dir.path))  // no temporary left
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
  const ResultsFile b = read_results(dir.file("b.h5"));
  CHECK(b.status == "incomplete");
  CHECK(b.variants[0].completed_count() == 4);
  CHECK(b.variants[1].completed_count() == 4);
}
