// SPDX-License-Identifier: MIT
#include "sweep/sweep.h"

#include <fmt/format.h>

#include "run/boot.h"
#include "scenario/input_error.h"
#include "run/exit_status.h"

namespace pginit {

namespace {

Overrides overrides_for(const SweepCase& c)
{
  Overrides o;
  o.kernel = std::string(c.kernel);
  o.sets = {fmt::format("SPARSEMEM_VMEMMAP={}", c.vmemmap ? 'y' : 'n'), fmt::format("SMP={}", c.smp ? 'y' : 'n'),
            fmt::format("DEFERRED_STRUCT_PAGE_INIT={}", c.deferred ? 'y' : 'n')};
  if (!c.smp) o.sets.emplace_back("NUMA=n");
  if (c.device_memory) {
    if (*c.device_memory) o.sets.insert(o.sets.end(), {"ZONE_DEVICE=y", "DEVICE_PRIVATE=y", "DEVICE_PUBLIC=y"});
    else o.drop_device_memory = true;
  }
  o.percpu_alloc = c.percpu;
  o.drop_expectations = true;  // the sweep judges configurations, not the scenario's expect:
  o.check_host_memory = false;  // checked once for the machine, before the sweep
  return o;
}

// How bad an exit status is, for the sweep's own: internal error, panic,
// violations, unmet expectations, success.
int severity(int status)
{
  switch (status) {
    case EXIT_INTERNAL_ERROR: return 4;
    case EXIT_KERNEL_PANIC: return 3;
    case EXIT_VIOLATIONS: return 2;
    case EXIT_EXPECT_FAILED: return 1;
    default: return 0;
  }
}

int worse(int a, int b) { return severity(b) > severity(a) ? b : a; }

}  // namespace

std::vector<SweepCase> sweep_cases(const std::vector<std::string>& kernels, bool device_memory)
{
  std::vector<std::optional<bool>> devices{std::nullopt};
  if (device_memory) devices = {false, true};
  std::vector<SweepCase> cases;
  for (const std::string& k : kernels)
    for (bool vmemmap : {false, true})
      for (bool smp : {false, true})
        for (bool deferred : {false, true})
          for (const std::optional<bool>& dev : devices) {
            cases.push_back(SweepCase{k, vmemmap, smp, deferred, BootSpec::PercpuAlloc::embed, dev});
            if (smp) cases.push_back(SweepCase{k, vmemmap, smp, deferred, BootSpec::PercpuAlloc::page, dev});
          }
  return cases;
}

std::vector<SweepResult> run_sweep(const Scenario& machine, const std::vector<SweepCase>& cases,
                                   std::uint64_t kaslr_boots, const Executor& executor, MemmapMode mode)
{
  std::vector<SweepResult> results(cases.size());
  executor.for_each_index(cases.size(), [&](std::size_t i) {
    SweepResult& r = results[i];
    r.c = cases[i];
    Overrides o = overrides_for(cases[i]);
    o.mode = mode;
    const std::uint64_t boots = kaslr_boots == 0 ? 1 : kaslr_boots;
    for (std::uint64_t seed = 1; seed <= boots; seed++) {
      if (kaslr_boots != 0) o.kaslr_seed = seed;
      std::optional<RunConfig> resolved;
      try {
        resolved = resolve(machine, o);
      } catch (const InputError& e) {  // the machine's device memory has a type this version lacks
        r.not_modelled = e.what();
        return;
      }
      RunConfig& cfg = *resolved;
      cfg.threads = 1;  // the cases are the parallel work
      r.deferred_allowed = kconfig_enabled(cfg.scenario.config, "DEFERRED_STRUCT_PAGE_INIT");
      const RunResult b = boot(cfg);
      r.boots++;
      r.exit_status = worse(r.exit_status, b.exit_status());
      if (b.panic) {
        r.boots_panicked++;
        if (r.panic.empty()) r.panic = *b.panic;
        continue;
      }
      r.violations += b.violations().size();
      if (!b.violations().empty()) r.boots_with_violations++;
    }
  });
  return results;
}

int sweep_exit_status(const std::vector<SweepResult>& results)
{
  int status = EXIT_OK;
  for (const SweepResult& r : results) status = worse(status, r.exit_status);
  return status;
}

std::vector<std::string> describe_sweep(const std::vector<SweepResult>& results, bool kaslr)
{
  std::vector<std::string> out;
  const bool devices = !results.empty() && results.front().c.device_memory.has_value();
  const auto device_column = [&](const SweepCase& c) {
    return devices ? fmt::format("{:<7} ", !c.device_memory ? "" : *c.device_memory ? "on" : "off") : std::string();
  };
  out.push_back(fmt::format("{:<9} {:<18} {:<4} {:<7} {:<16} {}{}", "kernel", "memory model", "SMP", "percpu",
                            "DEFERRED", devices ? "devmem  " : "",
                            kaslr ? "boots reading an uninitialized struct page" : "violations"));
  for (const SweepResult& r : results) {
    const std::string percpu = !r.c.smp ? "km" : r.c.percpu == BootSpec::PercpuAlloc::page ? "page" : "embed";
    const std::string deferred = !r.c.deferred ? "n" : r.deferred_allowed ? "y" : "y -> n (Kconfig)";
    std::string found =
        kaslr ? fmt::format("{:>4} of {} ({:.0f}%)", r.boots_with_violations, r.boots,
                            100.0 * static_cast<double>(r.boots_with_violations) / static_cast<double>(r.boots))
              : fmt::format("{}", r.violations);
    if (r.boots_panicked == r.boots) found = "panic: " + r.panic;
    else if (r.boots_panicked != 0) found += fmt::format("; {} of {} panic: {}", r.boots_panicked, r.boots, r.panic);
    if (r.exit_status == EXIT_INTERNAL_ERROR) found += " (proof FAILED: internal error)";
    if (!r.not_modelled.empty()) found = "not bootable: " + r.not_modelled;
    out.push_back(fmt::format("{:<9} {:<18} {:<4} {:<7} {:<16} {}{}", r.c.kernel,
                              r.c.vmemmap ? "SPARSEMEM_VMEMMAP" : "SPARSEMEM", r.c.smp ? "y" : "n", percpu, deferred,
                              device_column(r.c), found));
  }
  return out;
}

}  // namespace pginit
