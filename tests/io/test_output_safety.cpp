// Output safety (docs/reliability.md, "Results files and output paths"): a failed write never
// replaces or damages an existing file and leaves no temporary; concurrent writers to one path do
// not corrupt each other; an output that is a folder or an input is refused before any work.
#include <sys/resource.h>
#include <unistd.h>

#include <H5Cpp.h>
#include <catch2/catch.hpp>

#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "sim/cli/cli.hpp"
#include "sim/core/errors.hpp"
#include "sim/io/output_file.hpp"
#include "sim/io/results_h5.hpp"
#include "sim/io/results_reader.hpp"
#include "tests/support/temp_dir.hpp"

namespace fs = std::filesystem;
using namespace klynge;

namespace {

ResultsHeader header(int firms, int replicates, int horizon) {
  ResultsHeader h;
  h.tool_version = "test";
  h.scenario_name = "output safety";
  h.seed = 7;
  h.replicates = replicates;
  h.horizon = horizon;
  h.detail_replicates = 0;
  h.variants.push_back({"baseline", "", {}, {}, "", {}});
  h.variants.push_back({"other", "", {}, {}, "", {}});
  h.capability_names = {"c"};
  for (int f = 0; f < firms; ++f) {
    std::string pseudonym = "F";  // (not "F" + ...: GCC 12 -Wrestrict false positive)
    pseudonym += std::to_string(f);
    h.pseudonyms.push_back(pseudonym);
    h.municipalities.push_back("Viborg");
    h.lat.push_back(56.0);
    h.lon.push_back(9.5);
    h.employees.push_back(10.0 + f);
    h.revenue_mdkk.push_back(1.0 + f);
    h.export_share.push_back(0.1);
    h.market_share.push_back({0.5, 0.3, 0.2});
    h.participant.push_back(1);
    h.synthetic.push_back(0);
    h.capabilities.push_back(0.5);
  }
  h.catalogue_weights.push_back({0.25, 0.25, 0.25, 0.25});
  return h;
}

// Values that do not compress away, so a few replicates fill a small disk.
ReplicateOutput output(const ResultsHeader& h, int variant, int replicate) {
  ReplicateOutput r;
  r.variant = variant;
  r.replicate = replicate;
  r.steps = h.horizon + 1;
  std::uint64_t x = 0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(replicate * 2 + variant + 1);
  const auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return static_cast<double>(x >> 11) / 9007199254740992.0;
  };
  for (int i = 0; i < r.steps * static_cast<int>(kMetricCount); ++i) r.metrics.push_back(next());
  for (std::size_t i = 0; i < h.pseudonyms.size() * kFirmVariableCount; ++i)
    r.final_firms.push_back(next());
  return r;
}

void write_all(ResultsWriter& w, const ResultsHeader& h) {
  for (int rep = 0; rep < h.replicates; ++rep)
    for (int v = 0; v < 2; ++v) w.write(output(h, v, rep));
}

std::string bytes_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".tmp") != std::string::npos)
      found.push_back(entry.path().string());
  return found;
}

// While alive, files of this process cannot grow past `bytes` (RLIMIT_FSIZE): writes beyond fail
// with EFBIG, as on a full disk. SIGXFSZ is ignored so that the write fails instead of the
// process dying. Needs no root and no special file system.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &limited) == 0);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*previous_)(int) = nullptr;
};

}  // namespace

TEST_CASE("output safety: a write failure keeps the old file, leaves no temporary, names the cause",
          "[h5][output]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = dir.file("r.h5");
  const ResultsHeader small = header(4, 2, 3);
  {
    ResultsWriter w(path, small, false);
    write_all(w, small);
    w.finish(true);
  }
  const std::string good = bytes_of(path);
  REQUIRE(read_results(path).complete());

  const ResultsHeader big = header(60, 400, 48);  // ~10 MB of incompressible values
  for (const bool force : {true, false}) {
    const std::string target = force ? path : dir.file("new.h5");
    INFO("force " << force);
    std::string message;
    try {
      const FileSizeLimit limit(256 * 1024);
      ResultsWriter w(target, big, force);
      try {
        write_all(w, big);
      } catch (const OutputError&) {
      }
      w.finish(true);
    } catch (const OutputError& e) {
      message = e.what();
    }
    CHECK(message.find(target) != std::string::npos);
    CHECK(message.find("File too large") != std::string::npos);  // EFBIG, the cause
    CHECK(temporaries(dir.path).empty());
    CHECK(bytes_of(path) == good);  // untouched, also when it was the target
    CHECK(fs::exists(dir.file("new.h5")) == false);
  }
  CHECK(read_results(path).complete());
}

