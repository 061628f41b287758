// SPDX-License-Identifier: MIT
// Pins the on-demand growth rules (sim/policy/growth.h), deferred_grow_zone()
// of mm/page_alloc.c, on free ranges that are not section-aligned:
//  - v4.17 (c9e97a1997fb) growth::sections: for each free range from
//    first_init_pfn, steps to t = ALIGN(spfn + PAGES_PER_SECTION, section),
//    capped at the range's end, until the quota is initialized; then frees
//    what it initialized; first_deferred_pfn = where the last step ended.
//  - v5.2 (0e56acae4b4d) growth::max_order: deferred_init_maxorder() steps
//    (init then free up to the next MAX_ORDER_NR_PAGES boundary); it checks
//    the quota only after a step that left the section it started in;
//    first_deferred_pfn = where the walk stopped. With no free range left,
//    first_deferred_pfn becomes ULONG_MAX and it reports growth once (so the
//    caller retries once), then no more.
//  - deferred_grow_quota(order): 1 << order rounded up to a section.
//
// The machine is the 1 GiB one of init_phases_test.cpp, booted to mm_init
// under v4.17: the highest zone, DMA32, is [0x1000, 0x40000) and its
// deferred part starts at pgdat.first_deferred_pfn = 0x10000; the free
// memory there runs from 0x10000 to below the sparse_init allocations at
// the top of the node (beyond 0x30000). Each test then reserves pfns in
// memblock to cut the free ranges at unaligned places before calling the
// rule itself. PAGES_PER_SECTION = 0x8000, MAX_ORDER_NR_PAGES = 0x400.
#include <gtest/gtest.h>

#include "boot_test_util.h"
#include "policy/growth.h"

namespace pginit::test {
namespace {

const std::string MACHINE =
    small_guest("one-gib", "v4.17", "NUMA: n, SPARSEMEM_VMEMMAP: y, DEFERRED_STRUCT_PAGE_INIT: y");

constexpr pfn_t DEFERRED_START = 0x10000;
constexpr std::uint64_t SECTION_QUOTA = 32768;

struct Grower {
  BootedKernel b{MACHINE, 1, Stage::mm_init};
  Kernel& k = b.r.kernel();
  pglist_data& pgdat = k.nodes.at(0);
  unsigned zid = 0;

  Grower()
  {
    const zone* z = zone_of_pfn(pgdat, DEFERRED_START, &zid);
    EXPECT_NE(z, nullptr);
    EXPECT_EQ(z->zone_start_pfn, 0x1000u);
    EXPECT_EQ(z->zone_end_pfn(), 0x40000u);
    EXPECT_EQ(pgdat.first_deferred_pfn, DEFERRED_START);
    EXPECT_EQ(count(InitPhase::on_demand), 0u);
  }
  void reserve(pfn_t start, pfn_t end)
  {
    EXPECT_EQ(memblock_reserve(k.memblock, PFN_PHYS(start), PFN_PHYS(end - start)), 0);
  }
  zone& z() { return pgdat.node_zones[zid]; }
  InitPhase phase(pfn_t pfn) { return k.mm.shadow(pfn)->phase; }
  // Pages of the deferred part in phase p.
  std::uint64_t count(InitPhase p)
  {
    std::uint64_t n = 0;
    for (pfn_t pfn = DEFERRED_START; pfn < 0x40000; pfn++)
      if (k.mm.shadow(pfn)->phase == p) n++;
    return n;
  }
  GrowStep grow(const GrowthRule& rule, pfn_t first_init_pfn, std::uint64_t quota)
  {
    return rule.grow(k.mm, k.memblock, pgdat, zid, first_init_pfn, quota);
  }
};

// Layout L1: reserved [0x10000, 0x10100) and [0x12345, 0x12500).
// Free: [0x10100, 0x12345) (8773 pages), then [0x12500, top).
// v4.17, quota one section:
//   range 1: spfn 0x10100, t = ALIGN(0x18100) = 0x20000, capped at the
//            range end 0x12345: 8773 pages, short of 32768.
//   range 2: spfn 0x12500, t = ALIGN(0x1a500) = 0x20000: 0xdb00 = 56064
//            pages; 64837 in all, quota met.
// first_deferred_pfn = 0x20000; all 64837 are freed.
TEST(RuleGrowth, SectionsStepsToTheSectionAfterStartPlusASection)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x12345, 0x12500);
  const std::uint64_t free_before = g.z().nr_free_pages;
  const GrowStep s = g.grow(growth::sections, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 64837u);
  EXPECT_EQ(s.work.freed, 64837u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x20000u);
  EXPECT_EQ(g.z().nr_free_pages - free_before, 64837u);
  EXPECT_EQ(g.count(InitPhase::on_demand), 64837u);
  EXPECT_EQ(g.phase(0x100ff), InitPhase::none);
  EXPECT_EQ(g.phase(0x10100), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x12344), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x12345), InitPhase::none);
  EXPECT_EQ(g.phase(0x124ff), InitPhase::none);
  EXPECT_EQ(g.phase(0x12500), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x1ffff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x20000), InitPhase::none);
}

