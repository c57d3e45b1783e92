// The results file writer. Every name, unit and description it writes comes from the layout table
// (results_layout.hpp; docs/results-layout.md is generated from it); bump kSchemaVersion on any
// incompatible change.
//
// Determinism: every replicate is written to its own rows (index = replicate), the per-replicate
// numeric datasets are written in whole chunks only (rows are gathered into chunk-sized blocks in
// memory first), a detail replicate's trajectory rows go to its own slab of trajectories (step by
// step as they arrive; a chunk spanning several steps or detail replicates, in small runs, is
// completed in the chunk cache and holds the same values in any order), and its events and ties
// are appended in detail-index order whatever order the replicates finish in. The datasets
// therefore hold the same values, whatever the thread count.
//
// Memory: a detail replicate may arrive in step slices (ReplicateOutput::Part, the runner streams
// the ones it runs itself). Trajectory rows are written as they come. Table rows are appended at
// once for the first detail replicate of a variant not yet ended; those of a later one wait in
// memory until it ends (a one-variant run with several replicates on several threads: up to one
// detail replicate's tables; docs/performance.md, "Detail outputs streamed").
#include "sim/io/results_h5.hpp"
#include "sim/io/hdf5_quiet.hpp"

#include <H5Cpp.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/core/population.hpp"
#include "sim/io/guarded_driver.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/results_layout.hpp"

namespace klynge {
namespace {

namespace L = layout;

// Chunks of about this size: big enough to compress well, small enough that the blocks waiting
// for their remaining rows stay small.
constexpr hsize_t kChunkTargetBytes = 256 * 1024;
constexpr hsize_t kTableChunkRows = 32768;
constexpr std::size_t kTableAppendBatch = 32 * kTableChunkRows;
// Small populations get smaller table chunks: each column keeps its tail chunks cached between
// the appends of a streamed detail replicate, and 32768-row chunks for a few hundred rows a
// step would make those caches (~2 MB per variant) the bulk of a small run's memory.
hsize_t table_chunk_rows(hsize_t firms) {
  hsize_t rows = 1024;
  while (rows < kTableChunkRows && rows < 8 * firms) rows *= 2;
  return rows;
}
constexpr int kGzipLevel = 1;
constexpr std::size_t kCacheSlots = 1009;  // prime, per the HDF5 chunk cache advice

std::runtime_error hdf5_failure(const std::string& path, const H5::Exception& e) {
  std::string what = "results file " + path + ": HDF5 error in " + e.getFuncName();
  if (!e.getDetailMsg().empty()) what += ": " + e.getDetailMsg();
  return std::runtime_error(what);
}

void check_hl(herr_t status, const char* what) {
  if (status < 0) throw std::runtime_error(std::string("HDF5 dimension scales: ") + what);
}

H5::StrType utf8_type() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

// Memory and file types of the numeric element types used in the file.
template <class T>
struct H5Types;
template <>
struct H5Types<double> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_DOUBLE; }
  static const H5::PredType& file() { return H5::PredType::IEEE_F64LE; }
};
template <>
struct H5Types<float> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_FLOAT; }
  static const H5::PredType& file() { return H5::PredType::IEEE_F32LE; }
};
template <>
struct H5Types<std::int32_t> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_INT32; }
  static const H5::PredType& file() { return H5::PredType::STD_I32LE; }
};
template <>
struct H5Types<std::int64_t> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_INT64; }
  static const H5::PredType& file() { return H5::PredType::STD_I64LE; }
};
template <>
struct H5Types<std::uint8_t> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_UINT8; }
  static const H5::PredType& file() { return H5::PredType::STD_U8LE; }
};
template <>
struct H5Types<std::uint64_t> {
  static const H5::PredType& mem() { return H5::PredType::NATIVE_UINT64; }
  static const H5::PredType& file() { return H5::PredType::STD_U64LE; }
};

// ---- attributes ----

H5::Attribute open_or_create_attr(const H5::H5Object& obj, const char* name,
                                  const H5::DataType& type, const H5::DataSpace& space) {
  if (obj.attrExists(name)) obj.removeAttr(name);
  return obj.createAttribute(name, type, space);
}

void put_attr(const H5::H5Object& obj, const char* name, const std::string& value) {
  const H5::StrType type = utf8_type();
  open_or_create_attr(obj, name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

void put_attr(const H5::H5Object& obj, const char* name, const std::vector<std::string>& values) {
  const H5::StrType type = utf8_type();
  const hsize_t n = values.size();
  H5::Attribute attr = open_or_create_attr(obj, name, type, H5::DataSpace(1, &n));
  if (values.empty()) return;  // HDF5 refuses to write zero elements from an empty buffer
  std::vector<const char*> ptrs;
  ptrs.reserve(values.size());
  for (const auto& v : values) ptrs.push_back(v.c_str());
  attr.write(type, ptrs.data());
}

template <class T>
void put_attr_number(const H5::H5Object& obj, const char* name, T value) {
  open_or_create_attr(obj, name, H5Types<T>::file(), H5::DataSpace(H5S_SCALAR))
      .write(H5Types<T>::mem(), &value);
}

template <std::size_t N>
std::vector<std::string> to_strings(const std::array<const char*, N>& names) {
  return {names.begin(), names.end()};
}

void put_attr(const H5::H5Object& obj, const L::Entry& attr, const std::string& value) {
  put_attr(obj, attr.name, value);
}
void put_attr(const H5::H5Object& obj, const L::Entry& attr,
              const std::vector<std::string>& values) {
  put_attr(obj, attr.name, values);
}
template <class T>
void put_attr_number(const H5::H5Object& obj, const L::Entry& attr, T value) {
  put_attr_number<T>(obj, attr.name, value);
}

// A dataset's `units` and `description` as the layout table declares them.
void describe(const H5::H5Object& obj, const L::Entry& entry) {
  put_attr(obj, L::common::units, entry.unit);
  put_attr(obj, L::common::description, entry.meaning);
}
// A group's (or an array-unit dataset's) `description` alone.
void describe_only(const H5::H5Object& obj, const L::Entry& entry) {
  put_attr(obj, L::common::description, entry.meaning);
}

// ---- datasets ----

std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims, std::size_t element_size) {
  std::vector<hsize_t> chunk(dims);
  for (auto& c : chunk) c = std::max<hsize_t>(c, 1);
  chunk[0] = 1;
  auto bytes = [&] {
    hsize_t b = element_size;
    for (auto c : chunk) b *= c;
    return b;
  };
  // Too big: split the inner axes, outermost first (a chunk then holds whole inner rows).
  for (std::size_t i = 1; i < chunk.size(); ++i)
    while (bytes() > kChunkTargetBytes && chunk[i] > 1) chunk[i] = (chunk[i] + 1) / 2;
  // Too small: gather several leading rows (replicates) into one chunk.
  if (bytes() < kChunkTargetBytes)
    chunk[0] = std::min<hsize_t>(std::max<hsize_t>(dims[0], 1),
                                 std::max<hsize_t>(1, kChunkTargetBytes / bytes()));
  return chunk;
}

hsize_t product(const std::vector<hsize_t>& v, std::size_t from = 0) {
  hsize_t p = 1;
  for (std::size_t i = from; i < v.size(); ++i) p *= v[i];
  return p;
}

// A numeric dataset: chunked, shuffle + gzip, fill value, its own chunk cache. A dataset with a
// zero-length axis cannot be chunked (chunk extents must be >= 1 and <= fixed extents) and is
// stored contiguous. `chunk` receives the chunk shape (the dims for a contiguous dataset).
template <class T>
H5::DataSet create_numeric(const H5::Group& parent, const char* name,
                           const std::vector<hsize_t>& dims, T fill,
                           std::vector<hsize_t>* chunk = nullptr, int cached_chunks = 2) {
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data());
  H5::DSetCreatPropList create;
  create.setFillValue(H5Types<T>::mem(), &fill);
  create.setFillTime(H5D_FILL_TIME_IFSET);
  H5::DSetAccPropList access;
  std::vector<hsize_t> shape = dims;
  if (product(dims) > 0) {
    shape = chunk_shape(dims, sizeof(T));
    create.setChunk(static_cast<int>(shape.size()), shape.data());
    create.setShuffle();
    create.setDeflate(kGzipLevel);
    const hsize_t chunk_bytes = product(shape) * sizeof(T);
    access.setChunkCache(kCacheSlots, static_cast<std::size_t>(chunk_bytes) * cached_chunks, 1.0);
  }
  if (chunk) *chunk = shape;
  return parent.createDataSet(name, H5Types<T>::file(), space, create, access);
}

