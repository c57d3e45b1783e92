#include "sim/io/results_reader.hpp"

#include "sim/io/hdf5_quiet.hpp"

#include <H5Cpp.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <new>
#include <utility>

#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/results_layout.hpp"

namespace klynge {
namespace {

namespace L = layout;

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError(SourceLocation{path, 0, 0}, "", message);
}

std::vector<hsize_t> extents(const H5::DataSpace& space) {
  const int rank = space.getSimpleExtentNdims();
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) space.getSimpleExtentDims(dims.data());
  return dims;
}

hsize_t element_count(const H5::DataSpace& space) {
  if (space.getSimpleExtentType() == H5S_NULL) return 0;
  hsize_t n = 1;
  for (auto d : extents(space)) {
    if (d != 0 && n > std::numeric_limits<hsize_t>::max() / d)
      return std::numeric_limits<hsize_t>::max();
    n *= d;
  }
  return n;
}

// ---- variable-length strings, read without HDF5's global-heap code ----
//
// HDF5 1.10 trusts the heap reference stored with each variable-length string: in a damaged file
// H5HG_read copies from a wild pointer (SIGSEGV) or H5T__conv_vlen allocates and clears a damaged
// length (gigabytes: a hang). So the references are taken raw, through a conversion that copies
// bytes (variable-length string -> an opaque type of the same size: HDF5 hands it the bytes as
// stored), and resolved here by reading the global heap collection with pread, checking every
// offset and size against the collection and the file. Layout: HDF5 file format spec, "Global
// Heap" (collection: "GCOL", version 1, 3 reserved bytes, collection size; objects: index (2),
// reference count (2), reserved (4), size, data padded to 8 bytes; index 0 is the free space).

constexpr const char* kRawTag = "klynge raw variable-length reference";

herr_t copy_raw_reference(hid_t src, hid_t dst, H5T_cdata_t* cdata, size_t, size_t, size_t, void*,
                          void*, hid_t) {
  switch (cdata->command) {
    case H5T_CONV_INIT: {
      if (H5Tis_variable_str(src) <= 0 || H5Tget_class(dst) != H5T_OPAQUE ||
          H5Tget_size(src) != H5Tget_size(dst))
        return -1;
      char* tag = H5Tget_tag(dst);
      const bool ours = tag && std::strcmp(tag, kRawTag) == 0;
      H5free_memory(tag);
      if (!ours) return -1;
      cdata->need_bkg = H5T_BKG_NO;
      return 0;
    }
    case H5T_CONV_CONV:  // same size: the stored bytes stay as they are
    case H5T_CONV_FREE:
      return 0;
    default:
      return -1;
  }
}

void register_raw_conversion() {
  static const bool registered = [] {
    const hid_t vlen = H5Tvlen_create(H5T_NATIVE_UCHAR);  // vlen strings are of the VLEN class
    const hid_t opaque = H5Tcreate(H5T_OPAQUE, 1);
    const bool ok =
        H5Tregister(H5T_PERS_SOFT, "klynge_raw_vlen", vlen, opaque, copy_raw_reference) >= 0;
    H5Tclose(vlen);
    H5Tclose(opaque);
    return ok;
  }();
  if (!registered) throw std::runtime_error("cannot register the raw string conversion");
}