// Layout L2: reserved [0x10000, 0x10100) and [0x1ff00, 0x20100).
// v4.17, quota one section:
//   range 1: spfn 0x10100, t = 0x20000, capped at 0x1ff00: 0xfe00 = 65024
//            pages, quota met: first_deferred_pfn = 0x1ff00.
// Growing again from there: range 1 has nothing left past 0x1ff00; range 2:
//   spfn 0x20100, t = ALIGN(0x28100) = 0x30000: 0xff00 = 65280 pages.
TEST(RuleGrowth, SectionsStopsAtTheRangeEndWhenTheQuotaIsMetThere)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x1ff00, 0x20100);
  const GrowStep s = g.grow(growth::sections, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 65024u);
  EXPECT_EQ(s.work.freed, 65024u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x1ff00u);
  EXPECT_EQ(g.phase(0x1feff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x1ff00), InitPhase::none);
  EXPECT_EQ(g.phase(0x20100), InitPhase::none);

  const GrowStep again = g.grow(growth::sections, g.pgdat.first_deferred_pfn, SECTION_QUOTA);
  EXPECT_TRUE(again.grew);
  EXPECT_EQ(again.work.initialized, 65280u);
  EXPECT_EQ(again.work.freed, 65280u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x30000u);
  EXPECT_EQ(g.count(InitPhase::on_demand), 65024u + 65280u);
  EXPECT_EQ(g.phase(0x200ff), InitPhase::none);
  EXPECT_EQ(g.phase(0x20100), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x2ffff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x30000), InitPhase::none);
}

// Layout L2 under v5.2, quota one section. MAX_ORDER steps from 0x10100:
//   the step ending at 0x18000 leaves section 0x10000-0x17fff with
//   0x7f00 = 32512 pages initialized: short, go on;
//   the step from 0x1fc00 (mo_pfn 0x20000) initializes [0x1fc00, 0x1ff00),
//   and the walk resumes at the next range's start, 0x20100: a new section,
//   65024 pages, quota met. first_deferred_pfn = 0x20100.
// Growing again from 0x20100: the section boundary 0x28000 comes with
// 0x7f00 = 32512 pages, short; 0x30000 with 65280: first_deferred_pfn = 0x30000.
TEST(RuleGrowth, MaxOrderChecksTheQuotaOnlyOnSectionBoundaries)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x1ff00, 0x20100);
  const std::uint64_t free_before = g.z().nr_free_pages;
  const GrowStep s = g.grow(growth::max_order, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 65024u);
  EXPECT_EQ(s.work.freed, 65024u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x20100u);
  EXPECT_EQ(g.z().nr_free_pages - free_before, 65024u);
  EXPECT_EQ(g.count(InitPhase::on_demand), 65024u);
  EXPECT_EQ(g.phase(0x100ff), InitPhase::none);
  EXPECT_EQ(g.phase(0x10100), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x1feff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x1ff00), InitPhase::none);
  EXPECT_EQ(g.phase(0x20100), InitPhase::none);

  const GrowStep again = g.grow(growth::max_order, g.pgdat.first_deferred_pfn, SECTION_QUOTA);
  EXPECT_TRUE(again.grew);
  EXPECT_EQ(again.work.initialized, 65280u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x30000u);
  EXPECT_EQ(g.phase(0x2ffff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x30000), InitPhase::none);
}