// A 1-D dataset written once at creation.
template <class T>
H5::DataSet create_filled(const H5::Group& parent, const char* name, const std::vector<T>& values,
                          T fill = T{}) {
  H5::DataSet ds = create_numeric<T>(parent, name, {values.size()}, fill);
  if (!values.empty()) ds.write(values.data(), H5Types<T>::mem());
  return ds;
}

// A 1-D dataset of variable-length UTF-8 strings (small: contiguous, uncompressed; the strings
// themselves live in the file's global heap, where filters would not reach them anyway).
H5::DataSet create_strings(const H5::Group& parent, const char* name,
                           const std::vector<std::string>& values) {
  const H5::StrType type = utf8_type();
  const hsize_t n = values.size();
  H5::DataSet ds = parent.createDataSet(name, type, H5::DataSpace(1, &n));
  if (!values.empty()) {
    std::vector<const char*> ptrs;
    ptrs.reserve(values.size());
    for (const auto& v : values) ptrs.push_back(v.c_str());
    ds.write(ptrs.data(), type);
  }
  return ds;
}

// An extendible 1-D column of a table (events, ties): starts empty, grows by appends.
template <class T>
H5::DataSet create_column(const H5::Group& parent, const char* name, hsize_t chunk) {
  const hsize_t zero = 0, unlimited = H5S_UNLIMITED;
  H5::DataSpace space(1, &zero, &unlimited);
  H5::DSetCreatPropList create;
  const T fill{};
  create.setFillValue(H5Types<T>::mem(), &fill);
  create.setChunk(1, &chunk);
  create.setShuffle();
  create.setDeflate(kGzipLevel);
  H5::DSetAccPropList access;
  // Appends end mid-chunk: keep the tail chunks cached so the next append completes them.
  access.setChunkCache(kCacheSlots, 2 * chunk * sizeof(T), 1.0);
  return parent.createDataSet(name, H5Types<T>::file(), space, create, access);
}

template <class T>
void append_column(H5::DataSet& ds, hsize_t offset, const std::vector<T>& values) {
  if (values.empty()) return;
  const hsize_t count = values.size();
  const hsize_t new_size = offset + count;
  ds.extend(&new_size);
  H5::DataSpace file_space = ds.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, &count, &offset);
  H5::DataSpace mem_space(1, &count);
  ds.write(values.data(), H5Types<T>::mem(), mem_space, file_space);
}

// ---- dimension scales (C API of the high-level library on the C++ objects' ids) ----

void make_scale(const H5::DataSet& ds, const char* name) {
  check_hl(H5DSset_scale(ds.getId(), name), name);
}

void attach(const H5::DataSet& ds, std::initializer_list<const H5::DataSet*> scales,
            std::initializer_list<const char*> labels) {
  unsigned idx = 0;
  auto label = labels.begin();
  for (const H5::DataSet* scale : scales) {
    check_hl(H5DSattach_scale(ds.getId(), scale->getId(), idx), "attach");
    check_hl(H5DSset_label(ds.getId(), idx, *label), "label");
    ++idx;
    ++label;
  }
}

// ---- rows written in whole chunks ----

// Writes rows (index along axis 0) of a dataset whose chunks span `block_rows` rows: rows are
// gathered in memory until their chunk is complete, then written at once, so every chunk is
// compressed exactly once and holds the same bytes whatever order the rows arrive in. flush()
// writes the incomplete blocks (missing rows keep the fill value).
template <class T>
class RowWriter {
 public:
  RowWriter() = default;
  RowWriter(H5::DataSet ds, std::vector<hsize_t> dims, hsize_t block_rows, T fill)
      : ds_(std::move(ds)),
        dims_(std::move(dims)),
        row_size_(product(dims_, 1)),
        block_rows_(std::max<hsize_t>(block_rows, 1)),
        fill_(fill) {}

  void write(hsize_t row, const T* data) {
    if (row_size_ == 0) return;
    if (block_rows_ == 1) {
      write_rows(row, 1, data);
      return;
    }
    const hsize_t b = row / block_rows_;
    const hsize_t first = b * block_rows_;
    const hsize_t rows = std::min(block_rows_, dims_[0] - first);
    Block& block = blocks_[b];
    if (block.data.empty()) block.data.assign(rows * row_size_, fill_);
    std::copy(data, data + row_size_, block.data.begin() + (row - first) * row_size_);
    if (++block.filled == rows) {
      write_rows(first, rows, block.data.data());
      blocks_.erase(b);
    }
  }

  void flush() {
    for (auto& [b, block] : blocks_) {
      const hsize_t first = b * block_rows_;
      write_rows(first, std::min(block_rows_, dims_[0] - first), block.data.data());
    }
    blocks_.clear();
  }

 private:
  struct Block {
    std::vector<T> data;
    hsize_t filled = 0;
  };

  void write_rows(hsize_t first, hsize_t rows, const T* data) {
    std::vector<hsize_t> start(dims_.size(), 0), count = dims_;
    start[0] = first;
    count[0] = rows;
    H5::DataSpace file_space = ds_.getSpace();
    file_space.selectHyperslab(H5S_SELECT_SET, count.data(), start.data());
    H5::DataSpace mem_space(static_cast<int>(count.size()), count.data());
    ds_.write(data, H5Types<T>::mem(), mem_space, file_space);
  }

  H5::DataSet ds_;
  std::vector<hsize_t> dims_;
  hsize_t row_size_ = 0;
  hsize_t block_rows_ = 1;
  T fill_{};
  std::map<hsize_t, Block> blocks_;
};

