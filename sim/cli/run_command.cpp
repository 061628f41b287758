// SPDX-License-Identifier: MIT
// run_command.cpp - `pginit run SCENARIO`: replay the boot and print its log.
#include <algorithm>
#include <cstdio>
#include <optional>

#include <tbb/global_control.h>

#include <fmt/format.h>

#include "boot/start_kernel.h"
#include "checker/proof.h"
#include "cli/commands.h"
#include "panic.h"
#include "report/json_report.h"
#include "scenario/host_memory.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

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
  check_memmap_fits_host(s);
  // What the version's Kconfig rules did to the config, as oldconfig would have.
  if (!opt.quiet)
    for (const KconfigChange& c : s.config_changes)
      if (c.user_set)
        fmt::print("pginit: kconfig: CONFIG_{}={} is not possible with {}: now {} ({})\n", c.symbol, c.from,
                   s.kernel->name, c.to, c.why);

  std::optional<tbb::global_control> threads;
  if (opt.threads != 0) threads.emplace(tbb::global_control::max_allowed_parallelism, opt.threads);

  KernelLog log(!opt.quiet);
  BootState st(s, log);
  st.memblock_debug_param = opt.verbose;
  try {
    start_kernel(st);
  } catch (const KernelPanic& p) {
    log.printk(LogLevel::emerg, fmt::format("Kernel panic - not syncing: {}", p.what()));
    return EXIT_KERNEL_PANIC;
  }
  if (opt.verbose) print_final_memblock(st);
  const BootProof proof = prove_boot(st);
  if (!opt.quiet)
    for (const std::string& line : describe_proof(proof)) fmt::print("pginit: {}\n", line);

  if (!opt.json.empty()) {
    std::string why;
    if (!write_json_report(st, proof, opt.json, &why)) throw InputError(opt.json, 0, "--json", why);
  }
  if (!proof.failures.empty()) {
    for (const std::string& f : proof.failures) fmt::print(stderr, "pginit: internal error: proof failed: {}\n", f);
    return EXIT_INTERNAL_ERROR;
  }
  return check_expectations(s, log) == 0 ? EXIT_OK : EXIT_EXPECT_FAILED;
}

}  // namespace pginit
