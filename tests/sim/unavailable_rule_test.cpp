// SPDX-License-Identifier: MIT
// Pins the three zero_resv_unavail() rules (sim/policy/unavailable.h,
// mm/page_alloc.c): which struct pages they zero, whether they run before or
// after the nodes' memmap_init_zone(), and the line they print.
//  - reserved_after_init (a4a3ede2132a, v4.15-v4.17): pfns of memblock.reserved
//    that are not memblock.memory, whose pageblock has a memmap; after the nodes;
//    "Reserved but unavailable: N pages".
//  - reserved_before_init (e181ae0c5db9, v4.18): the same pfns, before the nodes.
//  - holes_before_init (907ec5fca3dc, v4.19+): every pfn not in memblock.memory,
//    below max_pfn, whose pageblock has a memmap; before the nodes;
//    "Zeroed struct page in unavailable ranges: N pages".
//
// The machine (3 GiB, NUMA off), booted under v4.17 to the end of setup_arch:
// memory is pfns [1, 0x9f), [0x100, 0x40000), [0x41000, 0x80000),
// [0x88000, 0xc0000); max_pfn = 0xc0000. Reserved and not memory: pfn 0
// (trim_low_memory_range's first 64 KiB) and the BIOS area [0x9f, 0x100):
// 98 pages. Holes with a memmap: pfn 0, [0x9f, 0x100) and [0x40000, 0x41000)
// (a hole inside a section that has memory): 1 + 97 + 4096 = 4194. The hole
// [0x80000, 0x88000) is a whole section without memory, so without memmap:
// skipped.
#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "policy/unavailable.h"

namespace pginit::test {
namespace {

const std::string MACHINE = three_gib_with_holes("v4.17");

TEST(RuleUnavailable, WhichPfnsEachRuleZeroes)
{
  BootedKernel b(MACHINE, 1, Stage::setup_arch);
  Kernel& k = b.r.kernel();
  ASSERT_EQ(k.max_pfn, 0xc0000u);
  auto zeroed = [&k](pfn_t pfn) { return k.mm.shadow(pfn)->zeroed; };
  // v4.17's own pass at boot zeroed the reserved-and-unavailable pages only.
  EXPECT_TRUE(zeroed(0));
  EXPECT_TRUE(zeroed(0x9f));
  EXPECT_TRUE(zeroed(0xff));
  EXPECT_FALSE(zeroed(0x100));
  EXPECT_FALSE(zeroed(0x40800));

  // More reservations: 16 pages in the hole (unavailable), 16 in memory (not),
  // 16 in the section without memmap (skipped).
  ASSERT_EQ(memblock_reserve(k.memblock, PFN_PHYS(0x40100), PFN_PHYS(16)), 0);
  ASSERT_EQ(memblock_reserve(k.memblock, PFN_PHYS(0x50000), PFN_PHYS(16)), 0);
  ASSERT_EQ(memblock_reserve(k.memblock, PFN_PHYS(0x80100), PFN_PHYS(16)), 0);

  EXPECT_EQ(unavailable::reserved_after_init.apply(k.mm, k.memblock, k.max_pfn), 98u + 16u);
  EXPECT_TRUE(zeroed(0x40100));
  EXPECT_TRUE(zeroed(0x4010f));
  EXPECT_FALSE(zeroed(0x40110));
  EXPECT_FALSE(zeroed(0x400ff));
  EXPECT_FALSE(zeroed(0x50000));
  EXPECT_FALSE(zeroed(0x40800));
  EXPECT_EQ(unavailable::reserved_before_init.apply(k.mm, k.memblock, k.max_pfn), 98u + 16u);
  EXPECT_FALSE(zeroed(0x40800));

  // The holes rule ignores memblock.reserved: every hole pfn with a memmap.
  EXPECT_EQ(unavailable::holes_before_init.apply(k.mm, k.memblock, k.max_pfn), 4194u);
  EXPECT_TRUE(zeroed(0x40000));
  EXPECT_TRUE(zeroed(0x40800));
  EXPECT_TRUE(zeroed(0x40fff));
  EXPECT_FALSE(zeroed(0x41000));
  EXPECT_FALSE(zeroed(0x3ffff));
  EXPECT_FALSE(zeroed(0x50000));
  EXPECT_EQ(k.mm.shadow(0x80000), nullptr);  // no memmap there to zero
}

// Past the last memory region, up to max_pfn: the holes rule zeroes what has a
// memmap. With max_pfn inside the last section (0xbff00), nothing follows the
// last memory region below it; a max_pfn past the end of the memmap adds nothing.
TEST(RuleUnavailable, HolesRuleStopsAtMaxPfn)
{
  BootedKernel b(MACHINE, 1, Stage::setup_arch);
  Kernel& k = b.r.kernel();
  EXPECT_EQ(unavailable::holes_before_init.apply(k.mm, k.memblock, 0xc0000 + 0x8000), 4194u);
  // Memory ending at 0xbff00: the last 256 pfns of the section are a hole.
  ASSERT_EQ(memblock_remove(k.memblock, PFN_PHYS(0xbff00), PFN_PHYS(0x100)), 0);
  EXPECT_EQ(unavailable::holes_before_init.apply(k.mm, k.memblock, 0xc0000), 4194u + 256u);
  EXPECT_EQ(unavailable::holes_before_init.apply(k.mm, k.memblock, 0xbff80), 4194u + 128u);
}

TEST(RuleUnavailable, WhenAndWhatTheyPrint)
{
  using When = UnavailableRule::When;
  EXPECT_EQ(unavailable::reserved_after_init.when, When::after_nodes);
  EXPECT_EQ(unavailable::reserved_before_init.when, When::before_nodes);
  EXPECT_EQ(unavailable::holes_before_init.when, When::before_nodes);
  EXPECT_EQ(unavailable::in_memmap_init.when, When::in_memmap_init);
  EXPECT_EQ(unavailable::reserved_after_init.line(98), "Reserved but unavailable: 98 pages");
  EXPECT_EQ(unavailable::reserved_before_init.line(7), "Reserved but unavailable: 7 pages");
  EXPECT_EQ(unavailable::holes_before_init.line(4194), "Zeroed struct page in unavailable ranges: 4194 pages");
}

}  // namespace
}  // namespace pginit::test

