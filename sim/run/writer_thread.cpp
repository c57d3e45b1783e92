#include "sim/run/writer_thread.hpp"

#include <H5Cpp.h>

#include <stdexcept>
#include <utility>

namespace klynge {

WriterThread::WriterThread(std::unique_ptr<ResultsWriter> writer, std::size_t queue_capacity)
    : writer_(std::move(writer)), capacity_(queue_capacity == 0 ? 1 : queue_capacity) {
  if (!writer_) throw std::invalid_argument("WriterThread: no ResultsWriter");
  thread_ = std::thread([this] { loop(); });
}

WriterThread::~WriterThread() {
  try {
    close(false);
  } catch (...) {  // a destructor must not throw; close() finished the file as far as it could
  }
}

void WriterThread::push(ReplicateOutput&& replicate) {
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [this] { return queue_.size() < capacity_ || error_ || closing_; });
  if (error_) std::rethrow_exception(error_);
  if (closing_) throw std::logic_error("WriterThread: push() after close()");
  queue_.push_back(std::move(replicate));
  lock.unlock();
  not_empty_.notify_one();
}

void WriterThread::close(bool complete) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    closing_ = true;
    complete_ = complete;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mutex_);
  if (error_) std::rethrow_exception(error_);
}

std::size_t WriterThread::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

void WriterThread::loop() {
  // HDF5's error printing is set per thread: errors arrive here as exceptions instead.
  H5::Exception::dontPrint();
  for (;;) {
    ReplicateOutput next;
    {
      std::unique_lock lock(mutex_);
      not_empty_.wait(lock, [this] { return !queue_.empty() || closing_; });
      if (queue_.empty()) break;  // closing and drained
      next = std::move(queue_.front());
      queue_.pop_front();
    }
    not_full_.notify_one();
    const bool slice = next.part == ReplicateOutput::Part::step_slice;  // not a replicate yet
    try {
      writer_->write(std::move(next));
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        error_ = std::current_exception();
        queue_.clear();  // stop accepting: waiting producers wake up and see the error
      }
      not_full_.notify_all();
      break;  // finish what was written, as incomplete; close() rethrows the error
    }
    std::lock_guard lock(mutex_);
    if (!slice) ++written_;
  }
  bool complete = false;
  {
    std::lock_guard lock(mutex_);
    complete = complete_ && !error_;
  }
  try {
    writer_->finish(complete);
  } catch (...) {
    std::lock_guard lock(mutex_);
    if (!error_) error_ = std::current_exception();
  }
  writer_.reset();  // the file's last HDF5 calls stay on this thread
}

}  // namespace klynge
