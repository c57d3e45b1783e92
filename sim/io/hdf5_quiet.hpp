#pragma once
// HDF5 prints its error stack to stderr by default; while a QuietHdf5 lives, errors only become
// exceptions. The setting is per thread in a thread-safe HDF5 build, so every public entry point
// of the results writer and reader installs one.
#include <H5Epublic.h>

namespace klynge {

class QuietHdf5 {
 public:
  QuietHdf5() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  QuietHdf5(const QuietHdf5&) = delete;
  QuietHdf5& operator=(const QuietHdf5&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

}  // namespace klynge