template <class T>
RowWriter<T> row_writer(const H5::Group& parent, const char* name, const std::vector<hsize_t>& dims,
                        T fill, H5::DataSet* out) {
  std::vector<hsize_t> chunk;
  H5::DataSet ds = create_numeric<T>(parent, name, dims, fill, &chunk);
  *out = ds;
  return RowWriter<T>(ds, dims, chunk[0], fill);
}

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("results writer: " + message);
}

}  // namespace

// ---- the writer ----

struct ResultsWriter::Impl {
  std::string final_path;
  std::string tmp_path;
  hsize_t replicates = 0;
  hsize_t steps = 0;
  hsize_t firms = 0;
  hsize_t detail = 0;  // detail replicates per variant
  bool finished = false;
  bool force = false;
  std::vector<std::string> variant_names;  // for the check after closing
  // Write failures (disk full, ...) land here instead of in HDF5 (guarded_driver.hpp).
  WriteGuard guard;
  // On the heap so that it can be abandoned: after a failed H5Fclose HDF5 keeps the id of the
  // freed file, and the destructor's second close would crash.
  H5::H5File* file_object = new H5::H5File;
  H5::H5File& file = *file_object;
  bool file_abandoned = false;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    variants.clear();  // datasets before their file
    if (!file_abandoned) delete file_object;
  }

  // How far one detail replicate has come. Its table rows (events, ties) are appended only while
  // it is the first detail replicate not yet ended (`appending`); before that they wait here.
  struct DetailState {
    hsize_t steps_written = 0;  // trajectory rows written so far (in step order)
    bool ended = false;         // every row arrived
    bool appending = false;
    hsize_t event_start = 0, tie_start = 0;  // its first table rows, once appending
    std::vector<Event> events;               // waiting for the detail replicates before it
    std::vector<TieRecord> ties;
  };

  struct Variant {
    std::string name;
    H5::Group group;
    RowWriter<double> metrics;
    RowWriter<double> final_firms;
    RowWriter<std::uint8_t> completed;
    std::vector<bool> written;
    // detail
    H5::DataSet trajectories;
    RowWriter<std::int32_t> detail_replicate;
    RowWriter<std::int64_t> event_offset, event_count, tie_offset, tie_count;
    // detail_replicate, step, type, firm_a, firm_b, intervention, value, units_skipped, reason
    std::vector<H5::DataSet> event_columns;
    std::vector<H5::DataSet> tie_columns;  // detail_replicate, step, firm_a, firm_b, trust, type
    hsize_t events_rows = 0;
    hsize_t ties_rows = 0;
    std::vector<DetailState> details;  // [detail index]
    std::size_t next_detail = 0;       // the first detail replicate not yet ended
  };
  std::vector<Variant> variants;

  void write_header(const ResultsHeader& header);
  void write_uncertainty(const ResultsHeader::Draws& u, const H5::DataSet& replicate);
  void write_population(const ResultsHeader& header, const H5::DataSet& firm_scale,
                        const H5::DataSet& capability_scale, const H5::DataSet& segment_scale);
  void create_variant(const ResultsHeader::VariantInfo& info, int index, const H5::DataSet& rep,
                      const H5::DataSet& step, const H5::DataSet& metric, const H5::DataSet& firm,
                      const H5::DataSet& firm_variable);
  void write(const ReplicateOutput& r, ReplicateOutput* movable);
  void detail_rows(Variant& v, std::size_t d, hsize_t first_step, hsize_t rows,
                   const std::vector<float>& trajectories, std::vector<Event>&& events,
                   std::vector<TieRecord>&& ties);
  void end_detail(Variant& v, std::size_t d, std::int32_t replicate);
  void advance(Variant& v);
  void close_tables(Variant& v, std::size_t d);
  void write_trajectory_rows(Variant& v, std::size_t d, hsize_t first_step, hsize_t rows,
                             const float* data);
  void append_events(Variant& v, std::size_t index, const std::vector<Event>& events);
  void append_ties(Variant& v, std::size_t index, const std::vector<TieRecord>& ties);
  void flush_all();
  bool all_written() const;
  bool close_all() noexcept;
  void check_io() const;
  OutputError io_failure() const;
  void discard_temporary() const;
  void verify(bool complete) const;
};

namespace {

void write_tie_columns(std::vector<H5::DataSet>& cols, hsize_t offset,
                       const std::vector<TieRecord>& ties, std::optional<std::int32_t> detail) {
  // cols: [detail_replicate,] step, firm_a, firm_b, trust, type (initial ties: no detail, step)
  for (std::size_t begin = 0; begin < ties.size(); begin += kTableAppendBatch) {
    const std::size_t end = std::min(ties.size(), begin + kTableAppendBatch);
    std::vector<std::int32_t> step, a, b;
    std::vector<float> trust;
    std::vector<std::uint8_t> type;
    for (std::size_t i = begin; i < end; ++i) {
      step.push_back(ties[i].step);
      a.push_back(ties[i].firm_a);
      b.push_back(ties[i].firm_b);
      trust.push_back(ties[i].trust);
      type.push_back(ties[i].type);
    }
    const hsize_t at = offset + begin;
    std::size_t c = 0;
    if (detail) append_column(cols[c++], at, std::vector<std::int32_t>(end - begin, *detail));
    if (detail) append_column(cols[c++], at, step);
    append_column(cols[c++], at, a);
    append_column(cols[c++], at, b);
    append_column(cols[c++], at, trust);
    append_column(cols[c++], at, type);
  }
}

// `columns` says which table (initial ties: no detail_replicate, step columns).
std::vector<H5::DataSet> create_tie_columns(const H5::Group& g, const L::TieColumns& columns,
                                            hsize_t rows) {
  std::vector<H5::DataSet> cols;
  const auto add = [&](const L::Entry& e, auto type_tag) {
    cols.push_back(create_column<decltype(type_tag)>(g, e.name, rows));
    describe(cols.back(), e);
  };
  if (columns.detail_replicate) {
    add(*columns.detail_replicate, std::int32_t{});
    add(*columns.step, std::int32_t{});
  }
  add(*columns.firm_a, std::int32_t{});
  add(*columns.firm_b, std::int32_t{});
  add(*columns.trust, float{});
  add(*columns.type, std::uint8_t{});
  put_attr(cols.back(), *columns.type_names, to_strings(kTieTypeNames));
  return cols;
}

}  // namespace

