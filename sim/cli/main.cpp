// SPDX-License-Identifier: MIT
// main.cpp - the pginit command line (CLI11).
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "policy/kernel_version.h"
#include "scenario/input_error.h"

#ifndef PGINIT_VERSION
#define PGINIT_VERSION "unknown"
#endif

namespace {

// --threads is bounded up front: more workers than this is a typo, not a machine.
constexpr unsigned MAX_THREADS = 1024;

}  // namespace

int main(int argc, char** argv)
{
  using namespace pginit;
  CLI::App app{"pginit: simulate Linux boot-time struct page initialization"};
  app.set_version_flag("--version", fmt::format("pginit {} (models Linux {})", PGINIT_VERSION, kernel_version_names()));
  app.require_subcommand(1);

  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Replay a scenario's boot and print its kernel log");
  run_cmd->add_option("SCENARIO", run.scenario, "Scenario file (YAML, see docs/scenarios.md)")->required();
  run_cmd->add_option("--kernel", run.kernel, "Kernel version to model, overriding the scenario's");
  run_cmd->add_option("--kaslr-seed", run.kaslr_seed, "Load the kernel image where KASLR would with this seed");
  run_cmd->add_option("--policy", run.policy, "Struct page init policy, overriding the kernel version's");
  run_cmd->add_option("--set", run.sets, "Override a Kconfig symbol: SYMBOL=y|n (or a number)");
  run_cmd->add_option("--threads", run.threads, "Worker threads for parallel phases (default: all)")
      ->check(CLI::Range(1u, MAX_THREADS));
  run_cmd->add_option("--trace", run.trace, "Print each boot step as it starts, DEPTH calls deep (default 5)")
      ->expected(0, 1)
      ->default_str("5")  // DEFAULT_TRACE_DEPTH
      ->check(CLI::Range(1u, 64u));
  run_cmd->add_flag("--explain", run.explain, "Say what each boot step does and why (as deep as --trace, default 5)");
  run_cmd->add_flag("--step", run.step, "Pause after each step of start_kernel (only when stdin is a terminal)");
  run_cmd->add_option("--report", run.report, "Write a self-contained HTML report (memory map, timeline, violations)");
  run_cmd->add_option("--svg", run.svg, "Write the report's pictures as SVG files into DIR");
  run_cmd->add_option("--json", run.json, "Write a machine-readable report to FILE");
  run_cmd->add_option("--mode", run.mode,
                      "fidelity (64 real bytes per struct page) or scale (struct pages as runs, for machines "
                      "whose memmap would not fit this host); default: fidelity when it fits")->type_name("MODE");
  run_cmd->add_option("--trace-out", run.trace_out,
                      "Write the simulated boot as Chrome/Perfetto trace events to FILE.json (ui.perfetto.dev)");
  auto* quiet = run_cmd->add_flag("-q,--quiet", run.quiet, "Do not print the kernel log");
  run_cmd->add_flag("-v,--verbose", run.verbose, "Boot with memblock=debug")->excludes(quiet);

  PageOptions page;
  CLI::App* page_cmd =
      app.add_subcommand("page", "Show a pfn's struct page through the boot, as the version's dump_page() prints it");
  page_cmd->add_option("SCENARIO", page.scenario, "Scenario file (YAML)")->required();
  page_cmd->add_option("PFN", page.pfns, "Page frame numbers (decimal or 0x hex)")->required();
  page_cmd->add_option("--kernel", page.kernel, "Model this kernel version instead of the scenario's");
  page_cmd->add_option("--set", page.sets, "Set a Kconfig symbol, SYMBOL=VALUE (repeatable)");
  page_cmd->add_option("--mode", page.mode, "fidelity or scale (see pginit run --help)")->type_name("MODE");

  KmemOptions kmem;
  CLI::App* kmem_cmd = app.add_subcommand(
      "kmem", "The memmap at a milestone as crash's kmem prints it: -p a pfn range's struct pages, -n the sections");
  kmem_cmd->add_option("SCENARIO", kmem.scenario, "Scenario file (YAML)")->required();
  kmem_cmd->add_option("-p", kmem.pages, "Struct pages of pfns START[-END] (inclusive): PAGE PHYSICAL MAPPING INDEX CNT FLAGS");
  kmem_cmd->add_flag("-n", kmem.sections, "The mem_section table: NR CODED_MEM_MAP MEM_MAP STATE PFN");
  kmem_cmd->add_option("--at", kmem.at, "Milestone: early (after setup_arch), mm_init or end (default)");
  kmem_cmd->add_option("--kernel", kmem.kernel, "Model this kernel version instead of the scenario's");
  kmem_cmd->add_option("--set", kmem.sets, "Set a Kconfig symbol, SYMBOL=VALUE (repeatable)");

  std::string script;
  bool script_verbose = false;
  CLI::App* mb_cmd = app.add_subcommand("memblock", "Run a memblock script (docs/memblock-scripts.md)");
  mb_cmd->add_option("SCRIPT", script, "Script file, one operation a line")->required();
  mb_cmd->add_flag("-v,--verbose", script_verbose, "Print the memblock=debug lines of each operation");

  SweepOptions sweep;
  CLI::App* sweep_cmd = app.add_subcommand("sweep", "Boot a machine under every config that decides the per-cpu bug");
  sweep_cmd->add_option("SCENARIO", sweep.scenario, "The machine (its config and kernel are swept)")->required();
  sweep_cmd->add_option("--kernel", sweep.kernels, "Kernel versions to sweep (repeatable)");
  sweep_cmd->add_option("--kaslr", sweep.kaslr, "Boot each case at N KASLR load addresses")->check(CLI::Range(1, 10000));
  sweep_cmd->add_option("--threads", sweep.threads, "Cases booted at once (default: all host threads)")->check(CLI::Range(1u, MAX_THREADS));

  PredictOptions predict;
  CLI::App* predict_cmd = app.add_subcommand("predict", "Predict deferred-init time per node, thread count and kernel");
  predict_cmd->add_option("SCENARIO", predict.scenario, "The machine, with its machine.perf profile")->required();
  std::string predict_threads;  // kept as text: an empty or bad list is predict's one-line error
  CLI::Option* predict_threads_opt =
      predict_cmd->add_option("--threads", predict_threads, "Threads per node to predict for, e.g. 1,2,4 (default: powers of two)");
  predict_cmd->add_option("--kernel", predict.kernels, "Kernel versions to predict (repeatable; default the scenario's)");
  predict_cmd->add_option("--json", predict.json, "Write the points as JSON to FILE");
  predict_cmd->add_option("--svg", predict.svg, "Write a plot to FILE.svg");

  std::string kconfig_file;
  std::string kconfig_kernel = "v4.17";
  CLI::App* kconfig_cmd = app.add_subcommand("kconfig", "Explain a .config under a modelled kernel's Kconfig rules");
  kconfig_cmd->require_subcommand(1);
  CLI::App* kcheck_cmd = kconfig_cmd->add_subcommand("check", "Memory model, per-cpu allocator, deferred init, and why");
  kcheck_cmd->add_option("FILE", kconfig_file, ".config file")->required();
  kcheck_cmd->add_option("--kernel", kconfig_kernel, "Kernel version whose rules apply (default v4.17)");

  ImportOptions imp;
  CLI::App* import_cmd = app.add_subcommand("import", "Turn a real machine's files into pginit input");
  import_cmd->require_subcommand(1);
  CLI::App* dmesg_cmd = import_cmd->add_subcommand("dmesg", "Write a scenario from a kernel boot log");
  dmesg_cmd->add_option("FILE", imp.file, "Boot log (dmesg, with or without timestamps)")->required();
  dmesg_cmd->add_option("-o,--output", imp.out, "Scenario file to write (default: stdout)");
  dmesg_cmd->add_option("--config", imp.config, "The kernel's .config, for the symbols the log cannot show");
  dmesg_cmd->add_option("--name", imp.name, "The scenario's name (default: the log's file name)");
  dmesg_cmd->add_flag("-v,--verbose", imp.verbose, "Say what was inferred, ignored or left out");
  CLI::App* config_cmd = import_cmd->add_subcommand("config", "Write a config: block from a Kconfig .config");
  config_cmd->add_option("FILE", imp.file, ".config file (e.g. /boot/config-$(uname -r))")->required();
  config_cmd->add_option("-o,--output", imp.out, "File to write (default: stdout)");
  config_cmd->add_flag("-v,--verbose", imp.verbose, "List the symbols pginit ignores");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" that exit 0; real usage errors exit 2.
    const int code = app.exit(e);
    return code == 0 ? EXIT_OK : EXIT_BAD_INPUT;
  }

  try {
    if (*run_cmd) return run_command(run);
    if (*sweep_cmd) return sweep_command(sweep);
    if (*page_cmd) return page_command(page);
    if (*kmem_cmd) return kmem_command(kmem);
    if (*predict_cmd) {
      if (predict_threads_opt->count() > 0) predict.threads = predict_threads;
      return predict_command(predict);
    }
    if (*kcheck_cmd) return kconfig_check_command(kconfig_file, kconfig_kernel);
    if (*mb_cmd) return memblock_command(script, script_verbose);
    if (*dmesg_cmd) return import_dmesg_command(imp);
    if (*config_cmd) return import_config_command(imp);
  } catch (const InputError& e) {
    fmt::print(stderr, "{}\n", e.what());
    return EXIT_BAD_INPUT;
  } catch (const std::exception& e) {
    fmt::print(stderr, "pginit: internal error: {}\n", e.what());
    return 70;  // EX_SOFTWARE
  }
  return EXIT_OK;
}