std::uint64_t little_endian(const unsigned char* p, std::size_t bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = bytes; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

class SafeStrings {
 public:
  SafeStrings(const std::string& path, const H5::H5File& file) : path_(path) {
    register_raw_conversion();
    const hid_t fcpl = H5Fget_create_plist(file.getId());
    std::size_t addr_size = 0, length_size = 0;
    const bool sizes = fcpl >= 0 && H5Pget_sizes(fcpl, &addr_size, &length_size) >= 0;
    if (fcpl >= 0) H5Pclose(fcpl);
    if (!sizes || (addr_size != 4 && addr_size != 8) || length_size != 8)
      fail(path_, "unsupported HDF5 address or length size (damaged file?)");
    addr_size_ = addr_size;
    raw_size_ = 4 + addr_size + 4;
    raw_type_ = H5Tcreate(H5T_OPAQUE, raw_size_);
    H5Tset_tag(raw_type_, kRawTag);
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || ::fstat(fd_, &st) != 0) fail(path_, "cannot read the file");
    file_size_ = static_cast<std::uint64_t>(st.st_size);
  }
  ~SafeStrings() {
    if (raw_type_ >= 0) H5Tclose(raw_type_);
    if (fd_ >= 0) ::close(fd_);
  }
  SafeStrings(const SafeStrings&) = delete;
  SafeStrings& operator=(const SafeStrings&) = delete;

  std::vector<std::string> attribute(const H5::H5Object& obj, const char* name,
                                     const std::string& where) {
    if (!obj.attrExists(name)) fail(path_, where + ": attribute '" + name + "' is missing");
    const H5::Attribute attr = obj.openAttribute(name);
    const std::string what = where + " attribute '" + name + "'";
    check_type(attr.getDataType(), what);
    const hsize_t n = count(attr.getSpace(), what);
    std::vector<unsigned char> raw(n * raw_size_);
    if (n > 0 && H5Aread(attr.getId(), raw_type_, raw.data()) < 0)
      fail(path_, what + " cannot be read");
    return resolve(raw, n, what);
  }
  std::string scalar(const H5::H5Object& obj, const char* name, const std::string& where) {
    auto values = attribute(obj, name, where);
    if (values.size() != 1)
      fail(path_, where + " attribute '" + name + "' holds " + std::to_string(values.size()) +
                      " strings, expected 1");
    return values.front();
  }
  std::vector<std::string> dataset(const H5::Group& g, const char* name, const std::string& where) {
    const std::string what = where + "/" + name;
    if (!g.nameExists(name)) fail(path_, "dataset " + what + " is missing");
    const H5::DataSet ds = g.openDataSet(name);
    check_type(ds.getDataType(), "dataset " + what);
    const hsize_t n = count(ds.getSpace(), "dataset " + what);
    std::vector<unsigned char> raw(n * raw_size_);
    if (n > 0 && H5Dread(ds.getId(), raw_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
      fail(path_, "dataset " + what + " cannot be read");
    return resolve(raw, n, "dataset " + what);
  }
  std::uint64_t file_size() const { return file_size_; }

 private:
  void check_type(const H5::DataType& type, const std::string& what) {
    if (type.getClass() != H5T_STRING || H5Tis_variable_str(type.getId()) <= 0)
      fail(path_, what + " is not a variable-length string");
  }
  hsize_t count(const H5::DataSpace& space, const std::string& what) {
    const hsize_t n = element_count(space);
    if (n > file_size_ / raw_size_)
      fail(path_, what + " claims " + std::to_string(n) + " strings, more than the file holds");
    return n;
  }

  std::vector<std::string> resolve(const std::vector<unsigned char>& raw, hsize_t n,
                                   const std::string& what) {
    std::vector<std::string> out;
    out.reserve(n);
    for (hsize_t i = 0; i < n; ++i) {
      const unsigned char* p = raw.data() + i * raw_size_;
      const std::uint64_t length = little_endian(p, 4);
      const std::uint64_t collection = little_endian(p + 4, addr_size_);
      const std::uint64_t index = little_endian(p + 4 + addr_size_, 4);
      if (length == 0) {
        out.emplace_back();
        continue;
      }
      const std::vector<unsigned char>& heap = load(collection, what);
      out.push_back(find(heap, index, length, what));
    }
    return out;
  }

  const std::vector<unsigned char>& load(std::uint64_t address, const std::string& what) {
    if (auto it = heaps_.find(address); it != heaps_.end()) return it->second;
    const std::string damaged = what + " refers to a damaged or missing string heap";
    if (address >= file_size_ || file_size_ - address < 16) fail(path_, damaged);
    unsigned char header[16];
    if (::pread(fd_, header, 16, static_cast<off_t>(address)) != 16) fail(path_, damaged);
    if (std::memcmp(header, "GCOL", 4) != 0 || header[4] != 1) fail(path_, damaged);
    const std::uint64_t size = little_endian(header + 8, 8);
    if (size < 16 || size > file_size_ - address) fail(path_, damaged);
    std::vector<unsigned char> heap(size);
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n =
          ::pread(fd_, heap.data() + done, size - done, static_cast<off_t>(address + done));
      if (n <= 0) fail(path_, damaged);
      done += static_cast<std::size_t>(n);
    }
    return heaps_.emplace(address, std::move(heap)).first->second;
  }

  std::string find(const std::vector<unsigned char>& heap, std::uint64_t index,
                   std::uint64_t length, const std::string& what) {
    std::size_t p = 16;
    while (heap.size() - p >= 16) {
      const std::uint64_t id = little_endian(heap.data() + p, 2);
      const std::uint64_t size = little_endian(heap.data() + p + 8, 8);
      const std::size_t data = p + 16;
      if (id == 0 || size > heap.size() - data) break;  // free space, or a damaged object
      if (id == index) {
        if (length > size) break;
        return std::string(reinterpret_cast<const char*>(heap.data() + data), length);
      }
      const std::uint64_t padded = (size + 7) / 8 * 8;
      if (padded > heap.size() - data) break;
      p = data + padded;
    }
    fail(path_, what + " refers to a string that is not in its heap (damaged file)");
  }

  std::string path_;
  std::size_t addr_size_ = 8, raw_size_ = 16;
  hid_t raw_type_ = -1;
  int fd_ = -1;
  std::uint64_t file_size_ = 0;
  std::map<std::uint64_t, std::vector<unsigned char>> heaps_;
};

// ---- attributes ----

template <class T>
T attr_number(const H5::H5Object& obj, const char* name, const H5::PredType& mem,
              const std::string& path) {
  if (!obj.attrExists(name)) fail(path, "attribute '" + std::string(name) + "' is missing");
  const H5::Attribute attr = obj.openAttribute(name);
  const H5T_class_t type = attr.getDataType().getClass();
  if ((type != H5T_INTEGER && type != H5T_FLOAT) || element_count(attr.getSpace()) != 1)
    fail(path, "attribute '" + std::string(name) + "' is not a number");
  T value{};
  attr.read(mem, &value);
  return value;
}

int attr_int(const H5::H5Object& obj, const char* name, const std::string& path) {
  return attr_number<int>(obj, name, H5::PredType::NATIVE_INT, path);
}

// ---- datasets ----

// What one read needs: the file's path (for messages), its size (to judge claimed sizes) and the
// safe string reader.
struct Context {
  const std::string& path;
  SafeStrings& strings;
};

std::string shape_text(const std::vector<hsize_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? " x " : "") + std::to_string(shape[i]);
  return text + "]";
}