void ResultsWriter::Impl::write_header(const ResultsHeader& h) {
  // Root attributes: provenance.
  put_attr(file, L::root::format, kResultsFormat);
  put_attr(file, L::root::tool_version,
           h.tool_version.empty() ? std::string(kVersion) : h.tool_version);
  put_attr_number<std::int32_t>(file, L::root::schema_version, kSchemaVersion);
  put_attr(file, L::root::created, utc_now_iso8601());
  put_attr_number<std::uint64_t>(file, L::root::seed, h.seed);
  put_attr_number<std::int32_t>(file, L::root::replicates, h.replicates);
  put_attr_number<std::int32_t>(file, L::root::horizon, h.horizon);
  put_attr_number<std::int32_t>(file, L::root::detail_replicates,
                                static_cast<std::int32_t>(detail));
  put_attr(file, L::root::scenario_name, h.scenario_name);
  put_attr(file, L::root::scenario_text, h.scenario_text);
  put_attr(file, L::root::resolved_configuration, h.resolved_configuration);
  put_attr(file, L::root::command_line, h.command_line);
  put_attr_number<std::uint8_t>(file, L::root::reveal_names, h.reveal_names ? 1 : 0);
  std::vector<std::string> names;
  for (const auto& v : h.variants) names.push_back(v.name);
  put_attr(file, L::root::variants, names);
  put_attr(file, L::root::status, kStatusIncomplete);

  // Shared dimension scales at the root (netCDF-4/xarray see them from every group).
  H5::Group root = file.openGroup("/");
  std::vector<std::int32_t> index(replicates);
  for (hsize_t i = 0; i < replicates; ++i) index[i] = static_cast<std::int32_t>(i);
  H5::DataSet rep = create_filled(root, L::root::replicate.name, index);
  make_scale(rep, L::root::replicate.name);
  describe(rep, L::root::replicate);

  std::vector<std::int32_t> step_index(steps);
  for (hsize_t i = 0; i < steps; ++i) step_index[i] = static_cast<std::int32_t>(i);
  H5::DataSet step = create_filled(root, L::root::step.name, step_index);
  make_scale(step, L::root::step.name);
  describe(step, L::root::step);

  std::vector<std::string> metric_names, metric_units, metric_descriptions;
  for (const auto& m : kMetricInfo) {
    metric_names.emplace_back(m.name);
    metric_units.emplace_back(m.unit);
    metric_descriptions.emplace_back(m.description);
  }
  H5::DataSet metric = create_strings(root, L::root::metric.name, metric_names);
  make_scale(metric, L::root::metric.name);
  put_attr(metric, L::common::units, metric_units);
  describe_only(metric, L::root::metric);
  put_attr(metric, L::root::metric_descriptions, metric_descriptions);

  std::vector<std::string> var_names, var_units, var_descriptions;
  for (const auto& m : kFirmVariableInfo) {
    var_names.emplace_back(m.name);
    var_units.emplace_back(m.unit);
    var_descriptions.emplace_back(m.description);
  }
  H5::DataSet firm_variable = create_strings(root, L::root::firm_variable.name, var_names);
  make_scale(firm_variable, L::root::firm_variable.name);
  put_attr(firm_variable, L::common::units, var_units);
  describe_only(firm_variable, L::root::firm_variable);
  put_attr(firm_variable, L::root::firm_variable_descriptions, var_descriptions);

  H5::DataSet firm = create_strings(root, L::root::firm.name, h.pseudonyms);
  make_scale(firm, L::root::firm.name);
  describe(firm, L::root::firm);

  H5::DataSet capability = create_strings(root, L::root::capability.name, h.capability_names);
  make_scale(capability, L::root::capability.name);
  describe(capability, L::root::capability);

  H5::DataSet segment = create_strings(root, L::root::segment.name, to_strings(kSegmentNames));
  make_scale(segment, L::root::segment.name);
  describe(segment, L::root::segment);

  write_population(h, firm, capability, segment);
  if (h.uncertainty.draws > 0) write_uncertainty(h.uncertainty, rep);

  hid_t gcpl = H5Pcreate(H5P_GROUP_CREATE);
  H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
  hid_t gid = H5Gcreate2(file.getId(), L::variants::group.path, H5P_DEFAULT, gcpl, H5P_DEFAULT);
  H5Pclose(gcpl);
  if (gid < 0)
    throw std::runtime_error(std::string("cannot create group ") + L::variants::group.path);
  H5Gclose(gid);
  describe_only(file.openGroup(L::variants::group.path), L::variants::group);
  for (std::size_t i = 0; i < h.variants.size(); ++i)
    create_variant(h.variants[i], static_cast<int>(i), rep, step, metric, firm, firm_variable);
}

// `/uncertainty` and the `/draw` axis of a probabilistic run (docs/results-layout.md).
void ResultsWriter::Impl::write_uncertainty(const ResultsHeader::Draws& u,
                                            const H5::DataSet& replicate) {
  require(
      u.draws > 0 && u.replicates_per_draw > 0 &&
          static_cast<hsize_t>(u.draws) * static_cast<hsize_t>(u.replicates_per_draw) == replicates,
      "draws x replicates per draw must equal the replicate axis");
  const hsize_t d = u.parameters.size();
  require(u.distributions.size() == d && u.values.size() == u.draws * d &&
              u.design.size() == u.draws * d,
          "uncertainty values must hold draws x parameters entries");
  put_attr_number<std::int32_t>(file, L::root::draws, u.draws);
  put_attr_number<std::int32_t>(file, L::root::replicates_per_draw, u.replicates_per_draw);

  namespace U = L::uncertainty;
  H5::Group root = file.openGroup("/");
  std::vector<std::int32_t> index(static_cast<std::size_t>(u.draws));
  for (std::size_t i = 0; i < index.size(); ++i) index[i] = static_cast<std::int32_t>(i);
  H5::DataSet draw = create_filled(root, L::root::draw.name, index);
  make_scale(draw, L::root::draw.name);
  describe(draw, L::root::draw);

  H5::Group g = file.createGroup(U::group.path);
  describe_only(g, U::group);
  put_attr(g, U::sampling, u.sampling);
  put_attr_number<std::int32_t>(g, U::draws, u.draws);
  put_attr_number<std::int32_t>(g, U::replicates_per_draw, u.replicates_per_draw);
  // A design for global sensitivity says how its rows group (`klynge sensitivity` and any
  // reader can rebuild the trajectories or base points from these and `design`).
  if (u.sampling == "morris" || u.sampling == "saltelli") {
    require(u.design_draws > 0, "a morris or saltelli design needs its trajectories/base points");
    put_attr_number<std::int32_t>(g, U::dimensions, static_cast<std::int32_t>(d));
    if (u.sampling == "morris") {
      put_attr_number<std::int32_t>(g, U::trajectories, u.design_draws);
      put_attr_number<std::int32_t>(g, U::levels, u.levels);
    } else {
      put_attr_number<std::int32_t>(g, U::base_points, u.design_draws);
    }
  }
  const char* draw_axis = L::root::draw.name;
  const char* parameter_axis = U::parameter.name;
  H5::DataSet parameter = create_strings(g, U::parameter.name, u.parameters);
  make_scale(parameter, parameter_axis);
  describe(parameter, U::parameter);
  H5::DataSet distribution = create_strings(g, U::distribution.name, u.distributions);
  attach(distribution, {&parameter}, {parameter_axis});
  describe(distribution, U::distribution);
  H5::DataSet values = create_numeric<double>(g, U::values.name, {hsize_t(u.draws), d}, kNaN);
  values.write(u.values.data(), H5Types<double>::mem());
  attach(values, {&draw, &parameter}, {draw_axis, parameter_axis});
  describe(values, U::values);
  H5::DataSet design = create_numeric<double>(g, U::design.name, {hsize_t(u.draws), d}, kNaN);
  design.write(u.design.data(), H5Types<double>::mem());
  attach(design, {&draw, &parameter}, {draw_axis, parameter_axis});
  put_attr(design, L::common::units, U::design.unit);
  put_attr(design, L::common::description,
           u.sampling == "morris" ? U::kDesignMorrisMeaning : U::design.meaning);
  std::vector<std::int32_t> of(replicates);
  for (hsize_t r = 0; r < replicates; ++r)
    of[r] = static_cast<std::int32_t>(r / static_cast<hsize_t>(u.replicates_per_draw));
  H5::DataSet draw_of = create_filled(g, U::draw_of_replicate.name, of);
  attach(draw_of, {&replicate}, {L::root::replicate.name});
  describe(draw_of, U::draw_of_replicate);
}