TEST_CASE("output safety: a failure while writing the header leaves nothing", "[h5][output]") {
  testing::TempDir dir("klynge-outsafe");
  const ResultsHeader h = header(4, 2, 3);
  const FileSizeLimit limit(1024);  // not even the superblock and the first attributes fit
  CHECK_THROWS_AS(ResultsWriter(dir.file("r.h5"), h, false), OutputError);
  CHECK(fs::is_empty(dir.path));
}

TEST_CASE("output safety: two writers to one path do not corrupt each other", "[h5][output]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = dir.file("r.h5");
  const ResultsHeader h = header(4, 3, 3);
  SECTION("without --force the second finisher is refused and the first file stays whole") {
    ResultsWriter first(path, h, false);
    std::unique_ptr<ResultsWriter> second;
    REQUIRE_NOTHROW(second = std::make_unique<ResultsWriter>(path, h, false));
    write_all(first, h);
    write_all(*second, h);
    first.finish(true);
    const std::string written = bytes_of(path);
    CHECK_THROWS_AS(second->finish(true), UsageError);
    CHECK(bytes_of(path) == written);
    CHECK(read_results(path).complete());
    CHECK(temporaries(dir.path).empty());
  }
  SECTION("with --force both finish and the file is whole") {
    ResultsWriter first(path, h, true);
    ResultsWriter second(path, h, true);
    write_all(first, h);
    write_all(second, h);
    first.finish(true);
    second.finish(true);
    CHECK(read_results(path).complete());
    CHECK(temporaries(dir.path).empty());
  }
}

TEST_CASE("output safety: a folder, a device or a missing folder as output is refused at once",
          "[h5][output]") {
  testing::TempDir dir("klynge-outsafe");
  const ResultsHeader h = header(2, 1, 1);
  for (const bool force : {false, true}) {
    CHECK_THROWS_AS(ResultsWriter(dir.path.string(), h, force), UsageError);
    CHECK_THROWS_AS(ResultsWriter("/dev/null", h, force), UsageError);
    CHECK_THROWS_AS(ResultsWriter(dir.file("no/such/folder/r.h5"), h, force), UsageError);
  }
  try {
    ResultsWriter w(dir.path.string(), h, true);
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("is a directory") != std::string::npos);
  }
  CHECK(fs::is_empty(dir.path));
}

TEST_CASE("output safety: report refuses to write over its own results file", "[h5][output][cli]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = dir.file("r.h5");
  const ResultsHeader h = header(4, 2, 3);
  {
    ResultsWriter w(path, h, false);
    write_all(w, h);
    w.finish(true);
  }
  const std::string before = bytes_of(path);
  fs::create_symlink(path, dir.file("link.h5"));
  for (const std::string& out : {path, dir.file("link.h5")}) {
    const char* argv[] = {"klynge", "report", path.c_str(), "-o", out.c_str(), "--quiet"};
    std::ostringstream o, e;
    CHECK(cli::klynge_main(6, argv, {o, e}) == 2);
    CHECK(e.str().find("is the input file") != std::string::npos);
  }
  CHECK(bytes_of(path) == before);
  // A folder as the report: exit 2, nothing written.
  const char* argv[] = {"klynge", "report", path.c_str(), "-o", dir.path.c_str(), "--quiet"};
  std::ostringstream o, e;
  CHECK(cli::klynge_main(6, argv, {o, e}) == 2);
  CHECK(e.str().find("is a directory") != std::string::npos);
}

TEST_CASE("output safety: run refuses an output that is one of its inputs", "[output][cli]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string scenario = dir.file("s.yaml");
  fs::copy_file(KLYNGE_SOURCE_DIR "/scenarios/midtjylland.yaml", scenario);
  // The data paths are relative to the scenario's folder: point them at the shipped data.
  std::string text = bytes_of(scenario);
  const std::string data = KLYNGE_SOURCE_DIR "/scenarios/data/";
  for (std::size_t at = 0; (at = text.find("data/", at)) != std::string::npos; at += data.size())
    text.replace(at, 5, data);
  std::ofstream(scenario, std::ios::binary) << text;
  const std::string before = bytes_of(scenario);
  const char* argv[] = {"klynge",  "run",     scenario.c_str(), "-o", scenario.c_str(),
                        "--force", "--quiet", "--replicates",   "1"};
  std::ostringstream o, e;
  CHECK(cli::klynge_main(9, argv, {o, e}) == 2);
  CHECK(e.str().find("is the input file") != std::string::npos);
  CHECK(bytes_of(scenario) == before);
}