// A numeric dataset, whole. A damaged extent would make this allocate and clear any amount of
// memory, so the size is checked first: against `expect` (the shape the header implies) where
// given, else against the bytes the dataset stores (gzip expands at most ~1030-fold).
template <class T>
std::vector<T> read_all(Context& c, const H5::Group& g, const char* name, const std::string& where,
                        const H5::PredType& mem, const std::vector<hsize_t>* expect = nullptr,
                        std::vector<hsize_t>* shape = nullptr) {
  const std::string what = "dataset " + where + "/" + name;
  if (!g.nameExists(name)) fail(c.path, what + " is missing");
  const H5::DataSet ds = g.openDataSet(name);
  const H5T_class_t type = ds.getDataType().getClass();
  if (type != H5T_INTEGER && type != H5T_FLOAT) fail(c.path, what + " is not numeric");
  const H5::DataSpace space = ds.getSpace();
  const std::vector<hsize_t> dims = extents(space);
  if (shape) *shape = dims;
  const hsize_t n = element_count(space);
  if (expect) {
    if (dims != *expect)
      fail(c.path, what + " has shape " + shape_text(dims) + ", expected " + shape_text(*expect) +
                       " from the file's header (damaged file?)");
  } else {
    const hsize_t stored = H5Dget_storage_size(ds.getId());
    const hsize_t limit = stored * 1100 + (hsize_t{1} << 20);
    if (n > limit / sizeof(T))
      fail(c.path, what + " claims " + std::to_string(n) + " values but stores only " +
                       std::to_string(stored) + " bytes (damaged file)");
  }
  std::vector<T> out(n);
  if (!out.empty()) ds.read(out.data(), mem);
  return out;
}

std::vector<double> doubles(Context& c, const H5::Group& g, const char* name,
                            const std::string& where) {
  return read_all<double>(c, g, name, where, H5::PredType::NATIVE_DOUBLE);
}

template <class T>
std::vector<T> column(Context& c, const H5::Group& g, const char* name, const std::string& where,
                      const H5::PredType& mem, std::size_t rows) {
  std::vector<T> values = read_all<T>(c, g, name, where, mem);
  if (values.size() != rows)
    fail(c.path, "dataset " + where + "/" + name + " holds " + std::to_string(values.size()) +
                     " rows, expected " + std::to_string(rows) + " (damaged file?)");
  return values;
}

H5::Group group(Context& c, const H5::Group& parent, const std::string& name,
                const std::string& where) {
  if (!parent.nameExists(name)) fail(c.path, "group " + where + "/" + name + " is missing");
  return parent.openGroup(name);
}

