// SPDX-License-Identifier: MIT
#include "cli/cli_app.h"

#include <fmt/format.h>

namespace pginit {

namespace {

// --threads is bounded up front: more workers than this is a typo, not a machine.
constexpr unsigned MAX_THREADS = 1024;

void define_run(Cli& c)
{
  RunOptions& run = c.run;
  CLI::App* cmd = c.app.add_subcommand("run", "Replay a scenario's boot and print its kernel log");
  c.run_cmd = cmd;
  cmd->add_option("SCENARIO", run.scenario, "Scenario file (YAML, see docs/scenarios.md)")->required();
  cmd->add_option("--kernel", run.kernel, "Kernel version to model, overriding the scenario's")
      ->type_name("VERSION");
  cmd->add_option("--kaslr-seed", run.kaslr_seed, "Load the kernel image where KASLR would with this seed")
      ->type_name("SEED");
  cmd->add_option("--policy", run.policy, "Struct page init policy, overriding the kernel version's")
      ->type_name("NAME");
  cmd->add_option("--set", run.sets, "Override a Kconfig symbol: SYMBOL=y|n (or a number)")
      ->type_name("SYMBOL=VALUE");
  cmd->add_option("--threads", run.threads, "Worker threads for parallel phases (default: all)")
      ->type_name("N")
      ->check(CLI::Range(1u, MAX_THREADS));
  cmd->add_option("--trace", run.trace, "Print each boot step as it starts, DEPTH calls deep (default 5)")
      ->type_name("DEPTH")
      ->expected(0, 1)
      ->default_str("5")  // DEFAULT_TRACE_DEPTH
      ->check(CLI::Range(1u, 64u));
  cmd->add_flag("--explain", run.explain, "Say what each boot step does and why (as deep as --trace, default 5)");
  cmd->add_flag("--step", run.step, "Pause after each step of start_kernel (only when stdin is a terminal)");
  cmd->add_option("--report", run.report, "Write a self-contained HTML report (memory map, timeline, violations)")
      ->type_name("FILE.html");
  cmd->add_option("--svg", run.svg, "Write the report's pictures as SVG files into DIR")
      ->type_name("DIR");
  cmd->add_option("--json", run.json, "Write a machine-readable report to FILE")
      ->type_name("FILE");
  cmd->add_option("--mode", run.mode,
                  "fidelity (64 real bytes per struct page) or scale (struct pages as runs, for machines whose "
                  "memmap would not fit this host); default: fidelity when it fits")
      ->type_name("MODE");
  cmd->add_option("--trace-out", run.trace_out,
                  "Write the simulated boot as Chrome/Perfetto trace events to FILE.json (ui.perfetto.dev)")
      ->type_name("FILE.json");
  auto* quiet = cmd->add_flag("-q,--quiet", run.quiet, "Do not print the kernel log (nor progress)");
  cmd->add_flag("-v,--verbose", run.verbose, "Boot with memblock=debug")->excludes(quiet);
}

void define_page(Cli& c)
{
  PageOptions& page = c.page;
  CLI::App* cmd =
      c.app.add_subcommand("page", "Show a pfn's struct page through the boot, as the version's dump_page() prints it");
  c.page_cmd = cmd;
  cmd->add_option("SCENARIO", page.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("PFN", page.pfns, "Page frame numbers (decimal or 0x hex)")->required();
  cmd->add_option("--kernel", page.kernel, "Model this kernel version instead of the scenario's")
      ->type_name("VERSION");
  cmd->add_option("--set", page.sets, "Set a Kconfig symbol, SYMBOL=VALUE (repeatable)")
      ->type_name("SYMBOL=VALUE");
  cmd->add_option("--mode", page.mode, "fidelity or scale (see pginit run --help)")->type_name("MODE");
}

void define_kmem(Cli& c)
{
  KmemOptions& kmem = c.kmem;
  CLI::App* cmd = c.app.add_subcommand(
      "kmem", "The memmap at a milestone as crash's kmem prints it: -p a pfn range's struct pages, -n the sections");
  c.kmem_cmd = cmd;
  cmd->add_option("SCENARIO", kmem.scenario, "Scenario file (YAML)")->required();
  cmd->add_option("-p", kmem.pages, "Struct pages of pfns START[-END] (inclusive): PAGE PHYSICAL MAPPING INDEX CNT FLAGS")
      ->type_name("START[-END]");
  cmd->add_flag("-n", kmem.sections, "The mem_section table: NR SECTION CODED_MEM_MAP MEM_MAP STATE PFN");
  cmd->add_option("--at", kmem.at, "Milestone: early (after setup_arch), mm_init or end (default)")
      ->type_name("MILESTONE");
  cmd->add_option("--kernel", kmem.kernel, "Model this kernel version instead of the scenario's")
      ->type_name("VERSION");
  cmd->add_option("--set", kmem.sets, "Set a Kconfig symbol, SYMBOL=VALUE (repeatable)")
      ->type_name("SYMBOL=VALUE");
}

void define_memblock(Cli& c)
{
  CLI::App* cmd = c.app.add_subcommand("memblock", "Run a memblock script (docs/memblock-scripts.md)");
  c.memblock_cmd = cmd;
  cmd->add_option("SCRIPT", c.script, "Script file, one operation a line")->required();
  cmd->add_flag("-v,--verbose", c.script_verbose, "Print the memblock=debug lines of each operation");
}

void define_sweep(Cli& c)
{
  SweepOptions& sweep = c.sweep;
  CLI::App* cmd = c.app.add_subcommand("sweep", "Boot a machine under every config that decides the per-cpu bug");
  c.sweep_cmd = cmd;
  cmd->add_option("SCENARIO", sweep.scenario, "The machine (its config and kernel are swept)")->required();
  cmd->add_option("--kernel", sweep.kernels, "Kernel versions to sweep (repeatable)")
      ->type_name("VERSION");
  cmd->add_option("--kaslr", sweep.kaslr, "Boot each case at N KASLR load addresses")
      ->type_name("N")->check(CLI::Range(1, 10000));
  cmd->add_option("--threads", sweep.threads, "Cases booted at once (default: all host threads)")
      ->type_name("N")
      ->check(CLI::Range(1u, MAX_THREADS));
}

void define_predict(Cli& c)
{
  PredictOptions& predict = c.predict;
  CLI::App* cmd = c.app.add_subcommand("predict", "Predict deferred-init time per node, thread count and kernel");
  c.predict_cmd = cmd;
  cmd->add_option("SCENARIO", predict.scenario, "The machine, with its machine.perf profile")->required();
  c.predict_threads_opt = cmd->add_option("--threads", c.predict_threads,
                                          "Threads per node to predict for, e.g. 1,2,4 (default: powers of two)")
      ->type_name("LIST");
  cmd->add_option("--kernel", predict.kernels, "Kernel versions to predict (repeatable; default the scenario's)")
      ->type_name("VERSION");
  cmd->add_option("--json", predict.json, "Write the points as JSON to FILE")
      ->type_name("FILE");
  cmd->add_option("--svg", predict.svg, "Write a plot to FILE.svg")
      ->type_name("FILE.svg");
}

void define_kconfig(Cli& c)
{
  CLI::App* cmd = c.app.add_subcommand("kconfig", "Explain a .config under a modelled kernel's Kconfig rules");
  cmd->require_subcommand(1);
  CLI::App* check = cmd->add_subcommand("check", "Memory model, per-cpu allocator, deferred init, and why");
  c.kcheck_cmd = check;
  check->add_option("FILE", c.kconfig_file, ".config file")->required();
  check->add_option("--kernel", c.kconfig_kernel, "Kernel version whose rules apply (default v4.17)")
      ->type_name("VERSION");
}

void define_import(Cli& c)
{
  ImportOptions& imp = c.imp;
  CLI::App* cmd = c.app.add_subcommand("import", "Turn a real machine's files into pginit input");
  cmd->require_subcommand(1);
  CLI::App* dmesg = cmd->add_subcommand("dmesg", "Write a scenario from a kernel boot log");
  c.dmesg_cmd = dmesg;
  dmesg->add_option("FILE", imp.file, "Boot log (dmesg, with or without timestamps)")->required();
  dmesg->add_option("-o,--output", imp.out, "Scenario file to write (default: stdout)")
      ->type_name("FILE");
  dmesg->add_option("--config", imp.config, "The kernel's .config, for the symbols the log cannot show")
      ->type_name("DOTCONFIG");
  dmesg->add_option("--name", imp.name, "The scenario's name (default: the log's file name)")
      ->type_name("NAME");
  dmesg->add_flag("-v,--verbose", imp.verbose, "Say what was inferred, ignored or left out");
  CLI::App* config = cmd->add_subcommand("config", "Write a config: block from a Kconfig .config");
  c.config_cmd = config;
  config->add_option("FILE", imp.file, ".config file (e.g. /boot/config-$(uname -r))")->required();
  config->add_option("-o,--output", imp.out, "File to write (default: stdout)")
      ->type_name("FILE");
  config->add_flag("-v,--verbose", imp.verbose, "List the symbols pginit ignores");
}

}  // namespace

std::unique_ptr<Cli> make_cli(const std::string& version)
{
  auto c = std::make_unique<Cli>();
  c->app.set_version_flag("--version", version);
  c->app.require_subcommand(1);
  // Shown after --help's options, and the man page's EXIT STATUS and ENVIRONMENT sections.
  c->app.footer(fmt::format(
      "Exit status: {} success; {} the run did not show what the scenario's expect: asks for, or memblock refused a "
      "script operation; {} bad input (one FILE:LINE: FIELD: message line on stderr); {} the run read uninitialized "
      "struct pages its expect.violations does not list; {} the simulated kernel panicked; {} pginit broke its own "
      "invariants.\n"
      "Environment: PGINIT_PROGRESS_AFTER_MS: how many milliseconds run, sweep and predict work before they show "
      "progress on stderr, when stderr is a terminal (default 1000; never with run -q).",
      EXIT_OK, EXIT_EXPECT_FAILED, EXIT_BAD_INPUT, EXIT_VIOLATIONS, EXIT_KERNEL_PANIC, EXIT_INTERNAL_ERROR));
  define_run(*c);
  define_page(*c);
  define_kmem(*c);
  define_memblock(*c);
  define_sweep(*c);
  define_predict(*c);
  define_kconfig(*c);
  define_import(*c);
  return c;
}

int dispatch(Cli& c)
{
  if (*c.run_cmd) return run_command(c.run);
  if (*c.sweep_cmd) return sweep_command(c.sweep);
  if (*c.page_cmd) return page_command(c.page);
  if (*c.kmem_cmd) return kmem_command(c.kmem);
  if (*c.predict_cmd) {
    if (c.predict_threads_opt->count() > 0) c.predict.threads = c.predict_threads;
    return predict_command(c.predict);
  }
  if (*c.kcheck_cmd) return kconfig_check_command(c.kconfig_file, c.kconfig_kernel);
  if (*c.memblock_cmd) return memblock_command(c.script, c.script_verbose);
  if (*c.dmesg_cmd) return import_dmesg_command(c.imp);
  if (*c.config_cmd) return import_config_command(c.imp);
  return EXIT_OK;
}

}  // namespace pginit