namespace pginit::test {
namespace {

// v5.8: init_unavailable_mem() gives the in-section gap [0x40000, 0x41000) a
// reserved struct page of zone 0, node 0 (init_unavailable_range()), and
// memmap_init(), walking only memblock ranges, never touches it again: one
// init, DMA's zone bits although the gap lies in DMA32's span. v5.2 zeroes
// the same pages (mm_zero_struct_page()); its memmap_init_zone() walks the
// whole span but stops at first_deferred_pfn 0x10000, and deferred init only
// walks free memory: the gap stays zeroes.
TEST(RuleUnavailable, V58InitializesHolesForZoneZeroAndLeavesThem)
{
  const BootedKernel v58(three_gib_with_holes("v5.8"), 1, Stage::setup_arch);
  const pfn_t hole = 0x40800;
  const PageShadow* s = v58.st.mm.shadow(hole);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->inits, 1u);
  EXPECT_FALSE(s->zeroed);
  const page& p = *v58.st.mm.pfn_host_page(hole);
  EXPECT_TRUE(PageReserved(p));
  EXPECT_EQ(page_zonenum(p, v58.st.mm.flags_layout()), 0u);
  EXPECT_TRUE(v58.logged("Zeroed struct page in unavailable ranges: 4194 pages"));

  const BootedKernel v52(three_gib_with_holes("v5.2"), 1, Stage::setup_arch);
  const PageShadow* z = v52.st.mm.shadow(hole);
  EXPECT_EQ(z->inits, 0u);
  EXPECT_TRUE(z->zeroed);
  EXPECT_EQ(v52.st.mm.pfn_host_page(hole)->flags, 0u);
}

}  // namespace
}  // namespace pginit::test
