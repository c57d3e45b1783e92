#pragma once
// Output safety (docs/reliability.md, "Results files and output paths"): every file klynge
// writes (results, reports) goes to a unique temporary name in the target's folder, created
// exclusively (never truncating anyone's file), is fsynced, closed and verified, and only then
// renamed onto the target. A failure removes the temporary and leaves an existing target as it was.
#include <string>
#include <vector>

namespace klynge {

// Checks, before any work, that `path` can be the output: not a directory or another non-regular
// file, not existing unless `replace`, in a folder that exists. Throws UsageError (exit 2) naming
// the path and the reason. `what` names the file in messages ("results file", "report").
void check_output_target(const std::string& path, bool replace, const char* what);

// Throws UsageError when `output` exists and is the same file (same device and inode) as one of
// `inputs` (missing inputs and empty strings are skipped): writing it would destroy the input.
void refuse_same_file(const std::string& output, const std::vector<std::string>& inputs);

// A fresh temporary name next to `final_path`: "<final_path>.tmp-<pid>-<random>". Not created.
std::string temporary_name(const std::string& final_path);

// Moves the finished temporary onto `final_path` (atomically; without `replace` it fails when
// `final_path` appeared meanwhile, e.g. written by a concurrent run) and fsyncs the folder. On
// failure the temporary is removed and UsageError (target problems) or std::runtime_error is
// thrown, naming both paths and the cause.
void commit_output(const std::string& temporary, const std::string& final_path, bool replace,
                   const char* what);

// fsync of a file by path; returns 0 or the errno.
int fsync_path(const std::string& path);

// Writes `text` to `path` by the rule above (report pages). Throws UsageError for a bad path and
// std::runtime_error for a write failure; the message names the path and the cause.
void write_file_safely(const std::string& path, const std::string& text, bool replace,
                       const char* what);

// errno values that mean "this path cannot be written" (a usage problem, exit 2) rather than a
// failure while writing (exit 1).
bool is_path_errno(int error);

// "No space left on device" etc.
std::string errno_text(int error);

}  // namespace klynge
