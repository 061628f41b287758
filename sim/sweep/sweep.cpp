// SPDX-License-Identifier: MIT
#include "sweep/sweep.h"

#include <fmt/format.h>

#include "boot/kaslr.h"
#include "boot/start_kernel.h"
#include "engine/parallel.h"

namespace pginit {

namespace {

Scenario scenario_for(const Scenario& machine, const SweepCase& c)
{
  Scenario s = machine;
  s.kernel = find_kernel_version(c.kernel);
  s.policy.clear();
  s.expect = {};
  auto set = [&](const char* sym, bool on) {
    s.config_requested[sym].assign(1, on ? 'y' : 'n');
    s.config_set.emplace_back(sym);
  };
  set("SPARSEMEM_VMEMMAP", c.vmemmap);
  set("SMP", c.smp);
  set("DEFERRED_STRUCT_PAGE_INIT", c.deferred);
  if (!c.smp) set("NUMA", false);
  s.boot.percpu_alloc = c.percpu;
  resolve_config(s);
  return s;
}

std::uint64_t violations_of_one_boot(const Scenario& s)
{
  KernelLog log(false);
  BootState st(s, log);
  start_kernel(st);
  return st.checker.violations().size();
}

}  // namespace

std::vector<SweepCase> sweep_cases(const std::vector<std::string>& kernels)
{
  std::vector<SweepCase> cases;
  for (const std::string& k : kernels)
    for (bool vmemmap : {false, true})
      for (bool smp : {false, true})
        for (bool deferred : {false, true}) {
          cases.push_back(SweepCase{k, vmemmap, smp, deferred, BootSpec::PercpuAlloc::embed});
          if (smp) cases.push_back(SweepCase{k, vmemmap, smp, deferred, BootSpec::PercpuAlloc::page});
        }
  return cases;
}

std::vector<SweepResult> run_sweep(const Scenario& machine, const std::vector<SweepCase>& cases,
                                   std::uint64_t kaslr_boots)
{
  std::vector<SweepResult> results(cases.size());
  parallel_for_each_index(cases.size(), [&](std::size_t i) {
    SweepResult& r = results[i];
    r.c = cases[i];
    Scenario s = scenario_for(machine, cases[i]);
    r.deferred_allowed = kconfig_enabled(s.config, "DEFERRED_STRUCT_PAGE_INIT");
    const std::uint64_t boots = kaslr_boots == 0 ? 1 : kaslr_boots;
    for (std::uint64_t seed = 1; seed <= boots; seed++) {
      if (kaslr_boots != 0) s.boot.kernel_start = kaslr_pick(s, seed);
      const std::uint64_t v = violations_of_one_boot(s);
      r.boots++;
      r.violations += v;
      if (v != 0) r.boots_with_violations++;
    }
  });
  return results;
}

std::vector<std::string> describe_sweep(const std::vector<SweepResult>& results, bool kaslr)
{
  std::vector<std::string> out;
  out.push_back(fmt::format("{:<9} {:<18} {:<4} {:<7} {:<16} {}", "kernel", "memory model", "SMP", "percpu",
                            "DEFERRED", kaslr ? "boots reading an uninitialized struct page" : "violations"));
  for (const SweepResult& r : results) {
    const std::string percpu = !r.c.smp ? "km" : r.c.percpu == BootSpec::PercpuAlloc::page ? "page" : "embed";
    const std::string deferred = !r.c.deferred ? "n" : r.deferred_allowed ? "y" : "y -> n (Kconfig)";
    const std::string found =
        kaslr ? fmt::format("{:>4} of {} ({:.0f}%)", r.boots_with_violations, r.boots,
                            100.0 * static_cast<double>(r.boots_with_violations) / static_cast<double>(r.boots))
              : fmt::format("{}", r.violations);
    out.push_back(fmt::format("{:<9} {:<18} {:<4} {:<7} {:<16} {}", r.c.kernel,
                              r.c.vmemmap ? "SPARSEMEM_VMEMMAP" : "SPARSEMEM", r.c.smp ? "y" : "n", percpu, deferred,
                              found));
  }
  return out;
}

}  // namespace pginit
