// SPDX-License-Identifier: MIT
// run_command.cpp - `pginit run SCENARIO`: replay the boot and print its log.
#include <algorithm>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <optional>

#include <fmt/format.h>

#include "boot/kaslr.h"
#include "boot/start_kernel.h"
#include "checker/proof.h"
#include "explain/explanations.h"
#include "cli/commands.h"
#include "panic.h"
#include "report/json_report.h"
#include "report/visual_report.h"
#include "scenario/host_memory.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

// How deep --trace and --explain go by default: start_kernel's steps down to
// the deferred phase's.
constexpr unsigned DEFAULT_TRACE_DEPTH = 5;

// The expect: block: each line must appear, in the given order (a line
// expected twice must be logged twice). Returns the number of unmet
// expectations, each reported.
int check_expectations(const Scenario& s, const KernelLog& log)
{
  int failed = 0;
  const std::vector<LogLine>& lines = log.lines();
  auto next = lines.begin();
  for (std::size_t i = 0; i < s.expect.log.size(); i++) {
    const std::string& want = s.expect.log[i];
    auto is_want = [&](const LogLine& l) { return l.text == want; };
    auto found = std::find_if(next, lines.end(), is_want);
    if (found != lines.end()) {
      next = found + 1;
      continue;
    }
    const bool earlier = std::any_of(lines.begin(), next, is_want);
    fmt::print(stderr, "{}: expect.log[{}]: {}: {}\n", s.file, i,
               earlier ? "logged, but before the lines expected ahead of it" : "not in the log", want);
    failed++;
  }
  return failed;
}

// The checker's findings, into the log (stamped when they happened) with the
// phase that initialized each page in the end, and matched against
// expect.violations (each a phrase a report must contain). Returns the
// number of violations nobody expected, and of expectations no violation met.
struct ViolationCount {
  int unexpected = 0;
  int unmet = 0;
};
ViolationCount report_violations(BootState& st)
{
  const std::uint64_t now = st.clock_ns;
  const auto& expected = st.scenario.expect.violations;
  std::vector<bool> met(expected.size(), false);
  ViolationCount count;
  for (const PageReadViolation& v : st.checker.violations()) {
    const std::vector<std::string> lines = v.report(initialized_by(st.mm, v.pfn));
    st.log.set_time_ns(v.time_ns);
    std::string text;
    for (const std::string& l : lines) {
      st.log.printk(LogLevel::err, l);
      text += l + "\n";
    }
    bool matched = false;
    for (std::size_t i = 0; i < expected.size(); i++)
      if (text.find(expected[i]) != std::string::npos) matched = met[i] = true;
    if (!matched) count.unexpected++;
  }
  st.log.set_time_ns(now);
  for (const std::string& n : st.notes) st.log.printk(LogLevel::notice, "pginit: " + n);
  for (std::size_t i = 0; i < expected.size(); i++) {
    if (met[i]) continue;
    fmt::print(stderr, "{}: expect.violations[{}]: no violation matches: {}\n", st.scenario.file, i, expected[i]);
    count.unmet++;
  }
  return count;
}

// -v: memblock as the boot leaves it, memmap and section tables included.
// The kernel prints no dump this late, so this goes after the log, marked.
void print_final_memblock(const BootState& st)
{
  RecordingPrintk dump;
  memblock copy = st.memblock;
  copy.log = &dump;
  __memblock_dump_all(copy);
  fmt::print("pginit: memblock after paging_init ({} memmap, {} MiB of host memory):\n",
             memory_model_name(st.mm.kind()), st.mm.host_bytes() >> 20);
  for (const std::string& line : dump.lines) fmt::print("{}\n", line);
}

}  // namespace

