#include <iostream>

#include "sim/cli/cli.hpp"

int main(int argc, char** argv) {
  return klynge::cli::klynge_main(argc, argv, {std::cout, std::cerr});
}
