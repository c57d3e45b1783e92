#pragma once
// Reading the files a user names (scenario, catalogue, interview CSVs) without trusting them:
// only regular files, up to a size limit, checked before the first byte is read, so that
// /dev/zero, a FIFO, a directory or a multi-gigabyte file passed by mistake is a clear exit-2
// message instead of a hang or an out-of-memory kill (docs/reliability.md, "Inputs").
#include <cstdint>
#include <string>

namespace klynge {

// Scenario and catalogue YAML: the largest shipped scenario is 6 KiB; 1 MiB leaves room for
// programmes 150 times longer and bounds yaml-cpp's node tree (a few hundred bytes per node, so
// a 1 MiB list of one-character items took 250 MB and 4.4 s, measured).
inline constexpr std::uintmax_t kMaxYamlBytes = std::uintmax_t{1} << 20;
// Interview CSVs: 512 MiB is far beyond any survey (100k firms take about 20 MiB).
inline constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{512} << 20;

// The whole file as bytes. Throws InputError (exit 2) naming `path` when it is missing, a
// directory, not a regular file (device, FIFO, socket), larger than `limit` bytes (checked with
// stat before reading and again while reading, for files such as /proc's that report size 0),
// unreadable, a symlink loop, or a path the system refuses as too long. `what` names the file's
// role in messages ("scenario file", "firms file").
std::string read_input_file(const std::string& path, std::uintmax_t limit, const std::string& what);

// "4 MiB", "512 MiB", "1.5 GiB": a byte count for messages and docs.
std::string format_bytes(std::uintmax_t bytes);

}  // namespace klynge