std::string type_name(const H5::DataType& type) {
  switch (type.getClass()) {
    case H5T_FLOAT:
      return "float" + std::to_string(type.getSize() * 8);
    case H5T_INTEGER: {
      return std::string(H5Tget_sign(type.getId()) == H5T_SGN_NONE ? "uint" : "int") +
             std::to_string(type.getSize() * 8);
    }
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    default:
      return "other";
  }
}

struct VisitState {
  const H5::H5File* file;
  std::vector<DatasetSummary>* out;
  SafeStrings* strings;
  std::string error;  // an InputError's message: exceptions must not cross HDF5's C frames
};

herr_t visit_object(hid_t, const char* name, const H5O_info_t* info, void* data) {
  if (info->type != H5O_TYPE_DATASET) return 0;
  auto* state = static_cast<VisitState*>(data);
  try {
    const H5::DataSet ds = state->file->openDataSet(name);
    DatasetSummary s;
    s.path = std::string("/") + name;
    H5::DataType type = ds.getDataType();
    s.type = type_name(type);
    for (auto d : extents(ds.getSpace())) s.shape.push_back(d);
    // H5DSget_label would read the labels (variable-length strings) through HDF5's heap code:
    // read the attribute it keeps them in (one per axis) the safe way instead.
    std::vector<std::string> labels;
    if (ds.attrExists(L::kHdf5DimensionLabels))
      labels = state->strings->attribute(ds, L::kHdf5DimensionLabels, s.path);
    labels.resize(s.shape.size());
    s.dims = std::move(labels);
    if (ds.attrExists(L::common::units.name)) {
      H5::Attribute attr = ds.openAttribute(L::common::units.name);
      if (attr.getSpace().getSimpleExtentType() == H5S_SCALAR &&
          attr.getDataType().getClass() == H5T_STRING)
        s.units = state->strings->scalar(ds, L::common::units.name, s.path);
    }
    state->out->push_back(std::move(s));
  } catch (const H5::Exception& e) {
    state->error = "cannot read dataset /" + std::string(name) + " (" + e.getFuncName() + ")";
    return -1;
  } catch (const InputError& e) {
    state->error = e.message();
    return -1;
  } catch (...) {
    state->error = "cannot list the datasets";
    return -1;
  }
  return 0;
}

