#pragma once
// The results file (HDF5): layout in docs/results-layout.md. Only one thread may use a
// ResultsWriter (the runner's writer thread); HDF5's C++ API is not thread-safe.
#include <memory>
#include <string>

#include "sim/core/results.hpp"

namespace klynge {

// Root attribute `format` of every klynge results file (the reader checks it).
inline constexpr const char* kResultsFormat = "klynge-results";
// Values of the root attribute `status`.
inline constexpr const char* kStatusComplete = "complete";
inline constexpr const char* kStatusIncomplete = "incomplete";

class ResultsWriter {
 public:
  // Creates a unique temporary next to final_path (output_file.hpp). Throws UsageError when
  // final_path is a directory or not a regular file, exists and !force, or its folder does not
  // exist (checked before any other work), or when the temporary cannot be created there.
  ResultsWriter(const std::string& final_path, const ResultsHeader& header, bool force);
  ~ResultsWriter();  // if finish() was not called: finishes as incomplete (keeps what was written)
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  // Writes one finished replicate into its rows and sets its `completed` flag. Throws
  // std::invalid_argument for a replicate that does not fit the header (index out of range,
  // wrong array sizes, written twice), OutputError when the disk refused a write (full, I/O
  // error; call finish() then, which discards the file) and std::runtime_error for an HDF5
  // failure. The rvalue
  // overload avoids copying a detail replicate's events and ties when it arrives out of order.
  void write(const ReplicateOutput& replicate);
  void write(ReplicateOutput&& replicate);
  // Sets the status attribute (complete/incomplete), closes and fsyncs the file, reads it back
  // and renames it into place (without force: only if final_path still does not exist). After a
  // write failure, or when closing or the check fails, it removes the temporary instead, leaves
  // final_path as it was and throws OutputError naming the path and the cause. Calling it again
  // does nothing.
  void finish(bool complete);

  const std::string& path() const;  // the final path
  bool finished() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace klynge
