// What the hall programs' mains share: printing an error and running a CLI11 application with the documented
// exit codes (hallvote/hall/exit_codes.h). Header-only; the programs link CLI11 themselves.
#pragma once

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "hallvote/hall/exit_codes.h"

namespace hallvote::setup {

// Prints "错误 / error: <message>" to stderr and returns `code`.
inline int report_error(const std::string& message, int code) {
  std::cerr << "错误 / error: " << message << "\n";
  return code;
}

// Parses the command line and runs the chosen subcommand, whose callback sets `exit_code`. A usage error exits
// with kExitUsage (--help with 0); an unexpected exception is reported and exits with kExitFailed.
inline int run_cli(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitUsage;
  } catch (const std::exception& e) {
    return report_error(std::string("unexpected: ") + e.what(), kExitFailed);
  }
  return exit_code;
}

}  // namespace hallvote::setup
