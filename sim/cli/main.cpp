// SPDX-License-Identifier: MIT
// main.cpp - the pginit command line: parse with the table (cli/cli_app.h),
// run the subcommand, map errors to exit statuses.
#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "cli/cli_app.h"
#include "policy/kernel_version.h"
#include "scenario/input_error.h"

#ifndef PGINIT_VERSION
#define PGINIT_VERSION "unknown"
#endif

int main(int argc, char** argv)
{
  using namespace pginit;
  const std::unique_ptr<Cli> cli =
      make_cli(fmt::format("pginit {} (models Linux {})", PGINIT_VERSION, kernel_version_names()));
  try {
    cli->app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0; real usage errors exit 2.
    const int code = cli->app.exit(e);
    return code == 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }

  try {
    return dispatch(*cli);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return EXIT_BAD_INPUT;
  } catch (const std::exception& e) {
    fmt::print(stderr, "pginit: internal error: {}\n", e.what());
    return 70;  // EX_SOFTWARE
  }
}
