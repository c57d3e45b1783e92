#pragma once
// The results file (HDF5): layout in docs/results-layout.md. Only one thread may use a
// ResultsWriter (the runner's writer thread); HDF5's C++ API is not thread-safe.
#include <memory>
#include <string>

#include "sim/core/results.hpp"

namespace klynge {

class ResultsWriter {
 public:
  // Creates `final_path + ".tmp"`. Throws UsageError when final_path exists and !force.
  ResultsWriter(const std::string& final_path, const ResultsHeader& header, bool force);
  ~ResultsWriter();  // if finish() was not called: finishes as incomplete (keeps what was written)
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Writes one finished replicate into its rows and sets its `completed` flag.
  void write(const ReplicateOutput& replicate);
  // Sets the status attribute (complete/incomplete), closes the file and renames it into place.
  void finish(bool complete);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace klynge