void ResultsWriter::Impl::write_population(const ResultsHeader& h, const H5::DataSet& firm,
                                           const H5::DataSet& capability,
                                           const H5::DataSet& segment) {
  namespace P = L::population;
  const char* firm_axis = L::root::firm.name;
  H5::Group pop = file.createGroup(P::group.path);
  describe_only(pop, P::group);
  auto column = [&](const L::Entry& e, const std::vector<double>& values) {
    H5::DataSet ds = create_filled(pop, e.name, values, kNaN);
    attach(ds, {&firm}, {firm_axis});
    describe(ds, e);
  };
  auto flags = [&](const L::Entry& e, const std::vector<std::uint8_t>& values) {
    H5::DataSet ds = create_filled(pop, e.name, values);
    attach(ds, {&firm}, {firm_axis});
    describe(ds, e);
  };
  auto strings = [&](const L::Entry& e, const std::vector<std::string>& values) {
    H5::DataSet ds = create_strings(pop, e.name, values);
    attach(ds, {&firm}, {firm_axis});
    describe(ds, e);
  };
  if (h.reveal_names) strings(P::name, h.names);
  strings(P::municipality, h.municipalities);
  column(P::lat, h.lat);
  column(P::lon, h.lon);
  column(P::employees, h.employees);
  column(P::revenue_mdkk, h.revenue_mdkk);
  column(P::export_share, h.export_share);
  for (std::size_t s = 0; s < P::kMarkets.size(); ++s) {
    std::vector<double> share;
    for (const auto& m : h.market_share) share.push_back(m[s]);
    column(*P::kMarkets[s], share);
  }
  flags(P::participant, h.participant);
  flags(P::synthetic, h.synthetic);

  const hsize_t caps = h.capability_names.size();
  H5::DataSet capabilities = create_numeric<double>(pop, P::capabilities.name, {firms, caps}, kNaN);
  if (!h.capabilities.empty()) capabilities.write(h.capabilities.data(), H5Types<double>::mem());
  attach(capabilities, {&firm, &capability}, {firm_axis, L::root::capability.name});
  describe(capabilities, P::capabilities);

  H5::DataSet weights =
      create_numeric<double>(pop, P::catalogue_weights.name, {caps, hsize_t{kSegmentCount}}, kNaN);
  if (!h.catalogue_weights.empty())
    weights.write(h.catalogue_weights.data(), H5Types<double>::mem());
  attach(weights, {&capability, &segment}, {L::root::capability.name, L::root::segment.name});
  describe(weights, P::catalogue_weights);

  H5::Group ties = file.createGroup(L::initial_ties::group.path);
  describe_only(ties, L::initial_ties::group);
  std::vector<H5::DataSet> cols =
      create_tie_columns(ties, L::initial_ties::kColumns, table_chunk_rows(firms));
  write_tie_columns(cols, 0, h.initial_ties, std::nullopt);
}

