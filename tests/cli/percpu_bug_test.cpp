// SPDX-License-Identifier: MIT
// The seed bug end to end: the scenario that reproduces it prints the
// violation with its call path and the wrong physical address (and exits 0
// because it expects it); the fixed variants run clean.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "run_pginit.h"

namespace pginit::test {
namespace {

std::string scenario(const std::string& name) { return fmt::format("'{}/scenarios/{}.yaml'", PGINIT_SOURCE_DIR, name); }

TEST(PerCpuBug, ReproducedWithTheFullPath)
{
  const Ran r = run_pginit("run " + scenario("percpu-km-deferred-v4.17-rc"));
  ASSERT_EQ(r.status, 0) << r.err;
  const char* expected_lines[] = {
      "] BUG: read of uninitialized struct page (pfn 0x1040d, section 2, not initialized until phase mm_init)\n",
      "page->flags = 0xffffffffffffffff (poison) -> page_to_section() = 0x7ffff -> page_to_pfn() faults",
      "per_cpu_ptr_to_phys(&per_cpu(gdt_page, 0)) of 0xffffffff8140d000 (pa 0x1040d000) never returns",
      "]   start_kernel()\n", "]    trap_init()\n", "]     setup_cpu_entry_areas()\n",
      "]      setup_cpu_entry_area()\n", "]       get_cpu_gdt_paddr()\n", "]        per_cpu_ptr_to_phys()\n",
      "]         page_to_phys()\n", "]          page_to_section()\n",
  };
  for (const char* line : expected_lines) EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
}

TEST(PerCpuBug, TheFixAndVmemmapAndSmpRunClean)
{
  for (const char* name : {"percpu-km-deferred-v4.17", "percpu-km-vmemmap-v4.17-rc", "smp-embed-deferred-v4.17",
                           "percpu-km-deferred-v4.16"}) {
    const Ran r = run_pginit("run " + scenario(name));
    EXPECT_EQ(r.status, 0) << name << ": " << r.err;
    EXPECT_EQ(r.out.find("BUG:"), std::string::npos) << name;
  }
  const Ran fixed = run_pginit("run " + scenario("percpu-km-deferred-v4.17"));
  EXPECT_NE(fixed.out.find("pginit: kconfig: CONFIG_DEFERRED_STRUCT_PAGE_INIT=y is not possible with v4.17: now n"),
            std::string::npos)
      << fixed.out;
}

// The fault the kernel takes there: the 0day kernel had KASAN, whose
// instrumented load makes the NULL-based access a #GP (early exception
// 0x0d, as in the report); without KASAN it is a #PF (0x0e).
TEST(PerCpuBug, TheExceptionDependsOnKasan)
{
  Ran r = run_pginit("run " + scenario("percpu-km-deferred-v4.17-rc"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("#GP (\"PANIC: early exception 0x0d\", as in the 0day report)"), std::string::npos) << r.out;
  r = run_pginit("run --set KASAN=n " + scenario("percpu-km-deferred-v4.17-rc"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("#PF on the NULL section root (\"PANIC: early exception 0x0e\")"), std::string::npos) << r.out;
}

// Without its expect: block, the same boot is a failure (exit 3).
TEST(PerCpuBug, UnexpectedViolationsExitThree)
{
  const Ran r = run_pginit(fmt::format("run -q --kaslr-seed 1 '{}/scenarios/qemu-512m-v4.17-rc1.yaml'", PGINIT_SOURCE_DIR));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("read(s) of uninitialized struct pages"), std::string::npos) << r.err;
}

TEST(Kaslr, ASeedNamesOneLoadAddress)
{
  const std::string path = fmt::format("'{}/scenarios/qemu-512m-v4.17-rc1.yaml'", PGINIT_SOURCE_DIR);
  const Ran a = run_pginit("run --kaslr-seed 4 " + path);
  const Ran b = run_pginit("run --kaslr-seed 4 " + path);
  const Ran c = run_pginit("run --kaslr-seed 5 " + path);
  const std::string line = "pginit: KASLR seed 4: kernel image at ";
  ASSERT_NE(a.out.find(line), std::string::npos) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_NE(a.out.find("(one of 230 slots)"), std::string::npos);
}

TEST(Trace, PrintsEachStepAsItStarts)
{
  const Ran r = run_pginit("run --trace=3 " + scenario("percpu-km-deferred-v4.17"));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::size_t setup = r.out.find("pginit: trace:  0.000000   setup_arch()\n");
  const std::size_t traps = r.out.find("  trap_init()\n");
  const std::size_t mm = r.out.find("  mm_init()\n");
  ASSERT_NE(setup, std::string::npos) << r.out;
  EXPECT_LT(setup, traps);
  EXPECT_LT(traps, mm);  // v4.17 runs trap_init() before mm_init(): the bug's window
}

// Every step --trace prints at its default depth comes with its explanation,
// and --step never waits when stdin is not a terminal.
TEST(Explain, CoversEveryTracedStep)
{
  const Ran r = run_pginit("run --trace --explain --step " + scenario("percpu-km-deferred-v4.17-rc"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::size_t traced = 0;
  std::size_t explained = 0;
  for (std::size_t at = 0; (at = r.out.find("pginit: trace: ", at)) != std::string::npos; at++) traced++;
  for (std::size_t at = 0; (at = r.out.find("pginit: explain: ", at)) != std::string::npos; at++) explained++;
  EXPECT_GT(traced, 30u);
  EXPECT_EQ(traced, explained);
  EXPECT_EQ(r.out.find("(no explanation yet)"), std::string::npos);
  EXPECT_EQ(r.out.find("pginit: step:"), std::string::npos);
}

TEST(KconfigCheck, ExplainsAConfig)
{
  const std::string path = write_temp_file("up.config", "CONFIG_SMP=n\n# CONFIG_SPARSEMEM_VMEMMAP is not set\n"
                                                        "CONFIG_DEFERRED_STRUCT_PAGE_INIT=y\n");
  Ran r = run_pginit(fmt::format("kconfig check '{}' --kernel v4.17-rc", path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("deferred struct page init: on"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("verdict: exposed to the per_cpu_ptr_to_phys bug"), std::string::npos) << r.out;
  r = run_pginit(fmt::format("kconfig check '{}' --kernel v4.17", path));
  EXPECT_NE(r.out.find("CONFIG_DEFERRED_STRUCT_PAGE_INIT=y -> n: mm/Kconfig (v4.17, ab1e8d8960b6)"), std::string::npos)
      << r.out;
  r = run_pginit(fmt::format("kconfig check '{}' --kernel v9", path));
  EXPECT_EQ(r.status, 2);
}

// The device-memory symbols of a GPU server's .config, explained per version:
// DEVICE_PUBLIC is dropped after v5.2, and v4.17 derives ARCH_HAS_HMM and HMM.
TEST(KconfigCheck, ExplainsDeviceMemory)
{
  const std::string path = write_temp_file("gpu.config", "CONFIG_ZONE_DEVICE=y\nCONFIG_DEVICE_PRIVATE=y\n"
                                                         "CONFIG_DEVICE_PUBLIC=y\nCONFIG_HMM_MIRROR=y\n");
  Ran r = run_pginit(fmt::format("kconfig check '{}' --kernel v6.1", path));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("CONFIG_DEVICE_PUBLIC=y -> n: mm/Kconfig: DEVICE_PUBLIC is gone by v5.8"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("device memory: ZONE_DEVICE: pmem gets struct pages (memremap_pages); DEVICE_PRIVATE"),
            std::string::npos)
      << r.out;
  r = run_pginit(fmt::format("kconfig check '{}' --kernel v4.17", path));
  EXPECT_NE(r.out.find("CONFIG_ARCH_HAS_HMM=n -> y: mm/Kconfig (v4.14 - v5.2)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("DEVICE_PUBLIC: CPU-coherent device memory"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pginit::test