// Opens the file and checks it is a klynge results file of this schema.
H5::H5File open_results(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not a results file");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    fail(path, "not an HDF5 file (expected a klynge results file written by 'klynge run')");
  H5::H5File file;
  try {
    file.openFile(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception&) {
    fail(path, "cannot open the HDF5 file (unreadable or damaged)");
  }
  return file;
}

void check_format(const std::string& path, const H5::H5File& file, SafeStrings& strings) {
  const char* format = L::root::format.name;
  if (!file.attrExists(format) || strings.scalar(file, format, "/") != kResultsFormat)
    fail(path, "not a klynge results file (no root attribute " + std::string(format) + " = \"" +
                   std::string(kResultsFormat) + "\")");
  const int schema = file.attrExists(L::root::schema_version.name)
                         ? attr_int(file, L::root::schema_version.name, path)
                         : -1;
  if (schema != kSchemaVersion)
    fail(path, std::string("results ") + L::root::schema_version.name + " " +
                   std::to_string(schema) + " is not supported; klynge " + kVersion + " reads " +
                   L::root::schema_version.name + " " + std::to_string(kSchemaVersion));
}

// `columns`: which tie table (L::initial_ties::kColumns, or L::ties::kColumns with `detail`).
void read_ties(Context& c, const H5::Group& g, const std::string& where,
               const L::TieColumns& columns, std::vector<TieRecord>& ties,
               std::vector<std::int32_t>* detail) {
  const auto a =
      read_all<std::int32_t>(c, g, columns.firm_a->name, where, H5::PredType::NATIVE_INT32);
  const std::size_t rows = a.size();
  const auto b =
      column<std::int32_t>(c, g, columns.firm_b->name, where, H5::PredType::NATIVE_INT32, rows);
  const auto trust =
      column<float>(c, g, columns.trust->name, where, H5::PredType::NATIVE_FLOAT, rows);
  const auto type =
      column<std::uint8_t>(c, g, columns.type->name, where, H5::PredType::NATIVE_UINT8, rows);
  std::vector<std::int32_t> step(rows, 0);
  if (detail) {
    step = column<std::int32_t>(c, g, columns.step->name, where, H5::PredType::NATIVE_INT32, rows);
    *detail = column<std::int32_t>(c, g, columns.detail_replicate->name, where,
                                   H5::PredType::NATIVE_INT32, rows);
  }
  ties.resize(rows);
  for (std::size_t i = 0; i < rows; ++i)
    ties[i] = TieRecord{step[i], a[i], b[i], trust[i], type[i]};
}

// The header's counts, checked before they size anything.
void check_header(const std::string& path, const ResultsHeader& h) {
  const auto attribute = [](const L::Entry& e, int value) {
    return std::string("root attribute ") + e.name + " = " + std::to_string(value);
  };
  if (h.replicates < 1)
    fail(path, attribute(L::root::replicates, h.replicates) + " is below 1 (damaged file?)");
  if (h.horizon < 0 || h.horizon > 1200)
    fail(path, attribute(L::root::horizon, h.horizon) + " is outside 0 to 1200 (damaged file?)");
  if (h.detail_replicates < 0 || h.detail_replicates > h.replicates)
    fail(path, attribute(L::root::detail_replicates, h.detail_replicates) +
                   " is outside 0 to replicates (damaged file?)");
}

void read_file(const std::string& path, const H5::H5File& file, ResultsFile& r,
               SafeStrings& strings) {
  Context c{path, strings};
  ResultsHeader& h = r.header;
  namespace R = L::root;
  r.schema_version = attr_int(file, R::schema_version.name, path);
  r.created = strings.scalar(file, R::created.name, "/");
  r.status = strings.scalar(file, R::status.name, "/");
  h.tool_version = strings.scalar(file, R::tool_version.name, "/");
  h.scenario_name = strings.scalar(file, R::scenario_name.name, "/");
  h.scenario_text = strings.scalar(file, R::scenario_text.name, "/");
  h.resolved_configuration = strings.scalar(file, R::resolved_configuration.name, "/");
  h.command_line = strings.scalar(file, R::command_line.name, "/");
  h.seed = attr_number<std::uint64_t>(file, R::seed.name, H5::PredType::NATIVE_UINT64, path);
  h.replicates = attr_int(file, R::replicates.name, path);
  h.horizon = attr_int(file, R::horizon.name, path);
  h.detail_replicates = attr_int(file, R::detail_replicates.name, path);
  h.reveal_names = attr_int(file, R::reveal_names.name, path) != 0;
  check_header(path, h);

  const H5::Group root = file.openGroup("/");
  const char* units = L::common::units.name;
  r.metric_names = strings.dataset(root, R::metric.name, "");
  r.metric_units = strings.attribute(root.openDataSet(R::metric.name), units, R::metric.path);
  r.firm_variable_names = strings.dataset(root, R::firm_variable.name, "");
  r.firm_variable_units =
      strings.attribute(root.openDataSet(R::firm_variable.name), units, R::firm_variable.path);
  h.pseudonyms = strings.dataset(root, R::firm.name, "");
  h.capability_names = strings.dataset(root, R::capability.name, "");
  const std::size_t firms = h.pseudonyms.size();

  // Population.
  namespace P = L::population;
  const H5::Group pop = group(c, root, P::group.name, "");
  const std::string where = P::group.path;
  const auto per_firm = [&](const L::Entry& e) {
    std::vector<double> v = doubles(c, pop, e.name, where);
    if (v.size() != firms)
      fail(path, "dataset " + std::string(e.path) + " holds " + std::to_string(v.size()) +
                     " values, expected one per firm (" + std::to_string(firms) + ")");
    return v;
  };
  if (h.reveal_names && pop.nameExists(P::name.name))
    h.names = strings.dataset(pop, P::name.name, where);
  h.municipalities = strings.dataset(pop, P::municipality.name, where);
  h.lat = per_firm(P::lat);
  h.lon = per_firm(P::lon);
  h.employees = per_firm(P::employees);
  h.revenue_mdkk = per_firm(P::revenue_mdkk);
  h.export_share = per_firm(P::export_share);
  const auto food = per_firm(P::market_food);
  const auto energy = per_firm(P::market_energy_environment);
  const auto other = per_firm(P::market_other);
  h.market_share.resize(firms);
  for (std::size_t i = 0; i < firms; ++i) h.market_share[i] = {food[i], energy[i], other[i]};
  h.participant =
      column<std::uint8_t>(c, pop, P::participant.name, where, H5::PredType::NATIVE_UINT8, firms);
  h.synthetic =
      column<std::uint8_t>(c, pop, P::synthetic.name, where, H5::PredType::NATIVE_UINT8, firms);
  h.capabilities = doubles(c, pop, P::capabilities.name, where);
  const auto weights = doubles(c, pop, P::catalogue_weights.name, where);
  h.catalogue_weights.resize(weights.size() / 4);
  for (std::size_t k = 0; k < h.catalogue_weights.size(); ++k)
    for (std::size_t s = 0; s < 4; ++s) h.catalogue_weights[k][s] = weights[k * 4 + s];
  read_ties(c, group(c, pop, L::initial_ties::group.name, where), L::initial_ties::group.path,
            L::initial_ties::kColumns, h.initial_ties, nullptr);

  // A probabilistic run (`uncertainty:`).
  namespace U = L::uncertainty;
  if (root.nameExists(U::group.name)) {
    const H5::Group g = root.openGroup(U::group.name);
    const std::string at = U::group.path;
    auto& u = h.uncertainty;
    u.draws = attr_int(g, U::draws.name, path);
    u.replicates_per_draw = attr_int(g, U::replicates_per_draw.name, path);
    u.sampling = strings.scalar(g, U::sampling.name, at);
    u.parameters = strings.dataset(g, U::parameter.name, at);
    u.distributions = strings.dataset(g, U::distribution.name, at);
    u.values = doubles(c, g, U::values.name, at);
    u.design = doubles(c, g, U::design.name, at);
    const auto dims = static_cast<long long>(u.parameters.size());
    if (u.sampling == "morris") {
      u.design_draws = attr_int(g, U::trajectories.name, path);
      u.levels = attr_int(g, U::levels.name, path);
    } else if (u.sampling == "saltelli") {
      u.design_draws = attr_int(g, U::base_points.name, path);
    }
    if (u.draws <= 0 || u.replicates_per_draw <= 0 ||
        static_cast<long long>(u.draws) * u.replicates_per_draw != h.replicates ||
        u.values.size() != static_cast<std::size_t>(u.draws) * u.parameters.size() ||
        u.distributions.size() != u.parameters.size() || u.design.size() != u.values.size() ||
        (u.sampling == "morris" &&
         (u.levels < 2 || u.levels % 2 != 0 ||
          static_cast<long long>(u.design_draws) * (dims + 1) != u.draws)) ||
        (u.sampling == "saltelli" &&
         static_cast<long long>(u.design_draws) * (dims + 2) != u.draws))
      fail(path, "the " + at +
                     " group does not match the replicate axis (draws x "
                     "replicates_per_draw), its parameters or its design (morris: trajectories x "
                     "(parameters + 1) draws; saltelli: base_points x (parameters + 2))");
  }

  // Variants, in scenario order. Their shapes follow from the header: checked before reading.
  const auto replicates = static_cast<hsize_t>(h.replicates);
  const auto steps = static_cast<hsize_t>(h.horizon) + 1;
  const std::vector<hsize_t> metrics_shape{replicates, steps, r.metric_names.size()};
  const std::vector<hsize_t> final_shape{replicates, firms, r.firm_variable_names.size()};
  const std::vector<hsize_t> completed_shape{replicates};
  namespace V = L::variant;
  const H5::Group variants = group(c, root, L::variants::group.name, "");
  for (const auto& name : strings.attribute(file, R::variants.name, "/")) {
    const std::string at = std::string(L::variants::group.path) + "/" + name;
    if (name.empty() || name.find('/') != std::string::npos || name == "." || name == ".." ||
        !variants.nameExists(name))
      fail(path, "variant group " + at + " is missing");
    const H5::Group g = variants.openGroup(name);
    ResultsHeader::VariantInfo info;
    info.name = name;
    info.resolved_configuration = strings.scalar(g, V::resolved_configuration.name, at);
    info.intervention_ids = strings.attribute(g, V::intervention_ids.name, at);
    info.intervention_types = strings.attribute(g, V::intervention_types.name, at);
    // Labels arrived after schema 1's first files: absent means none (code names shown).
    if (g.attrExists(V::label.name)) info.label = strings.scalar(g, V::label.name, at);
    if (g.attrExists(V::intervention_labels.name))
      info.intervention_labels = strings.attribute(g, V::intervention_labels.name, at);
    h.variants.push_back(std::move(info));

    VariantResults v;
    v.name = name;
    v.metrics =
        read_all<double>(c, g, V::metrics.name, at, H5::PredType::NATIVE_DOUBLE, &metrics_shape);
    v.replicates = replicates;
    v.steps = steps;
    v.metric_count = r.metric_names.size();
    v.final_firms =
        read_all<double>(c, g, V::final_firms.name, at, H5::PredType::NATIVE_DOUBLE, &final_shape);
    v.firms = firms;
    v.firm_variables = r.firm_variable_names.size();
    v.completed = read_all<std::uint8_t>(c, g, V::completed.name, at, H5::PredType::NATIVE_UINT8,
                                         &completed_shape);
    v.has_detail = g.nameExists(L::detail::group.name);
    r.variants.push_back(std::move(v));
  }

  VisitState state{&file, &r.datasets, &strings, {}};
  if (H5Ovisit2(file.getId(), H5_INDEX_NAME, H5_ITER_INC, &visit_object, &state, H5O_INFO_BASIC) <
      0)
    fail(path, state.error.empty() ? "cannot list the datasets (damaged file)" : state.error);
}

}  // namespace