void ResultsWriter::Impl::create_variant(const ResultsHeader::VariantInfo& info, int index,
                                         const H5::DataSet& rep, const H5::DataSet& step,
                                         const H5::DataSet& metric, const H5::DataSet& firm,
                                         const H5::DataSet& firm_variable) {
  namespace V = L::variant;
  namespace D = L::detail;
  namespace E = L::events;
  Variant v;
  v.name = info.name;
  const std::string group_path = std::string(L::variants::group.path) + "/" + info.name;
  {
    // Variant names may hold any UTF-8 (æøå): say so in the link, for h5py and h5dump.
    const hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_char_encoding(lcpl, H5T_CSET_UTF8);
    const hid_t gid = H5Gcreate2(file.getId(), group_path.c_str(), lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    if (gid < 0) throw std::runtime_error("cannot create group " + group_path);
    H5Gclose(gid);
  }
  v.group = file.openGroup(group_path);
  put_attr_number<std::int32_t>(v.group, V::index, index);
  put_attr(v.group, V::resolved_configuration, info.resolved_configuration);
  put_attr(v.group, V::intervention_ids, info.intervention_ids);
  put_attr(v.group, V::intervention_types, info.intervention_types);
  put_attr(v.group, V::label, info.label);
  put_attr(v.group, V::intervention_labels, info.intervention_labels);

  std::vector<std::string> metric_units;
  for (const auto& m : kMetricInfo) metric_units.emplace_back(m.unit);
  std::vector<std::string> var_units;
  for (const auto& m : kFirmVariableInfo) var_units.emplace_back(m.unit);
  const hsize_t metrics = kMetricCount, vars = kFirmVariableCount;
  const char* replicate_axis = L::root::replicate.name;
  const char* step_axis = L::root::step.name;
  const char* firm_axis = L::root::firm.name;
  const char* variable_axis = L::root::firm_variable.name;

  H5::DataSet ds;
  v.metrics = row_writer<double>(v.group, V::metrics.name, {replicates, steps, metrics}, kNaN, &ds);
  attach(ds, {&rep, &step, &metric}, {replicate_axis, step_axis, L::root::metric.name});
  put_attr(ds, L::common::units, metric_units);
  describe_only(ds, V::metrics);

  v.final_firms =
      row_writer<double>(v.group, V::final_firms.name, {replicates, firms, vars}, kNaN, &ds);
  attach(ds, {&rep, &firm, &firm_variable}, {replicate_axis, firm_axis, variable_axis});
  put_attr(ds, L::common::units, var_units);
  describe_only(ds, V::final_firms);

  v.completed = row_writer<std::uint8_t>(v.group, V::completed.name, {replicates}, 0, &ds);
  attach(ds, {&rep}, {replicate_axis});
  describe(ds, V::completed);

  v.written.assign(replicates, false);

  if (detail > 0) {
    H5::Group dg = v.group.createGroup(D::group.name);
    describe_only(dg, D::group);
    const char* detail_axis = D::detail_replicate.name;
    H5::DataSet drep;
    v.detail_replicate =
        row_writer<std::int32_t>(dg, D::detail_replicate.name, {detail}, -1, &drep);
    make_scale(drep, detail_axis);
    describe(drep, D::detail_replicate);

    // Rows arrive a step at a time: a chunk spanning several steps (small populations) is
    // completed over several writes, so the cache keeps a few of them (lazily: at most 2 MiB).
    std::vector<hsize_t> trajectory_chunk;
    v.trajectories = create_numeric<float>(dg, D::trajectories.name, {detail, steps, firms, vars},
                                           kNaNf, &trajectory_chunk, 8);
    ds = v.trajectories;
    attach(ds, {&drep, &step, &firm, &firm_variable},
           {detail_axis, step_axis, firm_axis, variable_axis});
    put_attr(ds, L::common::units, var_units);
    describe_only(ds, D::trajectories);

    struct Range {
      RowWriter<std::int64_t>* writer;
      const L::Entry* entry;
      std::int64_t fill;  // offsets: -1 (no rows); counts: 0
    };
    const Range ranges[] = {{&v.event_offset, &D::event_offset, -1},
                            {&v.event_count, &D::event_count, 0},
                            {&v.tie_offset, &D::tie_offset, -1},
                            {&v.tie_count, &D::tie_count, 0}};
    for (const auto& r : ranges) {
      *r.writer = row_writer<std::int64_t>(dg, r.entry->name, {detail}, r.fill, &ds);
      attach(ds, {&drep}, {detail_axis});
      describe(ds, *r.entry);
    }

    H5::Group eg = dg.createGroup(E::group.name);
    describe_only(eg, E::group);
    auto& ec = v.event_columns;
    const hsize_t rows = table_chunk_rows(firms);
    const auto add = [&](const L::Entry& e, auto type_tag) {
      ec.push_back(create_column<decltype(type_tag)>(eg, e.name, rows));
      describe(ec.back(), e);
    };
    // In the order append_events writes them.
    add(E::detail_replicate, std::int32_t{});
    add(E::step, std::int32_t{});
    add(E::type, std::uint8_t{});
    put_attr(ec.back(), E::type_names, to_strings(kEventTypeNames));
    add(E::firm_a, std::int32_t{});
    add(E::firm_b, std::int32_t{});
    add(E::intervention, std::int32_t{});
    add(E::value, double{});
    add(E::units_skipped, std::int32_t{});
    add(E::reason, std::uint8_t{});
    put_attr(ec.back(), E::reason_names, to_strings(kSkipReasonNames));

    H5::Group tg = dg.createGroup(L::ties::group.name);
    describe_only(tg, L::ties::group);
    v.tie_columns = create_tie_columns(tg, L::ties::kColumns, rows);

    v.details.resize(detail);
  }
  variants.push_back(std::move(v));
}

void ResultsWriter::Impl::append_events(Variant& v, std::size_t index,
                                        const std::vector<Event>& events) {
  const auto d = static_cast<std::int32_t>(index);
  for (std::size_t begin = 0; begin < events.size(); begin += kTableAppendBatch) {
    const std::size_t end = std::min(events.size(), begin + kTableAppendBatch);
    std::vector<std::int32_t> step, a, b, intervention, skipped;
    std::vector<std::uint8_t> type, reason;
    std::vector<double> value;
    for (std::size_t i = begin; i < end; ++i) {
      const Event& e = events[i];
      step.push_back(e.step);
      type.push_back(static_cast<std::uint8_t>(e.type));
      a.push_back(e.firm_a);
      b.push_back(e.firm_b);
      intervention.push_back(e.intervention);
      value.push_back(e.value);
      skipped.push_back(e.units_skipped);
      reason.push_back(e.reason);
    }
    const hsize_t at = v.events_rows + begin;
    auto& c = v.event_columns;
    append_column(c[0], at, std::vector<std::int32_t>(end - begin, d));
    append_column(c[1], at, step);
    append_column(c[2], at, type);
    append_column(c[3], at, a);
    append_column(c[4], at, b);
    append_column(c[5], at, intervention);
    append_column(c[6], at, value);
    append_column(c[7], at, skipped);
    append_column(c[8], at, reason);
  }
  v.events_rows += events.size();
}

void ResultsWriter::Impl::append_ties(Variant& v, std::size_t index,
                                      const std::vector<TieRecord>& ties) {
  write_tie_columns(v.tie_columns, v.ties_rows, ties, static_cast<std::int32_t>(index));
  v.ties_rows += ties.size();
}

void ResultsWriter::Impl::write_trajectory_rows(Variant& v, std::size_t d, hsize_t first_step,
                                                hsize_t rows, const float* data) {
  if (rows == 0 || firms == 0) return;
  const hsize_t start[4] = {d, first_step, 0, 0};
  const hsize_t count[4] = {1, rows, firms, kFirmVariableCount};
  H5::DataSpace file_space = v.trajectories.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, count, start);
  H5::DataSpace mem_space(4, count);
  v.trajectories.write(data, H5Types<float>::mem(), mem_space, file_space);
}

// Rows of detail replicate d for steps first_step .. first_step + rows - 1.
void ResultsWriter::Impl::detail_rows(Variant& v, std::size_t d, hsize_t first_step, hsize_t rows,
                                      const std::vector<float>& trajectories,
                                      std::vector<Event>&& events, std::vector<TieRecord>&& ties) {
  DetailState& s = v.details[d];
  require(first_step == s.steps_written,
          "detail index " + std::to_string(d) + ": rows from step " + std::to_string(first_step) +
              " arrived after " + std::to_string(s.steps_written) + " steps (out of order)");
  require(first_step + rows <= steps,
          "detail index " + std::to_string(d) + ": rows past the horizon");
  // None at all: `firm_trajectories: false`, the rows stay NaN.
  require(trajectories.empty() || trajectories.size() == rows * firms * kFirmVariableCount,
          "trajectories hold " + std::to_string(trajectories.size()) + " values, expected " +
              std::to_string(rows * firms * kFirmVariableCount));
  if (!trajectories.empty()) write_trajectory_rows(v, d, first_step, rows, trajectories.data());
  s.steps_written += rows;
  if (s.appending) {
    append_events(v, d, events);
    append_ties(v, d, ties);
    return;
  }
  // Not its turn yet: keep the rows (moved, not copied, when nothing waits yet).
  if (s.events.empty()) {
    s.events = std::move(events);
  } else {
    s.events.insert(s.events.end(), events.begin(), events.end());
  }
  if (s.ties.empty()) {
    s.ties = std::move(ties);
  } else {
    s.ties.insert(s.ties.end(), ties.begin(), ties.end());
  }
  advance(v);
}

void ResultsWriter::Impl::end_detail(Variant& v, std::size_t d, std::int32_t replicate) {
  DetailState& s = v.details[d];
  require(s.steps_written == steps, "detail index " + std::to_string(d) + " ended after " +
                                        std::to_string(s.steps_written) + " of " +
                                        std::to_string(steps) + " steps");
  s.ended = true;
  v.detail_replicate.write(d, &replicate);
  advance(v);
}

// The first detail replicate not yet ended appends its table rows (first those that waited);
// each one that has ended gets its offsets and counts and hands over to the next.
void ResultsWriter::Impl::advance(Variant& v) {
  while (v.next_detail < detail) {
    DetailState& s = v.details[v.next_detail];
    if (!s.appending) {
      s.appending = true;
      s.event_start = v.events_rows;
      s.tie_start = v.ties_rows;
      append_events(v, v.next_detail, s.events);
      append_ties(v, v.next_detail, s.ties);
      std::vector<Event>().swap(s.events);  // frees the memory
      std::vector<TieRecord>().swap(s.ties);
    }
    if (!s.ended) return;
    close_tables(v, v.next_detail);
    ++v.next_detail;
  }
}

