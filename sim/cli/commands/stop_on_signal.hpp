#pragma once
// While a StopOnSignal lives, SIGINT, SIGTERM and SIGHUP (a closed terminal) set its flag instead
// of killing the process: the runner then stops, keeping every finished replicate in a file marked
// incomplete. One command runs per process, so one flag serves them all.
#include <atomic>
#include <csignal>

namespace klynge::cli {

inline std::atomic<bool> g_stop_requested{false};
extern "C" inline void request_stop(int) {
  g_stop_requested.store(true);
}

class StopOnSignal {
 public:
  StopOnSignal() {
    g_stop_requested.store(false);
    previous_int_ = std::signal(SIGINT, request_stop);
    previous_term_ = std::signal(SIGTERM, request_stop);
    previous_hup_ = std::signal(SIGHUP, request_stop);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
    std::signal(SIGHUP, previous_hup_);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  const std::atomic<bool>* flag() const { return &g_stop_requested; }

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
  void (*previous_hup_)(int);
};

}  // namespace klynge::cli
