// SPDX-License-Identifier: MIT
// sweep_command.cpp - `pginit sweep SCENARIO`.
#include <algorithm>

#include <fmt/format.h>

#include "cli/commands.h"
#include "scenario/host_memory.h"
#include "scenario/input_error.h"
#include "sweep/sweep.h"

namespace pginit {

int sweep_command(const SweepOptions& opt)
{
  const Scenario machine = load_scenario(opt.scenario);
  std::vector<std::string> kernels = opt.kernels;
  if (kernels.empty()) kernels = {"v4.16", "v4.17-rc", "v4.17"};
  for (const std::string& k : kernels)
    if (find_kernel_version(k) == nullptr)
      throw InputError("--kernel", 0, k, fmt::format("unknown kernel version (modelled: {})", kernel_version_names()));
  const std::unique_ptr<Executor> executor = make_executor(opt.threads);
  const std::vector<SweepCase> cases = sweep_cases(kernels, !machine.machine.device_memory.empty());
  // Each case boots its own memmap, as many at once as the executor has
  // workers: in scale mode when that many would not fit the host.
  const unsigned at_once = static_cast<unsigned>(std::min<std::size_t>(executor->concurrency(), cases.size()));
  MemmapMode mode = MemmapMode::fidelity;
  if (std::optional<std::string> why = memmap_host_shortfall(machine, at_once)) {
    mode = MemmapMode::scale;
    fmt::print("pginit: {}: sweeping in scale mode instead (struct pages as runs)\n", *why);
  }
  const std::vector<SweepResult> results = run_sweep(machine, cases, opt.kaslr, *executor, mode);
  for (const std::string& line : describe_sweep(results, opt.kaslr != 0)) fmt::print("{}\n", line);
  return sweep_exit_status(results);
}

}  // namespace pginit