// Layout L1 under v5.2: the boundary 0x18000 comes with 8773 + 0x5b00 =
// 32069 pages, short by 699; 0x20000 with 64837: first_deferred_pfn = 0x20000.
TEST(RuleGrowth, MaxOrderWalksAcrossHolesWithinASection)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x12345, 0x12500);
  const GrowStep s = g.grow(growth::max_order, DEFERRED_START, SECTION_QUOTA);
  EXPECT_EQ(s.work.initialized, 64837u);
  EXPECT_EQ(s.work.freed, 64837u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x20000u);
  EXPECT_EQ(g.phase(0x12344), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x12345), InitPhase::none);
  EXPECT_EQ(g.phase(0x12500), InitPhase::on_demand);
}

// Layout L3: reserved [0x17f00, 0x18100) only.
// Free: [0x10000, 0x17f00) (32512 pages), then [0x18100, top).
// v4.17, quota one section:
//   range 1: spfn 0x10000 (aligned), t = ALIGN(0x18000) = 0x18000, capped at
//            0x17f00: 32512 pages, short by 256.
//   range 2: spfn 0x18100, t = ALIGN(0x20100) = 0x28000, *not* the next
//            boundary 0x20000: 0xff00 = 65280 pages. 97792 in all, for a
//            one-section quota; first_deferred_pfn = 0x28000.
// v5.2: the boundary 0x18000 (the walk resumes at 0x18100) comes with 32512
//   pages, short; 0x20000 with 32512 + 0x7f00 = 65024: first_deferred_pfn = 0x20000.
TEST(RuleGrowth, SectionsFromAnUnalignedStartStepsPastTheNextBoundary)
{
  Grower g;
  g.reserve(0x17f00, 0x18100);
  const GrowStep s = g.grow(growth::sections, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 97792u);
  EXPECT_EQ(s.work.freed, 97792u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x28000u);
  EXPECT_EQ(g.count(InitPhase::on_demand), 97792u);
  EXPECT_EQ(g.phase(0x10000), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x17eff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x17f00), InitPhase::none);
  EXPECT_EQ(g.phase(0x180ff), InitPhase::none);
  EXPECT_EQ(g.phase(0x18100), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x27fff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x28000), InitPhase::none);
}

TEST(RuleGrowth, MaxOrderFromTheSameLayoutStopsAtTheFirstBoundaryPastTheQuota)
{
  Grower g;
  g.reserve(0x17f00, 0x18100);
  const GrowStep s = g.grow(growth::max_order, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 65024u);
  EXPECT_EQ(s.work.freed, 65024u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x20000u);
  EXPECT_EQ(g.count(InitPhase::on_demand), 65024u);
  EXPECT_EQ(g.phase(0x1ffff), InitPhase::on_demand);
  EXPECT_EQ(g.phase(0x20000), InitPhase::none);
}

