// SPDX-License-Identifier: MIT
// commands.h - the pginit subcommands; exit statuses in run/exit_status.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run/exit_status.h"

namespace pginit {

struct RunOptions {
  std::string scenario;
  std::string kernel;              // --kernel: override the scenario's
  std::string policy;              // --policy: override the init policy
  std::optional<std::uint64_t> kaslr_seed;  // --kaslr-seed: place the image as KASLR would
  std::vector<std::string> sets;   // --set SYMBOL=VALUE
  unsigned threads = 0;            // --threads; 0: all host threads
  std::string json;                // --json FILE
  std::string report;              // --report FILE.html
  std::string svg;                 // --svg DIR
  std::string trace_out;           // --trace-out FILE.json: Chrome/Perfetto trace events
  bool quiet = false;
  bool verbose = false;            // memblock=debug
  unsigned trace = 0;              // --trace[=DEPTH]: print each boot step as it starts
  bool explain = false;            // --explain: say what each step does and why
  bool step = false;               // --step: pause after each top-level step (terminals only)
  std::string mode;                // --mode fidelity|scale; empty: pginit picks
};

// pginit page SCENARIO PFN...: one struct page through the boot.
struct PageOptions {
  std::string scenario;
  std::vector<std::string> pfns;
  std::string kernel;              // --kernel
  std::vector<std::string> sets;   // --set SYMBOL=VALUE
  std::string mode;                // --mode fidelity|scale
};

// pginit kmem SCENARIO -p START[-END] | -n: crash's kmem tables at a milestone.
struct KmemOptions {
  std::string scenario;
  std::string pages;               // -p START[-END]: struct pages of a pfn range
  bool sections = false;           // -n: the mem_section table
  std::string at = "end";          // --at early|mm_init|end
  std::string kernel;              // --kernel
  std::vector<std::string> sets;   // --set SYMBOL=VALUE
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
  unsigned threads = 0;              // --threads: cases booted at once; 0: all host threads
};

struct PredictOptions {
  std::string scenario;
  std::optional<std::string> threads;  // --threads 1,2,4: per node; default powers of two to the node's CPUs
  std::vector<std::string> kernels;    // --kernel, repeatable; default the scenario's
  std::string json;                    // --json FILE
  std::string svg;                     // --svg FILE
};

int run_command(const RunOptions& opt);
int page_command(const PageOptions& opt);
int kmem_command(const KmemOptions& opt);
int predict_command(const PredictOptions& opt);
int sweep_command(const SweepOptions& opt);
int kconfig_check_command(const std::string& file, const std::string& kernel);
int import_dmesg_command(const ImportOptions& opt);
int import_config_command(const ImportOptions& opt);
int memblock_command(const std::string& script, bool verbose);

}  // namespace pginit
