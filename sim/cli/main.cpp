#include <csignal>
#include <iostream>

#include "sim/cli/cli.hpp"

int main(int argc, char** argv) {
  // A file size limit (ulimit -f) makes a write fail with EFBIG, reported like a full disk,
  // instead of killing the process with SIGXFSZ and leaving a temporary behind.
  std::signal(SIGXFSZ, SIG_IGN);
  return klynge::cli::klynge_main(argc, argv, {std::cout, std::cerr});
}
