// SPDX-License-Identifier: MIT
// run_command.cpp - `pginit run SCENARIO`: replay the boot and print its log.
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "boot/setup_arch.h"
#include "cli/commands.h"
#include "report/json_report.h"
#include "scenario/input_error.h"

namespace pginit {

namespace {

// The expect: block. Returns the number of unmet expectations (each reported).
int check_expectations(const Scenario& s, const KernelLog& log)
{
  int failed = 0;
  for (std::size_t i = 0; i < s.expect.log.size(); i++) {
    const std::string& want = s.expect.log[i];
    const bool seen = std::any_of(log.lines().begin(), log.lines().end(),
                                  [&](const LogLine& l) { return l.text == want; });
    if (!seen) {
      fmt::print(stderr, "{}: expect.log[{}]: not in the log: {}\n", s.file, i, want);
      failed++;
    }
  }
  return failed;
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
  for (const std::string& a : opt.sets) apply_config_override(s, a);

  KernelLog log(!opt.quiet);
  BootState st(s, log);
  st.memblock_debug_param = opt.verbose;
  {
    KernelFrame frame(st.stack, "start_kernel");
    setup_arch(st);
  }

  if (!opt.json.empty()) {
    std::string why;
    if (!write_json_report(st, opt.json, &why)) throw InputError(opt.json, 0, "--json", why);
  }
  return check_expectations(s, log) == 0 ? EXIT_OK : EXIT_EXPECT_FAILED;
}

}  // namespace pginit