void ResultsWriter::Impl::close_tables(Variant& v, std::size_t d) {
  const DetailState& s = v.details[d];
  const auto event_count = static_cast<std::int64_t>(v.events_rows - s.event_start);
  const auto tie_count = static_cast<std::int64_t>(v.ties_rows - s.tie_start);
  const std::int64_t event_offset =
      event_count == 0 ? -1 : static_cast<std::int64_t>(s.event_start);
  const std::int64_t tie_offset = tie_count == 0 ? -1 : static_cast<std::int64_t>(s.tie_start);
  v.event_offset.write(d, &event_offset);
  v.event_count.write(d, &event_count);
  v.tie_offset.write(d, &tie_offset);
  v.tie_count.write(d, &tie_count);
}

void ResultsWriter::Impl::write(const ReplicateOutput& r, ReplicateOutput* movable) {
  using Part = ReplicateOutput::Part;
  require(!finished, "write() after finish()");
  require(r.variant >= 0 && static_cast<std::size_t>(r.variant) < variants.size(),
          "variant index " + std::to_string(r.variant) + " out of range");
  Variant& v = variants[static_cast<std::size_t>(r.variant)];
  require(r.replicate >= 0 && static_cast<hsize_t>(r.replicate) < replicates,
          "replicate " + std::to_string(r.replicate) + " out of range");
  const auto rep = static_cast<std::size_t>(r.replicate);
  require(!v.written[rep],
          "replicate " + std::to_string(r.replicate) + " of variant " + v.name + " written twice");
  const bool is_detail = r.detail_index >= 0;
  if (is_detail) {
    require(static_cast<hsize_t>(r.detail_index) < detail,
            "detail index " + std::to_string(r.detail_index) + " out of range");
    require(!v.details[static_cast<std::size_t>(r.detail_index)].ended,
            "detail index " + std::to_string(r.detail_index) + " written twice");
  } else {
    require(r.part == Part::whole, "only a detail replicate arrives in parts");
  }
  const auto d = static_cast<std::size_t>(r.detail_index);
  // Moves the events and ties out of a replicate given as an rvalue; copies them otherwise.
  const auto events = [&] { return movable ? std::move(movable->events) : r.events; };
  const auto ties = [&] { return movable ? std::move(movable->ties) : r.ties; };
  if (r.part == Part::step_slice) {
    require(r.first_step >= 0 && r.slice_steps >= 0, "a step slice needs first_step, slice_steps");
    detail_rows(v, d, static_cast<hsize_t>(r.first_step), static_cast<hsize_t>(r.slice_steps),
                r.trajectories, events(), ties());
    return;
  }
  require(r.metrics.size() == steps * kMetricCount,
          "metrics hold " + std::to_string(r.metrics.size()) +
              " values, expected steps x metrics = " + std::to_string(steps * kMetricCount));
  require(r.final_firms.size() == firms * kFirmVariableCount,
          "final_firms hold " + std::to_string(r.final_firms.size()) + " values, expected " +
              std::to_string(firms * kFirmVariableCount));
  if (is_detail && r.part == Part::streamed_end)  // checked before anything is written
    require(v.details[d].steps_written == steps, "detail index " + std::to_string(d) +
                                                     " ended after " +
                                                     std::to_string(v.details[d].steps_written) +
                                                     " of " + std::to_string(steps) + " steps");
  if (is_detail && r.part == Part::whole) {
    require(v.details[d].steps_written == 0,
            "detail index " + std::to_string(d) + " arrived whole after step slices");
    detail_rows(v, d, 0, steps, r.trajectories, events(), ties());
  }

  v.metrics.write(rep, r.metrics.data());
  v.final_firms.write(rep, r.final_firms.data());
  if (is_detail) end_detail(v, d, r.replicate);
  const std::uint8_t one = 1;
  v.completed.write(rep, &one);
  v.written[rep] = true;
}

// The end of a run that was not complete: what a detail replicate that never ended left in the
// file goes again (its trajectory rows back to NaN, its table rows cut off), so the file holds
// exactly the replicates marked completed, as when detail replicates arrived whole; those that
// ended after an unfinished one get their table rows now, in index order.
void ResultsWriter::Impl::flush_all() {
  for (auto& v : variants) {
    if (detail > 0 && v.next_detail < detail) {
      DetailState& live = v.details[v.next_detail];
      if (live.appending && !live.ended) {
        const hsize_t event_rows = live.event_start, tie_rows = live.tie_start;
        for (auto& c : v.event_columns)
          if (H5Dset_extent(c.getId(), &event_rows) < 0)
            throw std::runtime_error("cannot shorten the events table");
        for (auto& c : v.tie_columns)
          if (H5Dset_extent(c.getId(), &tie_rows) < 0)
            throw std::runtime_error("cannot shorten the ties table");
        v.events_rows = event_rows;
        v.ties_rows = tie_rows;
      }
      const std::vector<float> nan_step(firms * kFirmVariableCount, kNaNf);
      for (std::size_t d = v.next_detail; d < detail; ++d) {
        DetailState& s = v.details[d];
        if (s.ended) {
          s.event_start = v.events_rows;
          s.tie_start = v.ties_rows;
          append_events(v, d, s.events);
          append_ties(v, d, s.ties);
          close_tables(v, d);
        } else {
          for (hsize_t t = 0; t < s.steps_written; ++t)
            write_trajectory_rows(v, d, t, 1, nan_step.data());
        }
        s = DetailState{};
      }
      v.next_detail = detail;
    }
    v.metrics.flush();
    v.final_firms.flush();
    v.completed.flush();
    if (detail > 0) {
      v.detail_replicate.flush();
      v.event_offset.flush();
      v.event_count.flush();
      v.tie_offset.flush();
      v.tie_count.flush();
    }
  }
}

bool ResultsWriter::Impl::all_written() const {
  for (const auto& v : variants)
    for (bool w : v.written)
      if (!w) return false;
  return true;
}

bool ResultsWriter::Impl::close_all() noexcept {
  variants.clear();  // the DataSet destructors report nothing: HDF5 sees no failed write
  try {
    file.close();
    return true;
  } catch (...) {
    file_abandoned = true;  // never touched again (see file_object)
    return false;
  }
}

void ResultsWriter::Impl::check_io() const {
  if (guard.failed()) throw io_failure();
}

OutputError ResultsWriter::Impl::io_failure() const {
  return OutputError("cannot write the results file " + final_path + " (" + guard.step + " " +
                     tmp_path + "): " + errno_text(guard.error) + "; nothing was saved" +
                     (force ? ", and an existing " + final_path + " is unchanged" : ""));
}

void ResultsWriter::Impl::discard_temporary() const {
  std::error_code ec;
  std::filesystem::remove(tmp_path, ec);
}

