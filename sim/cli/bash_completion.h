// SPDX-License-Identifier: MIT
// bash_completion.h - a bash completion script for pginit, written from the
// CLI11 table that --help prints: subcommands after `pginit` (and after
// `kconfig`, `import`), each command's options after a `-`, file names
// otherwise.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace pginit {

std::string bash_completion(const CLI::App& app);

}  // namespace pginit