// Nothing free left in the deferred part (all of [0x10000, 0x40000) reserved).
// v5.2: first_deferred_pfn becomes ULONG_MAX and the first call says "grew"
// (retry once), the second does not.
TEST(RuleGrowth, MaxOrderWithNothingFreeRetriesOnceThenGivesUp)
{
  Grower g;
  g.reserve(DEFERRED_START, 0x40000);
  const GrowStep first = g.grow(growth::max_order, DEFERRED_START, SECTION_QUOTA);
  EXPECT_TRUE(first.grew);
  EXPECT_EQ(first.work.initialized, 0u);
  EXPECT_EQ(first.work.freed, 0u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, ULONG_MAX_PFN);
  const GrowStep second = g.grow(growth::max_order, DEFERRED_START, SECTION_QUOTA);
  EXPECT_FALSE(second.grew);
  EXPECT_EQ(second.work.initialized, 0u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, ULONG_MAX_PFN);
  EXPECT_EQ(g.count(InitPhase::on_demand), 0u);
}

// v4.17 has no such case: nothing initialized, no growth, first_deferred_pfn kept.
TEST(RuleGrowth, SectionsWithNothingFreeDoesNotGrow)
{
  Grower g;
  g.reserve(DEFERRED_START, 0x40000);
  const GrowStep s = g.grow(growth::sections, DEFERRED_START, SECTION_QUOTA);
  EXPECT_FALSE(s.grew);
  EXPECT_EQ(s.work.initialized, 0u);
  EXPECT_EQ(s.work.freed, 0u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, DEFERRED_START);
}

// A quota of more than a section: v4.17 from 0x10100 (layout L2, second
// range from 0x20100) takes range 1 (65024) and then range 2 up to
// ALIGN(0x28100) = 0x30000 (65280): 130304 >= 98304.
TEST(RuleGrowth, SectionsKeepsSteppingUntilABiggerQuotaIsMet)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x1ff00, 0x20100);
  const GrowStep s = g.grow(growth::sections, DEFERRED_START, 3 * SECTION_QUOTA);
  EXPECT_EQ(s.work.initialized, 130304u);
  EXPECT_EQ(s.work.freed, 130304u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, 0x30000u);
}

// Growth that uses up the last free range: the kernel's iterator
// (__next_mem_pfn_range_in_zone(), v5.2) leaves spfn = ULONG_MAX when it runs
// out, and deferred_grow_zone() stores that: first_deferred_pfn = ULONG_MAX
// at once, and the next call says "not grown". Free: [0x10100, 0x1ff00) and
// [0x20100, 0x21000): 65024 + 3840 = 68864 pages, short of a quota of 10
// sections.
// (pginit left first_deferred_pfn at the last mo_pfn, 0x21000, until this
// test found it: one more "grown" and one more retry.)
TEST(RuleGrowth, MaxOrderThatUsesUpTheZoneEndsAtUlongMax)
{
  Grower g;
  g.reserve(0x10000, 0x10100);
  g.reserve(0x1ff00, 0x20100);
  g.reserve(0x21000, 0x40000);
  const GrowStep s = g.grow(growth::max_order, DEFERRED_START, 10 * SECTION_QUOTA);
  EXPECT_TRUE(s.grew);
  EXPECT_EQ(s.work.initialized, 68864u);
  EXPECT_EQ(g.pgdat.first_deferred_pfn, ULONG_MAX_PFN);
  const GrowStep again = g.grow(growth::max_order, g.pgdat.first_deferred_pfn, SECTION_QUOTA);
  EXPECT_FALSE(again.grew);
}

// nr_pages_needed = ALIGN(1 << order, PAGES_PER_SECTION).
TEST(RuleGrowth, QuotaIsTheOrderRoundedUpToASection)
{
  EXPECT_EQ(deferred_grow_quota(0), 32768u);
  EXPECT_EQ(deferred_grow_quota(1), 32768u);
  EXPECT_EQ(deferred_grow_quota(9), 32768u);
  EXPECT_EQ(deferred_grow_quota(10), 32768u);
  EXPECT_EQ(deferred_grow_quota(15), 32768u);
  EXPECT_EQ(deferred_grow_quota(16), 65536u);
}

}  // namespace
}  // namespace pginit::test
