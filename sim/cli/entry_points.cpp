// SPDX-License-Identifier: MIT
#include "cli/entry_points.h"

#include <cstdio>
#include <exception>

#include <fmt/format.h>

#include "cli/bash_completion.h"
#include "cli/cli_app.h"
#include "cli/man_page.h"
#include "policy/kernel_version.h"
#include "report/text_file.h"
#include "scenario/input_error.h"

namespace pginit {

int pginit_main(int argc, char** argv, const std::string& version)
{
  const std::unique_ptr<Cli> cli = make_cli(fmt::format("pginit {} (models Linux {})", version, kernel_version_names()));
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

int pginit_docgen_main(int argc, char** argv, const std::string& version)
{
  const std::string what = argc == 3 ? argv[1] : "";
  if (what != "man" && what != "bash") {
    fmt::print(stderr, "usage: pginit-docgen man|bash FILE\n");
    return 2;
  }
  const std::unique_ptr<Cli> cli = make_cli(version);
  const std::string text = what == "man" ? man_page(cli->app, version) : bash_completion(cli->app);
  std::string why;
  if (!write_text_file(argv[2], text, &why)) {
    fmt::print(stderr, "pginit-docgen: {}\n", why);
    return 1;
  }
  return 0;
}

}  // namespace pginit
