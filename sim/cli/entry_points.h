// SPDX-License-Identifier: MIT
// entry_points.h - the two programs' main()s, kept in the pginit_cli library
// so that their files (cli/main.cpp, cli/docgen_main.cpp) stay one call and
// do not parse CLI11 again: the library's files share one precompiled copy.
#pragma once

#include <string>

namespace pginit {

// pginit: parse with the table (cli/cli_app.h), run the subcommand, map
// errors to exit statuses.
int pginit_main(int argc, char** argv, const std::string& version);

// pginit-docgen man|bash FILE: writes pginit(1) or the bash completion from
// the same table pginit parses with.
int pginit_docgen_main(int argc, char** argv, const std::string& version);

}  // namespace pginit
