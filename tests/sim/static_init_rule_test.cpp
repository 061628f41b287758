// SPDX-License-Identifier: MIT
// Pins the two static_init rules (sim/policy/static_init.h): how many pages
// of a node's highest zone memmap_init_zone() initializes before the rest is
// deferred, pgdat->static_init_pgcnt as reset_deferred_meminit() sets it
// (mm/page_alloc.c).
//  - v4.16 (3a80a7fa7989, 864b9a393dcb): max(2 GiB of pages, spanned >> 8),
//    plus PFN_DOWN of the bytes memblock_reserved_memory_within() finds in
//    [start, start + that), which counts every reserved region touching the
//    window *whole*, capped at the node's spanned pages.
//  - v4.17 (c9e97a1997fb): min(PAGES_PER_SECTION, spanned).
// Every expected value below is worked out by hand from those sentences.
#include <gtest/gtest.h>

#include "policy/static_init.h"

namespace pginit::test {
namespace {

constexpr std::uint64_t TWO_GIB_PAGES = 524288;  // 2 GiB / 4 KiB

pglist_data node(pfn_t start_pfn, std::uint64_t spanned)
{
  pglist_data pgdat;
  pgdat.node_start_pfn = start_pfn;
  pgdat.node_spanned_pages = spanned;
  pgdat.node_present_pages = spanned;
  return pgdat;
}

void reserve(memblock& mb, phys_addr_t base, phys_addr_t size) { ASSERT_EQ(memblock_reserve(mb, base, size), 0); }

// A 1 TiB node at 256 GiB: spanned >> 8 = 0x100000 pages (4 GiB) beats
// 2 GiB, so the window is [256 GiB, 260 GiB].
//   inside:                 [257 GiB, +64 MiB)           16384 pages
//   straddling the end:     [260 GiB - 8 MiB, +16 MiB)    4096 pages (whole)
//   ending at the start:    [256 GiB - 2 MiB, 256 GiB)     512 pages (touches)
//   below, not touching:    [200 GiB, +1 GiB)                 0
//   above:                  [261 GiB, +1 GiB)                 0
// 1048576 + 16384 + 4096 + 512 = 1069568.
TEST(RuleStaticInit, TwoGibOnATerabyteNodeUsesOne256thPlusTouchingReservations)
{
  memblock mb;
  reserve(mb, 257 * SZ_1G, 64 * SZ_1M);
  reserve(mb, 260 * SZ_1G - 8 * SZ_1M, 16 * SZ_1M);
  reserve(mb, 256 * SZ_1G - 2 * SZ_1M, 2 * SZ_1M);
  reserve(mb, 200 * SZ_1G, SZ_1G);
  reserve(mb, 261 * SZ_1G, SZ_1G);
  const pglist_data pgdat = node(0x4000000, 0x10000000);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(pgdat, mb), 1069568u);
  // Without any reservation: just the 1/256.
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(pgdat, memblock{}), 1048576u);
}

// A 16 GiB node at 4 GiB: spanned >> 8 = 16384 pages, so 2 GiB wins and the
// window is [4 GiB, 6 GiB].
//   inside:                 [5 GiB, +100 MiB)            25600 pages
//   straddling the start:   [4 GiB - 1 MiB, +2 MiB)        512 pages (whole)
//   beyond the window:      [7 GiB, +1 GiB)                  0
// 524288 + 25600 + 512 = 550400.
TEST(RuleStaticInit, TwoGibOnA16GibNodeUsesTwoGibPlusTouchingReservations)
{
  memblock mb;
  reserve(mb, 5 * SZ_1G, 100 * SZ_1M);
  reserve(mb, 4 * SZ_1G - SZ_1M, 2 * SZ_1M);
  reserve(mb, 7 * SZ_1G, SZ_1G);
  const pglist_data pgdat = node(0x100000, 0x400000);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(pgdat, mb), 550400u);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(pgdat, memblock{}), TWO_GIB_PAGES);
}

// The reserved bytes are summed first, then rounded down to pages: two
// 6 KiB regions are 12 KiB, 3 pages (rounding each would give 2).
TEST(RuleStaticInit, TwoGibRoundsTheReservedByteSumDownToPages)
{
  memblock mb;
  reserve(mb, 4 * SZ_1G + SZ_1M, 6 * SZ_1K);
  reserve(mb, 4 * SZ_1G + 2 * SZ_1M, 6 * SZ_1K);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(node(0x100000, 0x400000), mb), TWO_GIB_PAGES + 3);
}

// Capped at the node: 600000 spanned pages, 2 GiB + 102400 reserved pages
// (400 MiB inside the window) = 626688 > 600000. A 1 GiB node is all of it.
TEST(RuleStaticInit, TwoGibIsCappedAtTheNodesSpan)
{
  memblock mb;
  reserve(mb, 5 * SZ_1G, 400 * SZ_1M);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(node(0x100000, 600000), mb), 600000u);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(node(0x100000, 262144), mb), 262144u);
  EXPECT_EQ(static_init::two_gib.static_init_pgcnt(node(0x100000, 600000), memblock{}), TWO_GIB_PAGES);
}

// memblock_reserved_memory_within(start, end) on [1 GiB, 2 GiB]: a region
// counts when it ends at or after start and begins at or before end.
//   [1 GiB - 4 MiB, 1 GiB)           ends at start: counted (4 MiB)
//   [1 GiB - 12 MiB, 1 GiB - 8 MiB)  ends before start: not counted
//   [2 GiB, 2 GiB + 1 MiB)           begins at end: counted (1 MiB)
//   [2 GiB + 2 MiB, +1 MiB)          begins after end: not counted
TEST(RuleStaticInit, ReservedMemoryWithinCountsTouchingRegionsWhole)
{
  memblock mb;
  reserve(mb, SZ_1G - 4 * SZ_1M, 4 * SZ_1M);
  reserve(mb, SZ_1G - 12 * SZ_1M, 4 * SZ_1M);
  reserve(mb, 2 * SZ_1G, SZ_1M);
  reserve(mb, 2 * SZ_1G + 2 * SZ_1M, SZ_1M);
  EXPECT_EQ(memblock_reserved_memory_within(mb, SZ_1G, 2 * SZ_1G), 5 * SZ_1M);
  // A region straddling the whole window counts whole as well.
  memblock big;
  reserve(big, SZ_1G - SZ_1M, SZ_1G + 2 * SZ_1M);
  EXPECT_EQ(memblock_reserved_memory_within(big, SZ_1G, 2 * SZ_1G), SZ_1G + 2 * SZ_1M);
}

// v4.17: one section (32768 pages) or the whole node if smaller, whatever
// memblock holds reserved.
TEST(RuleStaticInit, OneSectionIsASectionOrTheWholeNode)
{
  memblock mb;
  reserve(mb, 4 * SZ_1G, 400 * SZ_1M);
  EXPECT_EQ(static_init::one_section.static_init_pgcnt(node(0x100000, 0x400000), mb), 32768u);
  EXPECT_EQ(static_init::one_section.static_init_pgcnt(node(0x4000000, 0x10000000), mb), 32768u);
  EXPECT_EQ(static_init::one_section.static_init_pgcnt(node(0x100000, 20000), mb), 20000u);
  EXPECT_EQ(static_init::one_section.static_init_pgcnt(node(0x100000, 32768), mb), 32768u);
}

}  // namespace
}  // namespace pginit::test
