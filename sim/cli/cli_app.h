// SPDX-License-Identifier: MIT
// cli_app.h - pginit's command line as one CLI11 table: every subcommand and
// option with its help text. main() parses with it; the man page pginit(1)
// and the bash completion are generated from it at build time
// (cli/man_page.h, cli/bash_completion.h), so the three never disagree.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace pginit {

// The table and the variables its options write into.
struct Cli {
  CLI::App app{"pginit: simulate Linux boot-time struct page initialization", "pginit"};
  RunOptions run;
  PageOptions page;
  KmemOptions kmem;
  SweepOptions sweep;
  PredictOptions predict;
  std::string predict_threads;  // kept as text: an empty or bad list is predict's one-line error
  std::string script;
  bool script_verbose = false;
  std::string kconfig_file;
  std::string kconfig_kernel = "v4.17";
  ImportOptions imp;

  CLI::App* run_cmd = nullptr;
  CLI::App* page_cmd = nullptr;
  CLI::App* kmem_cmd = nullptr;
  CLI::App* memblock_cmd = nullptr;
  CLI::App* sweep_cmd = nullptr;
  CLI::App* predict_cmd = nullptr;
  CLI::Option* predict_threads_opt = nullptr;
  CLI::App* kcheck_cmd = nullptr;
  CLI::App* dmesg_cmd = nullptr;
  CLI::App* config_cmd = nullptr;
};

// The table, with `version` as --version's text (the App cannot be moved:
// its options point into the Cli).
std::unique_ptr<Cli> make_cli(const std::string& version);

// Runs the subcommand the parsed command line chose; its exit status.
int dispatch(Cli& cli);

}  // namespace pginit
