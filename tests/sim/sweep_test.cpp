// SPDX-License-Identifier: MIT
// The sweep's finding, on the 0day robot's 512 MiB guest with KASLR: every
// configuration that reads an uninitialized struct page through the UP
// per-cpu path is one v4.17's Kconfig rules forbid, and v4.17-rc allowed
// some; the percpu_alloc=page cousin is not covered by the fix.
#include <gtest/gtest.h>

#include "run/exit_status.h"
#include "scenario/scenario.h"
#include "sweep/sweep.h"

namespace pginit {
namespace {

// 36 configurations x 8 load addresses, run once for all the tests below.
const std::vector<SweepResult>& sweep_the_0day_guest()
{
  static const std::vector<SweepResult> results = [] {
    const Scenario machine = load_scenario(std::string(PGINIT_SOURCE_DIR) + "/scenarios/qemu-512m-v4.17-rc1.yaml");
    return run_sweep(machine, sweep_cases({"v4.16", "v4.17-rc", "v4.17"}), 8, SerialExecutor());
  }();
  return results;
}

const SweepResult* find(const std::vector<SweepResult>& rs, const SweepCase& c)
{
  for (const SweepResult& r : rs)
    if (r.c.kernel == c.kernel && r.c.vmemmap == c.vmemmap && r.c.smp == c.smp && r.c.deferred == c.deferred &&
        r.c.percpu == c.percpu)
      return &r;
  return nullptr;
}

TEST(Sweep, TheFixForbidsEveryConfigurationThatHitsTheBug)
{
  const std::vector<SweepResult>& results = sweep_the_0day_guest();
  bool rc_allows_one = false;
  for (const SweepResult& r : results) {
    if (r.c.smp && r.c.percpu == BootSpec::PercpuAlloc::page) continue;  // the cousin, below
    if (r.boots_with_violations == 0) continue;
    // Hit the bug: the same configuration under v4.17's rules loses DEFERRED_STRUCT_PAGE_INIT.
    SweepCase fixed = r.c;
    fixed.kernel = "v4.17";
    const SweepResult* v417 = find(results, fixed);
    ASSERT_NE(v417, nullptr);
    EXPECT_TRUE(r.c.deferred);
    EXPECT_FALSE(v417->deferred_allowed) << r.c.kernel << (r.c.vmemmap ? " VMEMMAP" : " SPARSEMEM");
    EXPECT_EQ(v417->boots_with_violations, 0u);
    rc_allows_one |= r.c.kernel == "v4.17-rc" && r.deferred_allowed;
  }
  EXPECT_TRUE(rc_allows_one) << "v4.17-rc should let some configuration hit the bug";
}

TEST(Sweep, OnlyClassicSparseReadsTheStructPage)
{
  const std::vector<SweepResult>& results = sweep_the_0day_guest();
  const SweepResult* classic = find(results, {"v4.17-rc", false, false, true, BootSpec::PercpuAlloc::embed, std::nullopt});
  const SweepResult* vmemmap = find(results, {"v4.17-rc", true, false, true, BootSpec::PercpuAlloc::embed, std::nullopt});
  ASSERT_TRUE(classic != nullptr && vmemmap != nullptr);
  EXPECT_GT(classic->boots_with_violations, 0u);
  EXPECT_EQ(vmemmap->boots_with_violations, 0u);
  // v4.16 initializes 2 GiB up front: all of this guest, whatever the load address.
  const SweepResult* v416 = find(results, {"v4.16", false, false, true, BootSpec::PercpuAlloc::embed, std::nullopt});
  ASSERT_NE(v416, nullptr);
  EXPECT_TRUE(v416->deferred_allowed);
  EXPECT_EQ(v416->boots_with_violations, 0u);
}

// SMP with percpu_alloc=page reads struct pages of memblock-allocated
// per-cpu pages before mm_init: v4.17's rule (!NEED_PER_CPU_KM) does not see it.
TEST(Sweep, ThePageFirstChunkCousinSurvivesTheFix)
{
  const std::vector<SweepResult>& results = sweep_the_0day_guest();
  const SweepResult* cousin = find(results, {"v4.17", false, true, true, BootSpec::PercpuAlloc::page, std::nullopt});
  ASSERT_NE(cousin, nullptr);
  EXPECT_TRUE(cousin->deferred_allowed);
  EXPECT_EQ(cousin->boots_with_violations, cousin->boots);
}

// 1024 CPUs on 128 MiB: the embed first chunk (1024 x 256 KiB) cannot be
// allocated, so every SMP configuration panics in setup_per_cpu_areas().
// The sweep says so in the row and exits as `pginit run` would (4), never
// with an internal error.
TEST(Sweep, APanickingConfigurationIsARow)
{
  const Scenario machine = load_scenario(std::string(PGINIT_SOURCE_DIR) + "/tests/data/panics/many-cpus-128m.yaml");
  const std::vector<SweepResult> results = run_sweep(machine, sweep_cases({"v4.17"}), 0, SerialExecutor());
  bool smp_panicked = false;
  for (const SweepResult& r : results) {
    if (!r.c.smp) {
      EXPECT_EQ(r.boots_panicked, 0u);
      continue;
    }
    EXPECT_EQ(r.boots_panicked, 1u);
    EXPECT_EQ(r.exit_status, EXIT_KERNEL_PANIC);
    smp_panicked = true;
  }
  EXPECT_TRUE(smp_panicked);
  EXPECT_EQ(sweep_exit_status(results), EXIT_KERNEL_PANIC);
  bool row = false;
  for (const std::string& line : describe_sweep(results, false))
    row |= line.find("panic: Failed to") != std::string::npos;
  EXPECT_TRUE(row);
}

// Device memory is a dimension when the machine has some: with it on, only
// the configurations that can have ZONE_DEVICE (SPARSEMEM_VMEMMAP) add the
// GPU's device-private memory, and only there does the kmap() of one of its
// pages fault; v4.9 has no device-private memory at all.
TEST(Sweep, DeviceMemoryIsADimension)
{
  const Scenario machine = parse_scenario(
      "name: gpu\nkernel: v4.17\nconfig: { NUMA: n }\nmachine:\n  cpus: 2\n  e820:\n"
      "    - { mem: 0x0-0x9fbff, type: usable }\n    - { mem: 0x100000-0x3fffffff, type: usable }\n"
      "  device_memory:\n    - { type: device_private, start: 0x100000000, size: 128M }\n"
      "boot:\n  page_accesses: [ { pfn: 0x100010, via: kmap } ]\n",
      "gpu.yaml");
  const std::vector<SweepResult> results = run_sweep(machine, sweep_cases({"v4.9", "v4.17"}, true), 0, SerialExecutor());
  for (const SweepResult& r : results) {
    ASSERT_TRUE(r.c.device_memory.has_value());
    // Only SMP with the embed first chunk: the UP and page-chunk cases have the seed bug's reads too.
    if (!r.c.smp || r.c.percpu != BootSpec::PercpuAlloc::embed) continue;
    const bool can_add = *r.c.device_memory && r.c.vmemmap;
    if (r.c.kernel == "v4.9") {
      EXPECT_EQ(r.not_modelled.empty(), !*r.c.device_memory) << r.not_modelled;
      EXPECT_EQ(r.violations, 0u);
      continue;
    }
    EXPECT_EQ(r.violations, can_add ? 1u : 0u) << r.c.vmemmap << " " << *r.c.device_memory;
  }
  bool column = false;
  for (const std::string& line : describe_sweep(results, false)) column |= line.find("devmem") != std::string::npos;
  EXPECT_TRUE(column);
}

}  // namespace
}  // namespace pginit