std::size_t VariantResults::completed_count() const {
  return static_cast<std::size_t>(
      std::count_if(completed.begin(), completed.end(), [](std::uint8_t c) { return c != 0; }));
}

bool ResultsFile::complete() const {
  return status == kStatusComplete;
}

const VariantResults* ResultsFile::find_variant(const std::string& name) const {
  for (const auto& v : variants)
    if (v.name == name) return &v;
  return nullptr;
}

int ResultsFile::metric_index(const std::string& name) const {
  for (std::size_t i = 0; i < metric_names.size(); ++i)
    if (metric_names[i] == name) return static_cast<int>(i);
  return -1;
}

// ---- a first pass in a child process ----
//
// The checks above keep HDF5 away from damaged string heaps and damaged sizes, but HDF5 1.10 also
// trusts object headers and attribute messages: in a corpus of 1500 corrupted files a few still
// crashed it in H5Aexists, in H5Aiterate or while closing the file, where no check from outside
// can reach. So each read is first done in a child process (fork). If the child dies by a signal
// or does not finish in time, the file is reported as damaged; if it ends normally, the parent
// reads the file itself, the same steps (an InputError the child met comes again in the parent,
// with its message). Reading twice costs little next to the run that wrote the file.

void detail::first_pass_in_a_child(const std::string& path, const std::function<void()>& read) {
  struct stat st {};
  const double megabytes =
      ::stat(path.c_str(), &st) == 0 ? static_cast<double>(st.st_size) / 1e6 : 0;
  // Generous: a sound file reads at well over 10 MB/s.
  const auto limit = std::chrono::seconds(60 + static_cast<long>(megabytes / 10));
  const pid_t child = ::fork();
  if (child < 0) return;  // no child possible: read directly, as without this pass
  if (child == 0) {
    const rlimit no_core{0, 0};  // an expected crash needs no core file
    ::setrlimit(RLIMIT_CORE, &no_core);
    // Die by the signal itself: a handler inherited from the parent (a test framework's, say)
    // would report the child's crash as the parent's own.
    for (const int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, SIG_DFL);
    int code = 0;
    try {
      read();
    } catch (...) {
      code = 2;
    }
    ::_exit(code);  // no atexit handlers, no flushing of the parent's buffers
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto pause = std::chrono::microseconds(200);
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0 && errno != EINTR) return;  // the child is not ours to wait for: read directly
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      fail(path, "damaged file: reading it did not finish within " + std::to_string(limit.count()) +
                     " s");
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20000));
  }
  if (WIFSIGNALED(status))
    fail(path, "damaged file: the HDF5 library crashed reading it (signal " +
                   std::to_string(WTERMSIG(status)) + " in a first pass; nothing else happened)");
  // The child exits 0 (read) or 2 (threw); any other code is a death of another kind (e.g. a
  // sanitizer's report ends the process with exit code 1), never a sound read.
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 2)
    fail(path, "damaged file: reading it ended abnormally (exit code " +
                   std::to_string(WEXITSTATUS(status)) +
                   " in a first pass; nothing else happened)");
}

