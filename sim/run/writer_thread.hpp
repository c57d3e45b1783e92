#pragma once
// The one thread that owns the results file. Workers push finished replicates into a bounded
// queue (push blocks while it is full, so a slow disk slows the workers instead of filling
// memory); the thread writes them in arrival order. HDF5 is only ever called from this thread.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

#include "sim/core/results.hpp"
#include "sim/io/results_h5.hpp"

namespace klynge {

class WriterThread {
 public:
  // Starts the thread. `queue_capacity` 0 is taken as 1.
  WriterThread(std::unique_ptr<ResultsWriter> writer, std::size_t queue_capacity);
  // If close() was not called: closes as incomplete, swallowing any error.
  ~WriterThread();
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Queues one replicate; blocks while the queue is full. Safe to call from many threads.
  // Once the writer has failed, rethrows its exception (every time) instead of queueing;
  // after close(), throws std::logic_error.
  void push(ReplicateOutput&& replicate);

  // Writes everything still queued, finishes the file (status complete only if `complete` and
  // every replicate was written; see ResultsWriter::finish), joins the thread. Rethrows the
  // writer's exception if it failed (the file is then still finished as incomplete when
  // possible; after a failed write to disk it is discarded and an existing file kept, see
  // ResultsWriter::finish). Calling it again does nothing.
  void close(bool complete);

  // Replicates written so far (for progress and tests; step slices of a streamed detail
  // replicate do not count, its final part does).
  std::size_t written() const;

 private:
  void loop();

  std::unique_ptr<ResultsWriter> writer_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_empty_;  // the writer waits: work or closing
  std::condition_variable not_full_;   // producers wait: room, failure or closing
  std::deque<ReplicateOutput> queue_;
  bool closing_ = false;
  bool complete_ = false;
  bool closed_ = false;
  std::size_t written_ = 0;
  std::exception_ptr error_;
  std::thread thread_;
};

}  // namespace klynge
