#include "sim/io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <system_error>

#include "sim/core/errors.hpp"

namespace klynge {
namespace fs = std::filesystem;

namespace {

std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Removes a temporary; a failure to remove is not worth hiding the original error for.
void discard(const std::string& temporary) {
  ::unlink(temporary.c_str());
}

[[noreturn]] void fail_write(const std::string& path, const std::string& temporary, int error,
                             const char* what, const char* step) {
  discard(temporary);
  const std::string message = "cannot write the " + std::string(what) + " " + path + " (" + step +
                              " " + temporary + "): " + errno_text(error) +
                              "; an existing file of that name is unchanged";
  if (is_path_errno(error)) throw UsageError(message);
  throw OutputError(message);
}

// rename without replacing: renameat2(RENAME_NOREPLACE) where the file system supports it, else
// link + unlink (link also refuses an existing target). Returns 0 or an errno.
int rename_noreplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  if (::link(from.c_str(), to.c_str()) != 0) return errno;
  ::unlink(from.c_str());
  return 0;
}

}  // namespace

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

bool is_path_errno(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
    case EACCES:
    case EPERM:
    case EROFS:
    case ENAMETOOLONG:
    case ELOOP:
    case EISDIR:
    case EEXIST:
      return true;
    default:
      return false;
  }
}

void check_output_target(const std::string& path, bool replace, const char* what) {
  if (path.empty()) throw UsageError(std::string("the ") + what + " path is empty");
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    throw UsageError("cannot use " + path + " as the " + what + ": " + ec.message());
  if (fs::exists(status)) {
    if (fs::is_directory(status))
      throw UsageError(path + " is a directory; -o names the " + what + " file itself, e.g. " +
                       (fs::path(path) / "results.h5").string());
    if (!fs::is_regular_file(status))
      throw UsageError(path + " is not a regular file; klynge writes the " + what +
                       " as a new file and renames it into place, so -o must name a file");
    if (!replace) throw UsageError(path + " exists; pass --force to overwrite");
  }
  const std::string folder = folder_of(path);
  const fs::file_status folder_status = fs::status(folder, ec);
  if (!fs::exists(folder_status))
    throw UsageError("cannot write " + path + ": the folder " + folder + " does not exist");
  if (!fs::is_directory(folder_status))
    throw UsageError("cannot write " + path + ": " + folder + " is not a folder");
}

void refuse_same_file(const std::string& output, const std::vector<std::string>& inputs) {
  struct stat out {};
  if (output.empty() || ::stat(output.c_str(), &out) != 0) return;
  for (const auto& input : inputs) {
    struct stat in {};
    if (input.empty() || ::stat(input.c_str(), &in) != 0) continue;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino)
      throw UsageError(output + " is the input file " + input +
                       "; writing there would destroy it: choose another -o");
  }
}

std::string temporary_name(const std::string& final_path) {
  static thread_local std::mt19937_64 rng{std::random_device{}() ^
                                          (static_cast<std::uint64_t>(::getpid()) << 32)};
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix += digits[rng() % 36];
  return final_path + ".tmp-" + std::to_string(::getpid()) + "-" + suffix;
}

int fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  int error = ::fsync(fd) == 0 ? 0 : errno;
  if (::close(fd) != 0 && !error) error = errno;
  return error;
}

void commit_output(const std::string& temporary, const std::string& final_path, bool replace,
                   const char* what) {
  const int error = replace ? (::rename(temporary.c_str(), final_path.c_str()) == 0 ? 0 : errno)
                            : rename_noreplace(temporary, final_path);
  if (error) {
    discard(temporary);
    if (error == EEXIST)
      throw UsageError(final_path +
                       " appeared while klynge was writing (another run writing the same file?) "
                       "and was not replaced; the new " +
                       what + " is discarded. Pass --force to replace it");
    const std::string message = "cannot move " + temporary + " to " + final_path + ": " +
                                errno_text(error) + "; an existing file of that name is unchanged";
    if (is_path_errno(error)) throw UsageError(message);
    throw OutputError(message);
  }
  // Make the rename itself durable. Some file systems cannot fsync a folder (EINVAL): the file
  // is in place all the same, so this stays best effort.
  fsync_path(folder_of(final_path));
}

void write_file_safely(const std::string& path, const std::string& text, bool replace,
                       const char* what) {
  check_output_target(path, replace, what);
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    temporary = temporary_name(path);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && (errno != EEXIST || attempt == 100)) {
      const int error = errno;
      const std::string message = "cannot create " + temporary + " to write the " + what + " " +
                                  path + ": " + errno_text(error);
      if (is_path_errno(error)) throw UsageError(message);
      throw OutputError(message);
    }
  }
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int error = n < 0 ? errno : ENOSPC;
      ::close(fd);
      fail_write(path, temporary, error, what, "writing");
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    fail_write(path, temporary, error, what, "syncing");
  }
  if (::close(fd) != 0) fail_write(path, temporary, errno, what, "closing");
  // Verify: the bytes on disk are the page.
  {
    std::string back;
    std::FILE* in = std::fopen(temporary.c_str(), "rb");
    if (!in) fail_write(path, temporary, errno, what, "re-reading");
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) back.append(buf, n);
    const bool read_error = std::ferror(in) != 0;
    std::fclose(in);
    if (read_error || back != text) fail_write(path, temporary, EIO, what, "verifying");
  }
  commit_output(temporary, path, replace, what);
}

}  // namespace klynge
