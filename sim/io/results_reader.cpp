#include "sim/io/results_reader.hpp"

#include "sim/io/hdf5_quiet.hpp"

#include <H5Cpp.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "klynge_version.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/results_h5.hpp"

namespace klynge {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& message) {
  throw InputError(SourceLocation{path, 0, 0}, "", message);
}

H5::StrType vl_string() {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  return type;
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
  for (auto d : extents(space)) n *= d;
  return n;
}

// Variable-length strings read into a buffer of char*, copied out, then reclaimed.
std::vector<std::string> take_strings(std::vector<char*>& buf, const H5::DataType& type,
                                      const H5::DataSpace& space) {
  std::vector<std::string> out;
  out.reserve(buf.size());
  for (char* p : buf) out.emplace_back(p ? p : "");
  if (!buf.empty()) H5Dvlen_reclaim(type.getId(), space.getId(), H5P_DEFAULT, buf.data());
  return out;
}

// ---- attributes ----

std::string attr_string(const H5::H5Object& obj, const char* name) {
  H5::Attribute attr = obj.openAttribute(name);
  std::string value;
  attr.read(attr.getStrType(), value);
  return value;
}

std::vector<std::string> attr_strings(const H5::H5Object& obj, const char* name) {
  H5::Attribute attr = obj.openAttribute(name);
  H5::DataSpace space = attr.getSpace();
  std::vector<char*> buf(element_count(space), nullptr);
  const H5::StrType type = vl_string();
  if (!buf.empty()) attr.read(type, buf.data());
  return take_strings(buf, type, space);
}

template <class T>
T attr_number(const H5::H5Object& obj, const char* name, const H5::PredType& mem) {
  T value{};
  obj.openAttribute(name).read(mem, &value);
  return value;
}

int attr_int(const H5::H5Object& obj, const char* name) {
  return attr_number<int>(obj, name, H5::PredType::NATIVE_INT);
}

// ---- datasets ----

template <class T>
std::vector<T> read_all(const H5::DataSet& ds, const H5::PredType& mem,
                        std::vector<hsize_t>* shape = nullptr) {
  H5::DataSpace space = ds.getSpace();
  if (shape) *shape = extents(space);
  std::vector<T> out(element_count(space));
  if (!out.empty()) ds.read(out.data(), mem);
  return out;
}

std::vector<double> doubles(const H5::Group& g, const char* name,
                            std::vector<hsize_t>* shape = nullptr) {
  return read_all<double>(g.openDataSet(name), H5::PredType::NATIVE_DOUBLE, shape);
}

std::vector<std::string> strings(const H5::Group& g, const char* name) {
  H5::DataSet ds = g.openDataSet(name);
  H5::DataSpace space = ds.getSpace();
  std::vector<char*> buf(element_count(space), nullptr);
  const H5::StrType type = vl_string();
  if (!buf.empty()) ds.read(buf.data(), type);
  return take_strings(buf, type, space);
}

template <class T>
std::vector<T> column(const H5::Group& g, const char* name, const H5::PredType& mem) {
  return read_all<T>(g.openDataSet(name), mem);
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
    for (unsigned i = 0; i < s.shape.size(); ++i) {
      char label[256] = {0};
      const ssize_t n = H5DSget_label(ds.getId(), i, label, sizeof label);
      s.dims.emplace_back(n > 0 ? label : "");
    }
    if (ds.attrExists("units")) {
      H5::Attribute attr = ds.openAttribute("units");
      if (attr.getSpace().getSimpleExtentType() == H5S_SCALAR &&
          attr.getDataType().getClass() == H5T_STRING)
        s.units = attr_string(ds, "units");
    }
    state->out->push_back(std::move(s));
  } catch (const H5::Exception&) {
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
  if (!file.attrExists("format") || attr_string(file, "format") != kResultsFormat)
    fail(path, "not a klynge results file (no root attribute format = \"" +
                   std::string(kResultsFormat) + "\")");
  const int schema = file.attrExists("schema_version") ? attr_int(file, "schema_version") : -1;
  if (schema != kSchemaVersion)
    fail(path, "results schema_version " + std::to_string(schema) + " is not supported; klynge " +
                   kVersion + " reads schema_version " + std::to_string(kSchemaVersion));
  return file;
}