// Reopens the closed temporary with HDF5's own driver and checks what a reader relies on first.
void ResultsWriter::Impl::verify(bool complete) const {
  try {
    const H5::H5File check(tmp_path, H5F_ACC_RDONLY);
    std::string format, status;
    check.openAttribute(L::root::format.name).read(utf8_type(), format);
    check.openAttribute(L::root::status.name).read(utf8_type(), status);
    if (format != kResultsFormat || status != (complete ? kStatusComplete : kStatusIncomplete))
      throw OutputError("the root attributes read back wrong");
    for (const auto& name : variant_names) {
      const std::string path =
          std::string(L::variants::group.path) + "/" + name + "/" + L::variant::completed.name;
      const H5::DataSet completed = check.openDataSet(path);
      if (static_cast<hsize_t>(completed.getSpace().getSimpleExtentNpoints()) != replicates)
        throw OutputError(path + " reads back with the wrong size");
    }
  } catch (const H5::Exception& e) {
    throw OutputError("the HDF5 library cannot read it back (" + e.getFuncName() + ")");
  }
}

ResultsWriter::ResultsWriter(const std::string& final_path, const ResultsHeader& header, bool force)
    : impl_(std::make_unique<Impl>()) {
  namespace fs = std::filesystem;
  std::error_code ec;
  check_output_target(final_path, force, "results file");

  const std::size_t n = header.pseudonyms.size();
  require(header.replicates >= 1, "replicates must be >= 1");
  require(header.horizon >= 0, "horizon must be >= 0");
  require(header.detail_replicates >= 0, "detail_replicates must be >= 0");
  require(!header.reveal_names || header.names.size() == n, "names must hold one per firm");
  require(header.municipalities.size() == n && header.lat.size() == n && header.lon.size() == n &&
              header.employees.size() == n && header.revenue_mdkk.size() == n &&
              header.export_share.size() == n && header.market_share.size() == n &&
              header.participant.size() == n && header.synthetic.size() == n,
          "every firm column must hold one value per pseudonym");
  require(header.capabilities.size() == n * header.capability_names.size(),
          "capabilities must be firms x capability_names");
  require(header.catalogue_weights.size() == header.capability_names.size(),
          "catalogue_weights must hold one row per capability");
  std::vector<std::string> seen;
  for (const auto& v : header.variants) {
    require(
        !v.name.empty() && v.name.find('/') == std::string::npos && v.name != "." && v.name != "..",
        "variant name '" + v.name + "' cannot name an HDF5 group");
    require(std::find(seen.begin(), seen.end(), v.name) == seen.end(),
            "variant name '" + v.name + "' appears twice");
    seen.push_back(v.name);
  }

  Impl& im = *impl_;
  im.final_path = final_path;
  im.force = force;
  for (const auto& v : header.variants) im.variant_names.push_back(v.name);
  im.replicates = static_cast<hsize_t>(header.replicates);
  im.steps = static_cast<hsize_t>(header.horizon) + 1;
  im.firms = n;
  im.detail = static_cast<hsize_t>(std::min(header.detail_replicates, header.replicates));

  QuietHdf5 quiet;
  const hid_t access_id = guarded_file_access(&im.guard);
  if (access_id < 0) throw std::runtime_error("cannot set up the HDF5 file driver");
  const H5::FileAccPropList access(access_id);  // a copy
  H5Pclose(access_id);
  // A fresh name, created exclusively: a concurrent run to the same -o has its own temporary.
  for (int attempt = 0;; ++attempt) {
    im.tmp_path = temporary_name(final_path);
    // (HDF5 first opens an existing file of that name to check it; then EXCL fails without an
    // errno from the driver: try the next name straight away.)
    if (fs::exists(im.tmp_path, ec) && attempt < 100) continue;
    im.guard.open_error = 0;
    try {
      im.file = H5::H5File(im.tmp_path, H5F_ACC_EXCL, H5::FileCreatPropList::DEFAULT, access);
      break;
    } catch (const H5::Exception&) {
      const int error = im.guard.open_error;
      if (error == EEXIST && attempt < 100) continue;
      const std::string message = "cannot create " + im.tmp_path + " to write the results file " +
                                  final_path + ": " +
                                  (error ? errno_text(error) : std::string("HDF5 error"));
      im.finished = true;
      if (error == 0 || is_path_errno(error)) throw UsageError(message);
      throw OutputError(message);
    }
  }
  try {
    im.write_header(header);
    im.file.flush(H5F_SCOPE_LOCAL);
    im.check_io();
  } catch (...) {
    im.close_all();
    im.discard_temporary();
    im.finished = true;
    try {
      throw;
    } catch (const H5::Exception& e) {
      throw hdf5_failure(im.tmp_path, e);
    }
  }
}

ResultsWriter::~ResultsWriter() {
  try {
    if (impl_ && !impl_->finished) finish(false);
  } catch (...) {  // a destructor must not throw; finish() already left what it could
  }
}

void ResultsWriter::write(const ReplicateOutput& replicate) {
  QuietHdf5 quiet;
  try {
    impl_->write(replicate, nullptr);
    impl_->check_io();
  } catch (const H5::Exception& e) {
    throw hdf5_failure(impl_->tmp_path, e);
  }
}

void ResultsWriter::write(ReplicateOutput&& replicate) {
  QuietHdf5 quiet;
  try {
    impl_->write(replicate, &replicate);
    impl_->check_io();
  } catch (const H5::Exception& e) {
    throw hdf5_failure(impl_->tmp_path, e);
  }
}

void ResultsWriter::finish(bool complete) {
  Impl& im = *impl_;
  if (im.finished) return;
  im.finished = true;
  QuietHdf5 quiet;
  // Nothing reaches the target unless the whole file was written, closed and read back: on any
  // failure the temporary goes and an existing target stays as it was.
  const auto give_up = [&im] {
    im.close_all();
    im.discard_temporary();
  };
  if (im.guard.failed()) {
    give_up();
    throw im.io_failure();
  }
  bool done = false;
  try {
    im.flush_all();
    done = complete && im.all_written();
    put_attr(im.file, L::root::status, done ? kStatusComplete : kStatusIncomplete);
  } catch (const H5::Exception& e) {
    give_up();
    throw hdf5_failure(im.final_path, e);
  } catch (...) {
    give_up();
    throw;
  }
  const bool closed = im.close_all();
  if (im.guard.failed() || !closed) {
    im.discard_temporary();
    if (im.guard.failed()) throw im.io_failure();
    throw OutputError("cannot write the results file " + im.final_path + ": HDF5 could not close " +
                      im.tmp_path + "; nothing was saved");
  }
  try {
    im.verify(done);
  } catch (const OutputError& e) {
    im.discard_temporary();
    throw OutputError("cannot write the results file " + im.final_path + ": " + im.tmp_path +
                      " was written but " + e.what() + "; nothing was saved");
  }
  commit_output(im.tmp_path, im.final_path, im.force, "results file");
}

const std::string& ResultsWriter::path() const {
  return impl_->final_path;
}
bool ResultsWriter::finished() const {
  return impl_->finished;
}

}  // namespace klynge