int run_command(const RunOptions& opt)
{
  Scenario s = load_scenario(opt.scenario);
  if (!opt.kernel.empty()) {
    s.kernel = find_kernel_version(opt.kernel);
    if (s.kernel == nullptr)
      throw InputError("--kernel", 0, opt.kernel,
                       fmt::format("unknown kernel version (modelled: {})", kernel_version_names()));
  }
  if (!opt.policy.empty()) {
    if (find_init_policy(opt.policy) == nullptr)
      throw InputError("--policy", 0, opt.policy, fmt::format("unknown policy (one of: {})", init_policy_names()));
    s.policy = opt.policy;
  }
  for (const std::string& a : opt.sets) apply_config_override(s, a);
  resolve_config(s);  // again: --kernel may bring other rules
  if (opt.kaslr_seed) s.boot.kaslr_seed = opt.kaslr_seed;
  if (s.boot.kaslr_seed) {
    s.boot.kernel_start = kaslr_pick(s, *s.boot.kaslr_seed);
    if (!opt.quiet)
      fmt::print("pginit: KASLR seed {}: kernel image at {:#x} (one of {} slots)\n", *s.boot.kaslr_seed,
                 s.boot.kernel_start, kaslr_slots(s).size());
  }
  check_memmap_fits_host(s);
  // What the version's Kconfig rules did to the config, as oldconfig would have.
  if (!opt.quiet)
    for (const KconfigChange& c : s.config_changes)
      if (c.user_set)
        fmt::print("pginit: kconfig: CONFIG_{}={} is not possible with {}: now {} ({})\n", c.symbol, c.from,
                   s.kernel->name, c.to, c.why);

  KernelLog log(!opt.quiet);
  BootState st(s, log);
  st.memblock_debug_param = opt.verbose;
  st.record_report = !opt.report.empty() || !opt.svg.empty();
  const bool narrate = (opt.trace != 0 || opt.explain || opt.step) && !opt.quiet;
  if (narrate || st.record_report) {
    const unsigned depth = opt.trace != 0 ? opt.trace : DEFAULT_TRACE_DEPTH;
    const bool pause = opt.step && isatty(STDIN_FILENO) != 0;
    st.stack.on_push = [&st, &opt, depth, pause, narrate](std::size_t d, const char* fn) {
      if (st.record_report && d == 2) st.timeline.push_back({fn, st.clock_ns});
      if (d > depth || !narrate) return;
      if (pause && d <= 2 && d > 1) {
        fmt::print("pginit: step: next is {}(); press Enter", fn);
        std::fflush(stdout);
        std::string ignored;
        std::getline(std::cin, ignored);
      }
      const double t = static_cast<double>(st.clock_ns) / 1e9;
      if (opt.trace != 0) fmt::print("pginit: trace: {:>9.6f} {:>{}}{}()\n", t, "", 2 * (d - 1), fn);
      if (opt.explain) {
        const Explanation* e = find_explanation(fn);
        fmt::print("pginit: explain: {:>{}}{}() [{}]: {}\n", "", 2 * (d - 1), fn, e != nullptr ? e->file : "?",
                   e != nullptr ? e->text : "(no explanation yet)");
      }
    };
  }
  try {
    start_kernel(st);
  } catch (const KernelPanic& p) {
    log.printk(LogLevel::emerg, fmt::format("Kernel panic - not syncing: {}", p.what()));
    return EXIT_KERNEL_PANIC;
  }
  const ViolationCount violations = report_violations(st);
  if (opt.verbose) print_final_memblock(st);
  const BootProof proof = prove_boot(st);
  if (!opt.quiet)
    for (const std::string& line : describe_proof(proof)) fmt::print("pginit: {}\n", line);

  if (!opt.json.empty()) {
    std::string why;
    if (!write_json_report(st, proof, opt.json, &why)) throw InputError(opt.json, 0, "--json", why);
  }
  if (!opt.report.empty()) {
    std::string why;
    if (!write_html_report(st, proof, opt.report, &why)) throw InputError(opt.report, 0, "--report", why);
  }
  if (!opt.svg.empty()) {
    std::string why;
    if (!write_svgs(st, opt.svg, &why)) throw InputError(opt.svg, 0, "--svg", why);
  }
  if (!proof.failures.empty()) {
    for (const std::string& f : proof.failures) fmt::print(stderr, "pginit: internal error: proof failed: {}\n", f);
    return EXIT_INTERNAL_ERROR;
  }
  if (check_expectations(s, log) != 0 || violations.unmet != 0) return EXIT_EXPECT_FAILED;
  if (violations.unexpected != 0) {
    fmt::print(stderr, "{}: {} read(s) of uninitialized struct pages (see the BUG: lines)\n", s.file,
               violations.unexpected);
    return EXIT_VIOLATIONS;
  }
  return EXIT_OK;
}

}  // namespace pginit
