#include "sim/io/guarded_driver.hpp"

#include <H5FDpublic.h>
#include <H5Ppublic.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

namespace klynge {
namespace {

struct DriverInfo {  // the driver's part of the file-access property list (copied by memcpy)
  WriteGuard* guard;
};

struct GuardedFile {
  H5FD_t pub;  // must come first: HDF5 sees a GuardedFile* as an H5FD_t*
  int fd = -1;
  haddr_t eoa = 0, eof = 0;
  dev_t device = 0;
  ino_t inode = 0;
  WriteGuard* guard = nullptr;
  // Writes that reached the disk no more (after the first failure), in order: reads apply them.
  std::vector<std::pair<haddr_t, std::vector<unsigned char>>> unwritten;
};

GuardedFile* as_guarded(H5FD_t* file) {
  return reinterpret_cast<GuardedFile*>(file);
}
const GuardedFile* as_guarded(const H5FD_t* file) {
  return reinterpret_cast<const GuardedFile*>(file);
}

void record(WriteGuard* guard, int error, const char* step) {
  if (guard && !guard->error) {
    guard->error = error ? error : EIO;
    guard->step = step;
  }
}

H5FD_t* open_file(const char* name, unsigned flags, hid_t fapl, haddr_t) {
  const auto* info = static_cast<const DriverInfo*>(H5Pget_driver_info(fapl));
  WriteGuard* guard = info ? info->guard : nullptr;
  int o_flags = (flags & H5F_ACC_RDWR) ? O_RDWR : O_RDONLY;
  if (flags & H5F_ACC_TRUNC) o_flags |= O_TRUNC;
  if (flags & H5F_ACC_CREAT) o_flags |= O_CREAT;
  if (flags & H5F_ACC_EXCL) o_flags |= O_EXCL;
  const int fd = ::open(name, o_flags | O_CLOEXEC, 0666);
  struct stat st {};
  if (fd < 0 || ::fstat(fd, &st) != 0) {
    if (guard) guard->open_error = errno;
    if (fd >= 0) ::close(fd);
    return nullptr;
  }
  auto* file = new (std::nothrow) GuardedFile;
  if (!file) {
    ::close(fd);
    return nullptr;
  }
  std::memset(&file->pub, 0, sizeof file->pub);
  file->fd = fd;
  file->eof = static_cast<haddr_t>(st.st_size);
  file->device = st.st_dev;
  file->inode = st.st_ino;
  file->guard = guard;
  return &file->pub;
}

herr_t close_file(H5FD_t* f) {
  GuardedFile* file = as_guarded(f);
  if (file->guard && !file->guard->failed() && ::fsync(file->fd) != 0)
    record(file->guard, errno, "syncing");
  if (::close(file->fd) != 0) record(file->guard, errno, "closing");
  delete file;
  return 0;
}

int compare(const H5FD_t* a, const H5FD_t* b) {
  const auto key = [](const H5FD_t* f) {
    return std::make_pair(as_guarded(f)->device, as_guarded(f)->inode);
  };
  return key(a) < key(b) ? -1 : key(b) < key(a) ? 1 : 0;
}

herr_t query(const H5FD_t*, unsigned long* flags) {
  // As sec2: the same allocation strategy, so the files look the same.
  if (flags)
    *flags = H5FD_FEAT_AGGREGATE_METADATA | H5FD_FEAT_ACCUMULATE_METADATA | H5FD_FEAT_DATA_SIEVE |
             H5FD_FEAT_AGGREGATE_SMALLDATA | H5FD_FEAT_POSIX_COMPAT_HANDLE |
             H5FD_FEAT_DEFAULT_VFD_COMPATIBLE;
  return 0;
}

haddr_t get_eoa(const H5FD_t* f, H5FD_mem_t) {
  return as_guarded(f)->eoa;
}
herr_t set_eoa(H5FD_t* f, H5FD_mem_t, haddr_t addr) {
  as_guarded(f)->eoa = addr;
  return 0;
}
haddr_t get_eof(const H5FD_t* f, H5FD_mem_t) {
  return as_guarded(f)->eof;
}
herr_t get_handle(H5FD_t* f, hid_t, void** handle) {
  if (!handle) return -1;
  *handle = &as_guarded(f)->fd;
  return 0;
}

herr_t read_file(H5FD_t* f, H5FD_mem_t, hid_t, haddr_t addr, size_t size, void* buffer) {
  GuardedFile* file = as_guarded(f);
  if (addr == HADDR_UNDEF || addr + size < addr || addr + size > file->eoa) return -1;
  auto* out = static_cast<unsigned char*>(buffer);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(file->fd, out + done, size - done, static_cast<off_t>(addr + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;  // past the end of the file: zeros, as sec2
    done += static_cast<std::size_t>(n);
  }
  std::memset(out + done, 0, size - done);
  for (const auto& [at, bytes] : file->unwritten) {
    const haddr_t begin = std::max(addr, at), end = std::min(addr + size, at + bytes.size());
    if (begin < end) std::memcpy(out + (begin - addr), bytes.data() + (begin - at), end - begin);
  }
  return 0;
}

herr_t write_file(H5FD_t* f, H5FD_mem_t, hid_t, haddr_t addr, size_t size, const void* buffer) {
  GuardedFile* file = as_guarded(f);
  if (addr == HADDR_UNDEF || addr + size < addr || addr + size > file->eoa) return -1;
  const auto* in = static_cast<const unsigned char*>(buffer);
  if (!file->guard || !file->guard->failed()) {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::pwrite(file->fd, in + done, size - done, static_cast<off_t>(addr + done));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        record(file->guard, n < 0 ? errno : ENOSPC, "writing");
        break;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  if (file->guard && file->guard->failed())
    file->unwritten.emplace_back(addr, std::vector<unsigned char>(in, in + size));
  file->eof = std::max(file->eof, addr + size);
  return 0;
}

herr_t truncate_file(H5FD_t* f, hid_t, hbool_t) {
  GuardedFile* file = as_guarded(f);
  if (file->eoa == file->eof) return 0;
  if ((!file->guard || !file->guard->failed()) &&
      ::ftruncate(file->fd, static_cast<off_t>(file->eoa)) != 0)
    record(file->guard, errno, "extending");
  file->eof = file->eoa;
  return 0;
}

H5FD_class_t make_class() {
  H5FD_class_t c;
  std::memset(&c, 0, sizeof c);
  c.name = "klynge_guarded";
  c.maxaddr = static_cast<haddr_t>(INT64_MAX);
  c.fc_degree = H5F_CLOSE_WEAK;
  c.fapl_size = sizeof(DriverInfo);
  c.open = open_file;
  c.close = close_file;
  c.cmp = compare;
  c.query = query;
  c.get_eoa = get_eoa;
  c.set_eoa = set_eoa;
  c.get_eof = get_eof;
  c.get_handle = get_handle;
  c.read = read_file;
  c.write = write_file;
  c.truncate = truncate_file;
  const H5FD_mem_t map[H5FD_MEM_NTYPES] = H5FD_FLMAP_DICHOTOMY;
  std::copy(std::begin(map), std::end(map), std::begin(c.fl_map));
  return c;
}

hid_t driver_id() {
  static const H5FD_class_t cls = make_class();
  static const hid_t id = H5FDregister(&cls);
  return id;
}

}  // namespace

hid_t guarded_file_access(WriteGuard* guard) {
  const hid_t id = driver_id();
  if (id < 0) return -1;
  const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  const DriverInfo info{guard};
  if (H5Pset_driver(fapl, id, &info) < 0) {
    H5Pclose(fapl);
    return -1;
  }
  return fapl;
}

}  // namespace klynge
