// SPDX-License-Identifier: MIT
// The four init phases on small machines whose counts are worked out by hand,
// for each policy.
//
// The machine: one node, 1 GiB, a QEMU-like e820. Zones: DMA [1, 0x1000),
// DMA32 [0x1000, 0x40000), the node's highest zone. Memory: pfns 1-0x9e and
// 0x100-0x3ffff = 262046 pages.
//  - early, one section up front: DMA whole (4095 pfns, of which 97 are the
//    0x9f-0xff hole), DMA32 up to the first section boundary after 32768
//    pages: 0x1000-0xffff = 61440. Memory: 4095 - 97 + 61440 = 65438.
//  - mm_init: the reserved pages in [0x10000, 0x40000), all sparse_init's,
//    top-down from 1 GiB: the mem_section root array and root page (5 pages),
//    the usemaps (1 page), the vmemmap PUD and PMD table pages (2), the
//    vmemmap buffer of 8 sections (16 MiB, 4096 pages), and the per-cpu
//    first chunk of the 2 CPUs (2 x 256 KiB, 128 pages): 4232.
//  - deferred: the rest of [0x10000, 0x40000): 196608 - 4232 = 192376.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "boot_test_util.h"
#include "include/linux/jiffies.h"

namespace pginit::test {
namespace {

std::string machine(const std::string& kernel_and_policy, const std::string& allocations = "")
{
  return fmt::format(R"(name: one-gib
{}
config: {{ NUMA: n, SPARSEMEM_VMEMMAP: y, DEFERRED_STRUCT_PAGE_INIT: y }}
machine:
  cpus: 2
  e820:
    - {{ mem: 0x0-0x9fbff, type: usable }}
    - {{ mem: 0x9fc00-0x9ffff, type: reserved }}
    - {{ mem: 0xf0000-0xfffff, type: reserved }}
    - {{ mem: 0x100000-0x3fffffff, type: usable }}
{})",
                     kernel_and_policy, allocations);
}

constexpr std::uint64_t MEMORY = 262046;
constexpr std::uint64_t EARLY = 65438;
constexpr std::uint64_t MM_INIT = 4232;
constexpr std::uint64_t DEFERRED = 192376;

void expect_proof_holds(const BootedKernel& b)
{
  EXPECT_TRUE(b.proof.failures.empty()) << b.proof.failures.front();
}

TEST(InitPhases, V417OneSectionUpFrontTheRestDeferred)
{
  const BootedKernel b(machine("kernel: v4.17"));
  expect_proof_holds(b);
  EXPECT_EQ(b.st.nodes[0].first_deferred_pfn, ULONG_MAX_PFN);  // all done
  EXPECT_EQ(b.phase(0, InitPhase::early), EARLY);
  EXPECT_EQ(b.phase(0, InitPhase::mm_init), MM_INIT);
  EXPECT_EQ(b.phase(0, InitPhase::on_demand), 0u);
  EXPECT_EQ(b.phase(0, InitPhase::deferred), DEFERRED);
  EXPECT_EQ(EARLY + MM_INIT + DEFERRED, MEMORY);
  // pgdatinit starts at 1.118 ms and works 3.270 ms (17 ns a page): it
  // ends at 4.388 ms, one HZ=250 tick later, and jiffies_to_msecs(1) = 4.
  EXPECT_TRUE(b.logged("node 0 initialised, 192376 pages in 4ms"));
  // The hole under 1 MiB was initialized early and then zeroed by v4.17's late zero_resv_unavail.
  EXPECT_TRUE(b.logged("Reserved but unavailable: 98 pages"));
  EXPECT_EQ(b.proof.holes_zeroed, 98u);
}

TEST(InitPhases, V416TwoGibUpFrontCoversTheWholeNode)
{
  const BootedKernel b(machine("kernel: v4.16"));
  expect_proof_holds(b);
  EXPECT_EQ(b.phase(0, InitPhase::early), MEMORY);
  EXPECT_EQ(b.phase(0, InitPhase::mm_init), 0u);
  EXPECT_EQ(b.phase(0, InitPhase::deferred), 0u);
  EXPECT_TRUE(b.logged("node 0 initialised, 0 pages in 0ms"));
}

TEST(InitPhases, MaxOrderAndPadataPoliciesDoTheSamePages)
{
  for (const char* policy : {"v5.2", "padata"}) {
    const BootedKernel b(machine(fmt::format("kernel: v4.17\npolicy: {}", policy)));
    expect_proof_holds(b);
    EXPECT_EQ(b.phase(0, InitPhase::early), EARLY) << policy;
    EXPECT_EQ(b.phase(0, InitPhase::mm_init), MM_INIT) << policy;
    EXPECT_EQ(b.phase(0, InitPhase::deferred), DEFERRED) << policy;
  }
  // padata changed the pgdatinit line: 192376 pages over 2 CPUs at 17 ns a page.
  const BootedKernel p(machine("kernel: v5.8"));
  // Two CPUs: from 1.118 ms to 2.789 ms, inside the first 4 ms tick: 0 jiffies.
  EXPECT_TRUE(p.logged("node 0 deferred pages initialised in 0ms"));
}

TEST(InitPhases, LazyLeavesDeferredPagesUntilSomethingNeedsThem)
{
  const BootedKernel b(machine("kernel: v4.17\npolicy: lazy"));
  expect_proof_holds(b);
  EXPECT_EQ(b.phase(0, InitPhase::deferred), 0u);
  EXPECT_EQ(b.proof.still_deferred, DEFERRED);
  EXPECT_EQ(b.phase(0, InitPhase::none), DEFERRED);
}

// 100 order-10 blocks after mem_init: DMA32 has 51 free ones in
// [0x3400, 0x10000) (the kernel image ends at 0x3400); then
// deferred_grow_zone() adds a section (32 blocks) twice.
TEST(InitPhases, OnDemandGrowthFiresWhenTheZoneRunsShort)
{
  const BootedKernel b(machine("kernel: v4.17", "boot:\n  allocations:\n    - { at: mm_init, nid: 0, order: 10, count: 100 }\n"));
  expect_proof_holds(b);
  EXPECT_EQ(b.st.allocations.size(), 100u);
  EXPECT_EQ(b.phase(0, InitPhase::on_demand), 2u * 32768u);
  EXPECT_EQ(b.phase(0, InitPhase::deferred), DEFERRED - 2 * 32768);
  // From 2.232 ms (after the growth) to 4.388 ms: across the 4 ms tick.
  EXPECT_TRUE(b.logged("node 0 initialised, 126840 pages in 4ms"));
}

TEST(InitPhases, V52GrowsInMaxOrderStepsUpToASection)
{
  const BootedKernel b(machine("kernel: v5.2", "boot:\n  allocations:\n    - { at: mm_init, nid: 0, order: 10, count: 100 }\n"));
  expect_proof_holds(b);
  EXPECT_EQ(b.phase(0, InitPhase::on_demand), 2u * 32768u);
}

// 1000 blocks of 4 MiB do not fit in 1 GiB: growth initializes every
// deferred page, the allocation still fails, and the kernel says so.
TEST(InitPhases, OnDemandGrowthCannotMakeANodeBigger)
{
  const BootedKernel b(machine("kernel: v4.17", "boot:\n  allocations:\n    - { at: mm_init, nid: 0, order: 10, count: 1000 }\n"));
  expect_proof_holds(b);
  EXPECT_LT(b.st.allocations.size(), 1000u);
  EXPECT_EQ(b.phase(0, InitPhase::on_demand), DEFERRED);
  EXPECT_EQ(b.phase(0, InitPhase::deferred), 0u);
  // At mm_init the boot task is still "swapper" (sched_init() has not named
  // it) and gfp_allowed_mask is GFP_BOOT_MASK, which leaves nothing of GFP_KERNEL.
  EXPECT_TRUE(b.logged("swapper: page allocation failure: order:10, mode:0x0(), nodemask=(null)"));
}

// The same pgdatinit thread timed with HZ=1000 and HZ=300
// (include/linux/jiffies.h, kernel/time/time.c jiffies_to_msecs()): from
// 1.118 ms to 4.388 ms is jiffies 1 -> 4 at 1000 Hz (3 ms), 0 -> 1 at 300 Hz
// (one 3.33 ms tick, rounded up to 4 ms).
TEST(InitPhases, PgdatinitTimesItselfInWholeJiffies)
{
  std::string hz1000 = machine("kernel: v4.17");
  hz1000.replace(hz1000.find("NUMA: n"), 7, "NUMA: n, HZ: 1000");
  EXPECT_TRUE(BootedKernel(hz1000).logged("node 0 initialised, 192376 pages in 3ms"));
  std::string hz300 = machine("kernel: v4.17");
  hz300.replace(hz300.find("NUMA: n"), 7, "NUMA: n, HZ: 300");
  EXPECT_TRUE(BootedKernel(hz300).logged("node 0 initialised, 192376 pages in 4ms"));
  EXPECT_EQ(jiffies_to_msecs(1, 300), 4u);
  EXPECT_EQ(jiffies_to_msecs(3, 300), 10u);
  EXPECT_EQ(jiffies_to_msecs(3, 250), 12u);
}

// v5.2's zero_resv_unavail() (907ec5fca3dc, from v4.20) zeroes the e820 hole 0x9f-0xff before the
// nodes; memmap_init_zone() then initializes it with the rest of ZONE_DMA's
// span. The hole is an initialized struct page in the end, not a zeroed one.
TEST(InitPhases, AZeroedHoleInitializedLaterIsInitialized)
{
  const BootedKernel b(machine("kernel: v5.2"));
  expect_proof_holds(b);
  ASSERT_TRUE(b.logged("Zeroed struct page in unavailable ranges: 98 pages"));
  for (pfn_t pfn = 0x9f; pfn < 0x100; pfn++) {
    const PageShadow* s = b.st.mm.shadow(pfn);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->phase, InitPhase::early) << pfn;
    EXPECT_FALSE(s->zeroed) << pfn;
  }
  // pfn 0 (trim_bios_range() took it out of memory) lies below ZONE_DMA's
  // span: zeroed, and nothing initializes it later.
  EXPECT_TRUE(b.st.mm.shadow(0)->zeroed);
  EXPECT_EQ(b.proof.holes_zeroed, 1u);
  EXPECT_GE(b.proof.holes_initialized, 0x100u - 0x9f);
}