ResultsFile detail::read_results_directly(const std::string& path) {
  QuietHdf5 quiet;
  ResultsFile r;
  r.path = path;
  try {
    const H5::H5File file = open_results(path);
    SafeStrings strings(path, file);
    check_format(path, file, strings);
    read_file(path, file, r, strings);
  } catch (const H5::Exception& e) {
    fail(path, "unreadable results file (" + e.getFuncName() + ": " + e.getDetailMsg() + ")");
  } catch (const std::bad_alloc&) {
    fail(path, "too large to read into memory (or damaged)");
  }
  return r;
}

DetailResults detail::read_detail_directly(const std::string& path, const std::string& variant,
                                           bool events_only) {
  QuietHdf5 quiet;
  DetailResults d;
  try {
    const H5::H5File file = open_results(path);
    SafeStrings strings(path, file);
    check_format(path, file, strings);
    Context c{path, strings};
    namespace D = L::detail;
    namespace E = L::events;
    const H5::Group variants = group(c, file.openGroup("/"), L::variants::group.name, "");
    if (variant.empty() || variant.find('/') != std::string::npos || variant == "." ||
        variant == ".." || !variants.nameExists(variant))
      fail(path, "no variant named '" + variant + "'");
    const H5::Group g = variants.openGroup(variant);
    if (!g.nameExists(D::group.name))
      fail(path, "variant '" + variant + "' has no detail replicates");
    const std::string at =
        std::string(L::variants::group.path) + "/" + variant + "/" + D::group.name;
    const H5::Group dg = g.openGroup(D::group.name);

    // The shape follows from the header and the firm axis.
    ResultsHeader h;
    h.replicates = attr_int(file, L::root::replicates.name, path);
    h.horizon = attr_int(file, L::root::horizon.name, path);
    h.detail_replicates = attr_int(file, L::root::detail_replicates.name, path);
    check_header(path, h);
    const H5::Group root = file.openGroup("/");
    const hsize_t firms = strings.dataset(root, L::root::firm.name, "").size();
    const hsize_t vars = strings.dataset(root, L::root::firm_variable.name, "").size();
    const auto detail = static_cast<hsize_t>(h.detail_replicates);
    const std::vector<hsize_t> shape{detail, static_cast<hsize_t>(h.horizon) + 1, firms, vars};
    d.replicate = column<std::int32_t>(c, dg, D::detail_replicate.name, at,
                                       H5::PredType::NATIVE_INT32, detail);
    d.detail_replicates = d.replicate.size();
    if (!events_only) {  // the trajectories of a large population run to hundreds of MB
      d.trajectories =
          read_all<float>(c, dg, D::trajectories.name, at, H5::PredType::NATIVE_FLOAT, &shape);
      d.detail_replicates = shape[0];
      d.steps = shape[1];
      d.firms = shape[2];
      d.firm_variables = shape[3];
    }

    const H5::Group eg = group(c, dg, E::group.name, at);
    const std::string ev = at + "/" + E::group.name;
    const auto int32 = [&](const L::Entry& e, std::size_t rows) {
      return column<std::int32_t>(c, eg, e.name, ev, H5::PredType::NATIVE_INT32, rows);
    };
    const auto uint8 = [&](const L::Entry& e, std::size_t rows) {
      return column<std::uint8_t>(c, eg, e.name, ev, H5::PredType::NATIVE_UINT8, rows);
    };
    d.event_detail =
        read_all<std::int32_t>(c, eg, E::detail_replicate.name, ev, H5::PredType::NATIVE_INT32);
    const std::size_t rows = d.event_detail.size();
    const auto step = int32(E::step, rows);
    const auto type = uint8(E::type, rows);
    const auto a = int32(E::firm_a, rows);
    const auto b = int32(E::firm_b, rows);
    const auto intervention = int32(E::intervention, rows);
    const auto value = column<double>(c, eg, E::value.name, ev, H5::PredType::NATIVE_DOUBLE, rows);
    const auto skipped = int32(E::units_skipped, rows);
    const auto reason = uint8(E::reason, rows);
    d.events.resize(rows);
    for (std::size_t i = 0; i < rows; ++i) {
      Event& e = d.events[i];
      e.step = step[i];
      e.type = static_cast<EventType>(type[i]);
      e.firm_a = a[i];
      e.firm_b = b[i];
      e.intervention = intervention[i];
      e.value = value[i];
      e.units_skipped = skipped[i];
      e.reason = reason[i];
    }
    if (!events_only)
      read_ties(c, group(c, dg, L::ties::group.name, at), at + "/" + L::ties::group.name,
                L::ties::kColumns, d.ties, &d.tie_detail);
  } catch (const H5::Exception& e) {
    fail(path, "unreadable results file (" + e.getFuncName() + ": " + e.getDetailMsg() + ")");
  } catch (const std::bad_alloc&) {
    fail(path, "too large to read into memory (or damaged)");
  }
  return d;
}

ResultsFile read_results(const std::string& path) {
  detail::first_pass_in_a_child(path, [&path] { detail::read_results_directly(path); });
  return detail::read_results_directly(path);
}

DetailResults read_detail(const std::string& path, const std::string& variant, bool events_only) {
  detail::first_pass_in_a_child(path,
                                [&] { detail::read_detail_directly(path, variant, events_only); });
  return detail::read_detail_directly(path, variant, events_only);
}

}  // namespace klynge
