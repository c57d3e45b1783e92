#include "sim/run/process_group.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include "sim/core/errors.hpp"

#if KLYNGE_HAVE_MPI
// The C API only: OpenMPI's deprecated C++ bindings would need libmpi_cxx.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

namespace klynge {
namespace {

template <class T>
void put(std::string& out, const T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}
template <class T>
void put_vector(std::string& out, const std::vector<T>& values) {
  static_assert(std::is_trivially_copyable_v<T>);
  put(out, static_cast<std::uint64_t>(values.size()));
  out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

class Reader {
 public:
  explicit Reader(const std::string& bytes) : bytes_(bytes) {}
  template <class T>
  T get() {
    T value;
    take(&value, sizeof(T));
    return value;
  }
  template <class T>
  std::vector<T> get_vector() {
    const auto n = get<std::uint64_t>();
    if (n > (bytes_.size() - at_) / sizeof(T))
      throw std::runtime_error("replicate message cut short");
    std::vector<T> values(n);
    take(values.data(), n * sizeof(T));
    return values;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void take(void* to, std::size_t n) {
    if (n > bytes_.size() - at_) throw std::runtime_error("replicate message cut short");
    std::memcpy(to, bytes_.data() + at_, n);
    at_ += n;
  }
  const std::string& bytes_;
  std::size_t at_ = 0;
};

// How many ranks an MPI launcher started, read from its environment (0: not launched by one).
int launched_ranks() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS"})
    if (const char* value = std::getenv(name)) return std::atoi(value);
  return 0;
}

#if KLYNGE_HAVE_MPI
constexpr int kTagReplicate = 1;
constexpr int kTagFinished = 2;
constexpr int kTagRequest = 3;  // rank > 0 asks for a unit of work
constexpr int kTagUnit = 4;     // rank 0's answer: the unit's number

class MpiGroup final : public ProcessGroup {
 public:
  MpiGroup() {
    int provided = 0;
    // Workers of rank > 0 call MPI from several threads, one at a time (mpi_mutex_).
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    if (provided < MPI_THREAD_SERIALIZED) {
      MPI_Finalize();
      throw std::runtime_error("the MPI library does not support MPI_THREAD_SERIALIZED");
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
  }
  ~MpiGroup() override { MPI_Finalize(); }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  int next_unit() override {
    std::lock_guard lock(mpi_mutex_);
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagRequest, MPI_COMM_WORLD);
    int unit = 0;
    MPI_Recv(&unit, 1, MPI_INT, 0, kTagUnit, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    return unit;
  }

  void send(const ReplicateOutput& replicate) override {
    const std::string bytes = serialize(replicate);
    if (bytes.size() > static_cast<std::size_t>(INT32_MAX))
      throw std::runtime_error(
          "a replicate's detail output exceeds 2 GiB, too large for one MPI "
          "message; run fewer detail replicates or without trajectories");
    std::lock_guard lock(mpi_mutex_);
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, 0, kTagReplicate,
             MPI_COMM_WORLD);
  }
  void finish() override {
    std::lock_guard lock(mpi_mutex_);
    MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagFinished, MPI_COMM_WORLD);
  }

  std::string serve(const std::function<int()>& hand_out,
                    const std::function<void(ReplicateOutput&&)>& sink,
                    const std::atomic<bool>* stop, double grace_seconds) override {
    std::vector<bool> finished(static_cast<std::size_t>(size_), false);
    finished[0] = true;
    int open = size_ - 1;
    using clock = std::chrono::steady_clock;
    auto last_message = clock::now();
    std::string buffer;
    while (open > 0) {
      int arrived = 0;
      MPI_Status status;
      // Polling, not a blocking probe: a rank that died or hangs must not keep rank 0 from
      // closing the file after an interrupt.
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &arrived, &status);
      if (!arrived) {
        if (stop && stop->load() &&
            std::chrono::duration<double>(clock::now() - last_message).count() > grace_seconds)
          break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        continue;
      }
      last_message = clock::now();
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      buffer.resize(static_cast<std::size_t>(count));
      MPI_Recv(buffer.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      if (status.MPI_TAG == kTagRequest) {
        const int unit = hand_out();
        MPI_Send(&unit, 1, MPI_INT, status.MPI_SOURCE, kTagUnit, MPI_COMM_WORLD);
      } else if (status.MPI_TAG == kTagFinished) {
        finished[static_cast<std::size_t>(status.MPI_SOURCE)] = true;
        --open;
      } else {
        sink(deserialize(buffer));
      }
    }
    std::string silent;
    for (int r = 1; r < size_; ++r)
      if (!finished[static_cast<std::size_t>(r)])
        silent += (silent.empty() ? "rank " : ", rank ") + std::to_string(r);
    return silent;
  }

 private:
  int rank_ = 0, size_ = 1;
  std::mutex mpi_mutex_;  // MPI_THREAD_SERIALIZED: one call at a time
};
#endif

}  // namespace

bool built_with_mpi() {
  return KLYNGE_HAVE_MPI != 0;
}

std::unique_ptr<ProcessGroup> join_process_group() {
  if (launched_ranks() <= 1) return nullptr;
#if KLYNGE_HAVE_MPI
  return std::make_unique<MpiGroup>();
#else
  throw UsageError("started as " + std::to_string(launched_ranks()) +
                   " MPI ranks, but this klynge was built without MPI (install libopenmpi-dev "
                   "and rebuild; docs/distributed.md); every rank would run the whole ensemble");
#endif
}

std::string serialize(const ReplicateOutput& r) {
  std::string out;
  put(out, static_cast<std::int32_t>(r.variant));
  put(out, static_cast<std::int32_t>(r.replicate));
  put(out, static_cast<std::int32_t>(r.steps));
  put(out, static_cast<std::int32_t>(r.detail_index));
  put_vector(out, r.metrics);
  put_vector(out, r.final_firms);
  put_vector(out, r.trajectories);
  put_vector(out, r.events);
  put_vector(out, r.ties);
  return out;
}

ReplicateOutput deserialize(const std::string& bytes) {
  Reader in(bytes);
  ReplicateOutput r;
  r.variant = in.get<std::int32_t>();
  r.replicate = in.get<std::int32_t>();
  r.steps = in.get<std::int32_t>();
  r.detail_index = in.get<std::int32_t>();
  r.metrics = in.get_vector<double>();
  r.final_firms = in.get_vector<double>();
  r.trajectories = in.get_vector<float>();
  r.events = in.get_vector<Event>();
  r.ties = in.get_vector<TieRecord>();
  if (!in.done()) throw std::runtime_error("replicate message longer than expected");
  return r;
}

}  // namespace klynge
