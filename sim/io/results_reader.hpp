#pragma once
// Reads a klynge results file (docs/results-layout.md) into memory, for `inspect`, `compare`,
// `report` and the tests. Everything but the detail group is read at once; read_detail() reads
// one variant's detail replicates on demand.
#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/results.hpp"

namespace klynge {

// One dataset of the file, for listings (`klynge inspect`).
struct DatasetSummary {
  std::string path;                  // e.g. "/variants/baseline/metrics"
  std::string type;                  // "float64", "float32", "int32", "int64", "uint8", "string"...
  std::vector<std::uint64_t> shape;  // extents
  std::vector<std::string> dims;     // dimension labels ("" where none)
  std::string units;                 // the units attribute when it is one string, else ""
};

struct VariantResults {
  std::string name;
  std::size_t replicates = 0, steps = 0, metric_count = 0;
  std::vector<double> metrics;          // [replicate][step][metric], row-major; NaN unwritten
  std::vector<std::uint8_t> completed;  // [replicate]: 1 once written
  std::size_t firms = 0, firm_variables = 0;
  std::vector<double> final_firms;  // [replicate][firm][firm_variable], row-major
  bool has_detail = false;

  double metric(std::size_t replicate, std::size_t step, std::size_t metric) const {
    return metrics[(replicate * steps + step) * metric_count + metric];
  }
  double final_firm(std::size_t replicate, std::size_t firm, std::size_t variable) const {
    return final_firms[(replicate * firms + firm) * firm_variables + variable];
  }
  std::size_t completed_count() const;
};

struct ResultsFile {
  std::string path;
  int schema_version = 0;
  std::string created;  // ISO 8601 UTC
  std::string status;   // "complete" | "incomplete"
  bool complete() const;
  // Provenance, the initial population and the variants' configurations, as written (names only
  // when header.reveal_names). header.variants and variants are in the same (scenario) order.
  ResultsHeader header;
  std::vector<std::string> metric_names, metric_units;
  std::vector<std::string> firm_variable_names, firm_variable_units;
  std::vector<VariantResults> variants;
  std::vector<DatasetSummary> datasets;  // every dataset in the file, by path

  const VariantResults* find_variant(const std::string& name) const;  // nullptr if none
  int metric_index(const std::string& name) const;                    // -1 if none
};

// Throws InputError (naming the path) when the file is missing, not HDF5, not a klynge results
// file, of another schema_version, or unreadable.
ResultsFile read_results(const std::string& path);

// The detail replicates of one variant. Throws InputError as read_results does, and when the
// variant does not exist or has no detail group.
struct DetailResults {
  std::size_t detail_replicates = 0, steps = 0, firms = 0, firm_variables = 0;
  std::vector<std::int32_t> replicate;  // [detail_replicate]: its replicate number (-1 unwritten)
  std::vector<float> trajectories;      // [detail_replicate][step][firm][firm_variable]
  std::vector<std::int32_t> event_detail;  // per event: its detail replicate
  std::vector<Event> events;
  std::vector<std::int32_t> tie_detail;  // per tie row: its detail replicate
  std::vector<TieRecord> ties;

  float trajectory(std::size_t d, std::size_t step, std::size_t firm, std::size_t var) const {
    return trajectories[((d * steps + step) * firms + firm) * firm_variables + var];
  }
};
// `events_only` leaves trajectories and ties out (compare's programme table needs only the
// events; the trajectories of a large population run to hundreds of MB).
DetailResults read_detail(const std::string& path, const std::string& variant,
                          bool events_only = false);

namespace detail {
// Runs `read` in a child process first (results_reader.cpp says why): throws InputError naming
// `path` when the child dies by a signal or does not finish in time; returns otherwise, also
// when `read` threw. Exposed for the tests.
void first_pass_in_a_child(const std::string& path, const std::function<void()>& read);
// read_results / read_detail without the child pass: in-process, for fuzz targets (a crash must
// reach the fuzzer) and for the child itself.
ResultsFile read_results_directly(const std::string& path);
DetailResults read_detail_directly(const std::string& path, const std::string& variant,
                                   bool events_only = false);
}  // namespace detail

}  // namespace klynge