void read_ties(const H5::Group& g, std::vector<TieRecord>& ties,
               std::vector<std::int32_t>* detail) {
  const auto a = column<std::int32_t>(g, "firm_a", H5::PredType::NATIVE_INT32);
  const auto b = column<std::int32_t>(g, "firm_b", H5::PredType::NATIVE_INT32);
  const auto trust = column<float>(g, "trust", H5::PredType::NATIVE_FLOAT);
  const auto type = column<std::uint8_t>(g, "type", H5::PredType::NATIVE_UINT8);
  std::vector<std::int32_t> step(a.size(), 0);
  if (detail) {
    step = column<std::int32_t>(g, "step", H5::PredType::NATIVE_INT32);
    *detail = column<std::int32_t>(g, "detail_replicate", H5::PredType::NATIVE_INT32);
  }
  ties.resize(a.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    ties[i] = TieRecord{step.at(i), a[i], b.at(i), trust.at(i), type.at(i)};
}

void read_file(const std::string& path, const H5::H5File& file, ResultsFile& r) {
  ResultsHeader& h = r.header;
  r.schema_version = attr_int(file, "schema_version");
  r.created = attr_string(file, "created");
  r.status = attr_string(file, "status");
  h.tool_version = attr_string(file, "tool_version");
  h.scenario_name = attr_string(file, "scenario_name");
  h.scenario_text = attr_string(file, "scenario_text");
  h.resolved_configuration = attr_string(file, "resolved_configuration");
  h.command_line = attr_string(file, "command_line");
  h.seed = attr_number<std::uint64_t>(file, "seed", H5::PredType::NATIVE_UINT64);
  h.replicates = attr_int(file, "replicates");
  h.horizon = attr_int(file, "horizon");
  h.detail_replicates = attr_int(file, "detail_replicates");
  h.reveal_names = attr_int(file, "reveal_names") != 0;

  const H5::Group root = file.openGroup("/");
  r.metric_names = strings(root, "metric");
  r.metric_units = attr_strings(root.openDataSet("metric"), "units");
  r.firm_variable_names = strings(root, "firm_variable");
  r.firm_variable_units = attr_strings(root.openDataSet("firm_variable"), "units");
  h.pseudonyms = strings(root, "firm");
  h.capability_names = strings(root, "capability");

  // Population.
  const H5::Group pop = file.openGroup("population");
  if (h.reveal_names && pop.nameExists("name")) h.names = strings(pop, "name");
  h.municipalities = strings(pop, "municipality");
  h.lat = doubles(pop, "lat");
  h.lon = doubles(pop, "lon");
  h.employees = doubles(pop, "employees");
  h.revenue_mdkk = doubles(pop, "revenue_mdkk");
  h.export_share = doubles(pop, "export_share");
  const auto food = doubles(pop, "market_food");
  const auto energy = doubles(pop, "market_energy_environment");
  const auto other = doubles(pop, "market_other");
  h.market_share.resize(food.size());
  for (std::size_t i = 0; i < food.size(); ++i)
    h.market_share[i] = {food[i], energy.at(i), other.at(i)};
  h.participant = column<std::uint8_t>(pop, "participant", H5::PredType::NATIVE_UINT8);
  h.synthetic = column<std::uint8_t>(pop, "synthetic", H5::PredType::NATIVE_UINT8);
  h.capabilities = doubles(pop, "capabilities");
  const auto weights = doubles(pop, "catalogue_weights");
  h.catalogue_weights.resize(weights.size() / 4);
  for (std::size_t c = 0; c < h.catalogue_weights.size(); ++c)
    for (std::size_t s = 0; s < 4; ++s) h.catalogue_weights[c][s] = weights[c * 4 + s];
  read_ties(pop.openGroup("initial_ties"), h.initial_ties, nullptr);

  // A probabilistic run (`uncertainty:`).
  if (file.nameExists("uncertainty")) {
    const H5::Group g = file.openGroup("uncertainty");
    auto& u = h.uncertainty;
    u.draws = attr_int(g, "draws");
    u.replicates_per_draw = attr_int(g, "replicates_per_draw");
    u.sampling = attr_string(g, "sampling");
    u.parameters = strings(g, "parameter");
    u.distributions = strings(g, "distribution");
    u.values = doubles(g, "values");
    u.design = doubles(g, "design");
    if (u.draws <= 0 || u.replicates_per_draw <= 0 ||
        static_cast<long long>(u.draws) * u.replicates_per_draw != h.replicates ||
        u.values.size() != static_cast<std::size_t>(u.draws) * u.parameters.size() ||
        u.distributions.size() != u.parameters.size())
      fail(path,
           "the /uncertainty group does not match the replicate axis (draws x "
           "replicates_per_draw) or its parameters");
  }

  // Variants, in scenario order.
  const H5::Group variants = file.openGroup("variants");
  for (const auto& name : attr_strings(file, "variants")) {
    if (!variants.nameExists(name)) fail(path, "variant group /variants/" + name + " is missing");
    const H5::Group g = variants.openGroup(name);
    ResultsHeader::VariantInfo info;
    info.name = name;
    info.resolved_configuration = attr_string(g, "resolved_configuration");
    info.intervention_ids = attr_strings(g, "intervention_ids");
    info.intervention_types = attr_strings(g, "intervention_types");
    h.variants.push_back(std::move(info));

    VariantResults v;
    v.name = name;
    std::vector<hsize_t> shape;
    v.metrics = doubles(g, "metrics", &shape);
    if (shape.size() != 3) fail(path, "/variants/" + name + "/metrics is not 3-dimensional");
    v.replicates = shape[0];
    v.steps = shape[1];
    v.metric_count = shape[2];
    v.final_firms = doubles(g, "final_firms", &shape);
    if (shape.size() != 3) fail(path, "/variants/" + name + "/final_firms is not 3-dimensional");
    v.firms = shape[1];
    v.firm_variables = shape[2];
    v.completed = column<std::uint8_t>(g, "completed", H5::PredType::NATIVE_UINT8);
    v.has_detail = g.nameExists("detail");
    r.variants.push_back(std::move(v));
  }

  VisitState state{&file, &r.datasets};
  if (H5Ovisit2(file.getId(), H5_INDEX_NAME, H5_ITER_INC, &visit_object, &state, H5O_INFO_BASIC) <
      0)
    fail(path, "cannot list the datasets");
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

ResultsFile read_results(const std::string& path) {
  QuietHdf5 quiet;
  ResultsFile r;
  r.path = path;
  try {
    const H5::H5File file = open_results(path);
    read_file(path, file, r);
  } catch (const H5::Exception& e) {
    fail(path, "unreadable results file (" + e.getFuncName() + ": " + e.getDetailMsg() + ")");
  }
  return r;
}

DetailResults read_detail(const std::string& path, const std::string& variant, bool events_only) {
  QuietHdf5 quiet;
  DetailResults d;
  try {
    const H5::H5File file = open_results(path);
    const H5::Group variants = file.openGroup("variants");
    if (!variants.nameExists(variant)) fail(path, "no variant named '" + variant + "'");
    const H5::Group g = variants.openGroup(variant);
    if (!g.nameExists("detail")) fail(path, "variant '" + variant + "' has no detail replicates");
    const H5::Group dg = g.openGroup("detail");
    d.replicate = column<std::int32_t>(dg, "detail_replicate", H5::PredType::NATIVE_INT32);
    d.detail_replicates = d.replicate.size();
    if (!events_only) {
      std::vector<hsize_t> shape;
      d.trajectories =
          read_all<float>(dg.openDataSet("trajectories"), H5::PredType::NATIVE_FLOAT, &shape);
      if (shape.size() != 4) fail(path, "detail trajectories are not 4-dimensional");
      d.detail_replicates = shape[0];
      d.steps = shape[1];
      d.firms = shape[2];
      d.firm_variables = shape[3];
    }

    const H5::Group eg = dg.openGroup("events");
    d.event_detail = column<std::int32_t>(eg, "detail_replicate", H5::PredType::NATIVE_INT32);
    const auto step = column<std::int32_t>(eg, "step", H5::PredType::NATIVE_INT32);
    const auto type = column<std::uint8_t>(eg, "type", H5::PredType::NATIVE_UINT8);
    const auto a = column<std::int32_t>(eg, "firm_a", H5::PredType::NATIVE_INT32);
    const auto b = column<std::int32_t>(eg, "firm_b", H5::PredType::NATIVE_INT32);
    const auto intervention = column<std::int32_t>(eg, "intervention", H5::PredType::NATIVE_INT32);
    const auto value = column<double>(eg, "value", H5::PredType::NATIVE_DOUBLE);
    const auto skipped = column<std::int32_t>(eg, "units_skipped", H5::PredType::NATIVE_INT32);
    const auto reason = column<std::uint8_t>(eg, "reason", H5::PredType::NATIVE_UINT8);
    d.events.resize(step.size());
    for (std::size_t i = 0; i < step.size(); ++i) {
      Event& e = d.events[i];
      e.step = step[i];
      e.type = static_cast<EventType>(type.at(i));
      e.firm_a = a.at(i);
      e.firm_b = b.at(i);
      e.intervention = intervention.at(i);
      e.value = value.at(i);
      e.units_skipped = skipped.at(i);
      e.reason = reason.at(i);
    }
    if (!events_only) read_ties(dg.openGroup("ties"), d.ties, &d.tie_detail);
  } catch (const H5::Exception& e) {
    fail(path, "unreadable results file (" + e.getFuncName() + ": " + e.getDetailMsg() + ")");
  }
  return d;
}

}  // namespace klynge
