// PLACEHOLDER — replaced by the HDF5 results writer.
#include "sim/io/results_h5.hpp"
#include <stdexcept>
namespace klynge {
struct ResultsWriter::Impl {};
ResultsWriter::ResultsWriter(const std::string&, const ResultsHeader&, bool) { throw std::logic_error("results writer not implemented yet"); }
ResultsWriter::~ResultsWriter() = default;
void ResultsWriter::write(const ReplicateOutput&) {}
void ResultsWriter::finish(bool) {}
}  // namespace klynge
