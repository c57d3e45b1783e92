#pragma once
// An HDF5 file driver for writing results: POSIX I/O like HDF5's default (sec2), except that a
// failed write (disk full, file size limit, I/O error) is recorded here instead of being reported
// to HDF5. HDF5 1.10 does not survive failing writes: a failed H5Dclose/H5Fclose frees its object
// but keeps its id, and closing again (the C++ destructors do) crashes in H5F__close. With this
// driver HDF5 always sees success; bytes that could not be written are kept in memory so HDF5
// reads back what it wrote until the file is closed, and the writer checks failed() after every
// step, stops, closes cleanly and discards the file. close() also fsyncs the file.
#include <H5Ipublic.h>

#include <string>

namespace klynge {

struct WriteGuard {
  int error = 0;          // errno of the first failed write, truncate, fsync or close; 0 if none
  const char* step = "";  // what failed: "writing", "syncing", ...
  int open_error = 0;     // errno of a failed open (EEXIST: the name is taken)
  bool failed() const { return error != 0; }
};

// A file-access property list that selects the driver and reports into `guard` (which must
// outlive the file). The caller closes the returned id (H5Pclose).
hid_t guarded_file_access(WriteGuard* guard);

}  // namespace klynge
