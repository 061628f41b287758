// SPDX-License-Identifier: MIT
// run_command.cpp - `pginit run SCENARIO`: replay the boot and print its log.
#include <unistd.h>

#include <fmt/format.h>

#include "cli/boot_progress.h"
#include "cli/commands.h"
#include "cli/narrator.h"
#include "kernel/kernel.h"
#include "report/json_report.h"
#include "report/trace_events.h"
#include "report/visual_report.h"
#include "run/boot.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

// How deep --trace and --explain go by default: start_kernel's steps down to
// the deferred phase's.
constexpr unsigned DEFAULT_TRACE_DEPTH = 5;

// -v: memblock as the boot leaves it, memmap and section tables included.
// The kernel prints no dump this late, so this goes after the log, marked.
void print_final_memblock(const Kernel& k)
{
  RecordingPrintk dump;
  memblock copy = k.memblock;
  copy.log = &dump;
  __memblock_dump_all(copy);
  fmt::print("pginit: memblock after paging_init ({} memmap, {} MiB of host memory):\n",
             memory_model_name(k.mm.kind()), k.mm.host_bytes() >> 20);
  for (const std::string& line : dump.lines) fmt::print("{}\n", line);
}

// What the command line asked for, then everything the run wrote.
void print_config_notes(const RunConfig& cfg)
{
  const Scenario& s = cfg.scenario;
  if (!cfg.mode_note.empty()) fmt::print("pginit: {}\n", cfg.mode_note);
  if (s.boot.kaslr_seed)
    fmt::print("pginit: KASLR seed {}: kernel image at {:#x} (one of {} slots)\n", *s.boot.kaslr_seed,
               s.boot.kernel_start, cfg.kaslr_slots);
  // What the version's Kconfig rules did to the config, as oldconfig would have.
  for (const KconfigChange& c : s.config_changes)
    if (c.user_set)
      fmt::print("pginit: kconfig: CONFIG_{}={} is not possible with {}: now {} ({})\n", c.symbol, c.from,
                 s.kernel->name, c.to, c.why);
}

void write_outputs(const RunOptions& opt, const RunResult& r)
{
  std::string why;
  if (!opt.json.empty() && !write_json_report(r, opt.json, &why)) throw InputError(opt.json, 0, "--json", why);
  if (!opt.report.empty() && !write_html_report(r, opt.report, &why)) throw InputError(opt.report, 0, "--report", why);
  if (!opt.svg.empty() && !write_svgs(r, opt.svg, &why)) throw InputError(opt.svg, 0, "--svg", why);
  if (!opt.trace_out.empty() && !write_trace_events(r, opt.trace_out, &why))
    throw InputError(opt.trace_out, 0, "--trace-out", why);
}

}  // namespace

int run_command(const RunOptions& opt)
{
  Overrides o;
  o.kernel = opt.kernel;
  o.policy = opt.policy;
  o.sets = opt.sets;
  o.kaslr_seed = opt.kaslr_seed;
  o.mode = parse_memmap_mode(opt.mode);
  RunConfig cfg = resolve(load_scenario(opt.scenario), o);
  cfg.memblock_debug = opt.verbose;
  cfg.threads = opt.threads;
  cfg.echo_log = !opt.quiet;
  cfg.record_report = !opt.report.empty() || !opt.svg.empty();
  if (!opt.quiet) print_config_notes(cfg);

  // Progress on stderr, for a person at a terminal (never with -q, nor with
  // --step, whose prompts wait on that terminal). What goes to stdout while
  // it is shown (the log, --trace, --explain) makes it step aside.
  Progress progress("run", "struct pages", 0, progress_wanted(opt.quiet || opt.step));
  const EchoWrap aside = [&progress](const std::function<void()>& write) { progress.above(write); };
  cfg.echo_wrap = aside;
  const bool narrate = (opt.trace != 0 || opt.explain || opt.step) && !opt.quiet;
  Narrator narrator(opt.trace != 0 ? opt.trace : DEFAULT_TRACE_DEPTH, opt.trace != 0, opt.explain,
                    opt.step && isatty(STDIN_FILENO) != 0, aside);
  BootProgress counting(progress);
  BootObservers watchers;
  if (narrate) watchers.add(&narrator);
  watchers.add(&counting);
  const RunResult r = boot(cfg, Stage::end, &watchers);
  progress.finish();
  if (r.panic) return r.exit_status();

  if (opt.verbose) print_final_memblock(r.kernel());
  if (!opt.quiet)
    for (const std::string& line : describe_proof(*r.proof)) fmt::print("pginit: {}\n", line);
  write_outputs(opt, r);
  for (const std::string& f : r.proof->failures) fmt::print(stderr, "pginit: internal error: proof failed: {}\n", f);
  for (const std::string& f : r.expectation_failures) fmt::print(stderr, "{}\n", f);
  if (r.exit_status() == EXIT_VIOLATIONS)
    fmt::print(stderr, "{}: {} read(s) of uninitialized struct pages, of pages linked to the wrong zone or CPU "
                       "accesses to device-private memory (see the BUG: lines)\n",
               r.scenario().file, r.unexpected_violations);
  return r.exit_status();
}

}  // namespace pginit
