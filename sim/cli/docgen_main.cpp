// SPDX-License-Identifier: MIT
// docgen_main.cpp - pginit-docgen man|bash FILE: writes pginit(1) or the
// bash completion from the same table pginit parses with. The build runs it
// (sim/CMakeLists.txt); it is not installed.
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "cli/bash_completion.h"
#include "cli/cli_app.h"
#include "cli/man_page.h"
#include "report/text_file.h"

#ifndef PGINIT_VERSION
#define PGINIT_VERSION "unknown"
#endif

int main(int argc, char** argv)
{
  using namespace pginit;
  const std::string what = argc == 3 ? argv[1] : "";
  if (what != "man" && what != "bash") {
    fmt::print(stderr, "usage: pginit-docgen man|bash FILE\n");
    return 2;
  }
  const std::unique_ptr<Cli> cli = make_cli(PGINIT_VERSION);
  const std::string text = what == "man" ? man_page(cli->app, PGINIT_VERSION) : bash_completion(cli->app);
  std::string why;
  if (!write_text_file(argv[2], text, &why)) {
    fmt::print(stderr, "pginit-docgen: {}\n", why);
    return 1;
  }
  return 0;
}