TEST_CASE("output safety: write_file_safely replaces only with a complete file", "[output]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = dir.file("report.html");
  write_file_safely(path, "old page", true, "report");
  {
    const FileSizeLimit limit(4096);
    CHECK_THROWS_AS(write_file_safely(path, std::string(100000, 'x'), true, "report"), OutputError);
  }
  CHECK(bytes_of(path) == "old page");
  CHECK(temporaries(dir.path).empty());
  write_file_safely(path, "new page", true, "report");
  CHECK(bytes_of(path) == "new page");
}

namespace {

std::string written_results(const testing::TempDir& dir) {
  const std::string path = dir.file("r.h5");
  const ResultsHeader h = header(4, 2, 3);
  ResultsWriter w(path, h, false);
  write_all(w, h);
  w.finish(true);
  return path;
}

// The error read_results reports for `path` ("" when it reads fine).
std::string read_error(const std::string& path) {
  try {
    read_results(path);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("damaged results: string references into a damaged heap are refused, not followed",
          "[h5][damaged]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = written_results(dir);
  std::string bytes = bytes_of(path);
  // Renumber every object of every global heap collection ("GCOL"): each stored string now
  // refers to an index its heap does not hold (HDF5 itself would copy from a null pointer).
  int objects = 0;
  for (std::size_t at = bytes.find("GCOL"); at != std::string::npos;
       at = bytes.find("GCOL", at + 4)) {
    std::uint64_t size = 0;
    std::memcpy(&size, bytes.data() + at + 8, 8);
    for (std::size_t p = at + 16; p + 16 <= at + size && p + 16 <= bytes.size();) {
      std::uint16_t index = 0;
      std::uint64_t length = 0;
      std::memcpy(&index, bytes.data() + p, 2);
      std::memcpy(&length, bytes.data() + p + 8, 8);
      if (index == 0) break;
      index = static_cast<std::uint16_t>(index + 1000);
      std::memcpy(bytes.data() + p, &index, 2);
      ++objects;
      p += 16 + (length + 7) / 8 * 8;
    }
  }
  REQUIRE(objects > 10);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const std::string error = read_error(path);
  CHECK(error.find(path) != std::string::npos);
  CHECK(error.find("not in its heap") != std::string::npos);
}

TEST_CASE("damaged results: a missing dataset or attribute is named", "[h5][damaged]") {
  testing::TempDir dir("klynge-outsafe");
  for (const char* name : {"/population/lat", "/variants/other/metrics", "/firm"}) {
    const std::string path = written_results(dir);
    {
      H5::H5File file(path, H5F_ACC_RDWR);
      H5Ldelete(file.getId(), name, H5P_DEFAULT);
    }
    INFO(name);
    CHECK(read_error(path).find(std::string("dataset ") + name + " is missing") !=
          std::string::npos);
    fs::remove(path);
  }
  const std::string path = written_results(dir);
  H5Adelete(H5::H5File(path, H5F_ACC_RDWR).getId(), "status");
  CHECK(read_error(path).find("attribute 'status' is missing") != std::string::npos);
}

TEST_CASE("damaged results: an extent that does not fit the header is refused before reading",
          "[h5][damaged]") {
  testing::TempDir dir("klynge-outsafe");
  const std::string path = written_results(dir);
  {
    // The header says 2 replicates; claim a million in the attribute: the shapes no longer fit.
    H5::H5File file(path, H5F_ACC_RDWR);
    const int replicates = 1000000;
    file.openAttribute("replicates").write(H5::PredType::NATIVE_INT, &replicates);
  }
  const std::string error = read_error(path);
  CHECK(error.find("/variants/baseline/metrics has shape [2 x 4 x") != std::string::npos);
}

TEST_CASE("damaged results: a crash in the first pass is reported, not suffered", "[h5][damaged]") {
  using detail::first_pass_in_a_child;
  try {
    first_pass_in_a_child("x.h5", [] { std::raise(SIGSEGV); });
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("x.h5") != std::string::npos);
    CHECK(std::string(e.what()).find("crashed") != std::string::npos);
  }
  // A read that ends normally, or with an error (the parent meets it again itself): no verdict.
  CHECK_NOTHROW(first_pass_in_a_child("x.h5", [] {}));
  CHECK_NOTHROW(first_pass_in_a_child("x.h5", [] { throw std::runtime_error("bad"); }));
}
