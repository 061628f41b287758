// SPDX-License-Identifier: MIT
// commands.h - the pginit subcommands. Exit status, for every command:
//   0  success
//   1  the run did not show what the scenario's expect: block asks for, or
//      memblock refused a script operation
//   2  bad input: scenario, script or command line (one FILE:LINE: FIELD: line on stderr)
//   3  the run read uninitialized struct pages the scenario does not expect
//   4  the simulated kernel panicked (the log ends with "Kernel panic - not syncing")
//  70  internal error: pginit broke its own invariants (the end-of-run proof failed)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pginit {

inline constexpr int EXIT_OK = 0;
inline constexpr int EXIT_EXPECT_FAILED = 1;
inline constexpr int EXIT_BAD_INPUT = 2;
inline constexpr int EXIT_VIOLATIONS = 3;
inline constexpr int EXIT_KERNEL_PANIC = 4;
inline constexpr int EXIT_INTERNAL_ERROR = 70;  // EX_SOFTWARE: a bug in pginit (e.g. a failed end-of-run proof)

struct RunOptions {
  std::string scenario;
  std::string kernel;              // --kernel: override the scenario's
  std::string policy;              // --policy: override the init policy
  std::optional<std::uint64_t> kaslr_seed;  // --kaslr-seed: place the image as KASLR would
  std::vector<std::string> sets;   // --set SYMBOL=VALUE
  unsigned threads = 0;            // 0: all host threads
  std::string json;                // --json FILE
  std::string report;              // --report FILE.html
  std::string svg;                 // --svg DIR
  bool quiet = false;
  bool verbose = false;            // memblock=debug
  unsigned trace = 0;              // --trace[=DEPTH]: print each boot step as it starts
  bool explain = false;            // --explain: say what each step does and why
  bool step = false;               // --step: pause after each top-level step (terminals only)
};

struct ImportOptions {
  std::string file;    // the log or .config to read
  std::string out;     // -o FILE; empty or "-": stdout
  std::string config;  // import dmesg --config DOTCONFIG
  std::string name;    // import dmesg --name: the scenario's name
  bool verbose = false;
};

struct SweepOptions {
  std::string scenario;              // the machine
  std::vector<std::string> kernels;  // --kernel, repeatable; default v4.16, v4.17-rc, v4.17
  std::uint64_t kaslr = 0;           // --kaslr N: N seeded load addresses per case
};

int run_command(const RunOptions& opt);
int sweep_command(const SweepOptions& opt);
int kconfig_check_command(const std::string& file, const std::string& kernel);
int import_dmesg_command(const ImportOptions& opt);
int import_config_command(const ImportOptions& opt);
int memblock_command(const std::string& script, bool verbose);

}  // namespace pginit