// Without on-demand growth (v4.16 policy, 2 GiB of a bigger node up front),
// the same shortage is a failure even though deferred pages remain.
TEST(InitPhases, NoGrowthBeforeV417)
{
  const std::string big = fmt::format(R"(name: eight-gib
kernel: v4.16
config: {{ NUMA: n, DEFERRED_STRUCT_PAGE_INIT: y }}
machine:
  cpus: 2
  e820:
    - {{ mem: 0x0-0x9fbff, type: usable }}
    - {{ mem: 0x100000-0xbfffffff, type: usable }}
    - {{ mem: 0x100000000-0x23fffffff, type: usable }}
boot:
  allocations:
    - {{ at: mm_init, nid: 0, order: 10, count: 1500 }}
)");
  const BootedKernel b(big);
  expect_proof_holds(b);
  EXPECT_EQ(b.phase(0, InitPhase::on_demand), 0u);
  // At mm_init the boot task is still "swapper" (sched_init() has not named
  // it) and gfp_allowed_mask is GFP_BOOT_MASK, which leaves nothing of GFP_KERNEL.
  EXPECT_TRUE(b.logged("swapper: page allocation failure: order:10, mode:0x0(), nodemask=(null)"));
  EXPECT_GT(b.phase(0, InitPhase::deferred), 0u);
}

}  // namespace
}  // namespace pginit::test
