// SPDX-License-Identifier: MIT
// cli_walk.h - what the man page and the bash completion need from the
// CLI11 table: every command (subcommands of subcommands included, in the
// order they were defined) with its options, and how an option is written.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pginit {

struct CliCommand {
  std::string path;  // "run", "kconfig check"; "" for pginit itself
  const CLI::App* app = nullptr;
  std::vector<const CLI::App*> subcommands;
  std::vector<const CLI::Option*> positionals;
  std::vector<const CLI::Option*> options;  // --help first, as CLI11 adds it
};

// pginit itself first, then each subcommand depth first.
std::vector<CliCommand> walk_cli(const CLI::App& app);

// "-q, --quiet"; "--kernel" (no value name: see option_value).
std::string option_names(const CLI::Option& o);
// The value an option takes, "" for a flag: its type name in the table
// ("VERSION", "FILE.html"), in brackets when it may be left out (--trace [DEPTH]).
std::string option_value(const CLI::Option& o);

}  // namespace pginit
