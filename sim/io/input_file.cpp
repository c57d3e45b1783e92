#include "sim/io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "sim/core/errors.hpp"

namespace klynge {
namespace {

// Closes the descriptor on every path out of read_input_file.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Why stat/open/read failed, in words a user can act on.
std::string describe_errno(int error) {
  switch (error) {
    case ENOENT:
      return "no such file";
    case ENOTDIR:
      return "a folder in the path is not a folder";
    case ENAMETOOLONG:
      return "the path is too long for the system";
    case ELOOP:
      return "too many levels of symbolic links (a link that points to itself?)";
    case EACCES:
    case EPERM:
      return "permission denied";
    default:
      return std::strerror(error);
  }
}

std::string kind_of(mode_t mode) {
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a pipe (FIFO)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

std::string format_bytes(std::uintmax_t bytes) {
  constexpr std::uintmax_t kMiB = std::uintmax_t{1} << 20;
  char buffer[48];
  if (bytes < kMiB) {
    std::snprintf(buffer, sizeof buffer, "%ju bytes", bytes);
  } else if (bytes % kMiB == 0 && bytes < (kMiB << 10)) {
    std::snprintf(buffer, sizeof buffer, "%ju MiB", bytes / kMiB);
  } else if (bytes < (kMiB << 10)) {
    std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(bytes) / kMiB);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f GiB", static_cast<double>(bytes) / (kMiB << 10));
  }
  return buffer;
}

std::string read_input_file(const std::string& path, std::uintmax_t limit,
                            const std::string& what) {
  const auto fail = [&](const std::string& why) -> void {
    throw InputError({path, 0, 0}, "", "cannot read the " + what + ": " + why);
  };
  const std::string too_large = "it is larger than the limit of " + format_bytes(limit) +
                                " for a " + what + " (docs/reliability.md); is it the right file?";
  if (path.empty()) fail("the path is empty");
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) fail(describe_errno(errno));
  if (S_ISDIR(info.st_mode)) fail("it is a folder, not a file");
  // Devices (/dev/zero never ends), FIFOs (block until a writer comes) and sockets are refused
  // before open(): opening a FIFO alone can hang.
  if (!S_ISREG(info.st_mode)) fail("it is " + kind_of(info.st_mode) + ", not a regular file");
  if (static_cast<std::uintmax_t>(info.st_size) > limit)
    fail("it is " + format_bytes(static_cast<std::uintmax_t>(info.st_size)) + ", " + too_large);

  // O_NONBLOCK: if the path was swapped for a FIFO since stat, open() must not wait for a writer.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) fail(describe_errno(errno));
  if (::fstat(fd.get(), &info) != 0) fail(describe_errno(errno));
  if (!S_ISREG(info.st_mode)) fail("it is " + kind_of(info.st_mode) + ", not a regular file");

  // Read up to limit + 1 bytes whatever stat said: /proc files report size 0 and files can grow.
  std::string text;
  text.reserve(static_cast<std::size_t>(info.st_size));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("reading failed: " + describe_errno(errno));
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > limit) fail(too_large);
  }
  return text;
}

}  // namespace klynge
