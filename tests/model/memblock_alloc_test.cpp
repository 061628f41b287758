// SPDX-License-Identifier: MIT
// memblock_find_in_range_node / memblock_virt_alloc_try_nid_*: where
// allocations land, top-down and bottom-up.
#include "memblock_test_util.h"

namespace pginit {
namespace {

using test::expect_region;

phys_addr_t alloc_any(memblock& mb, phys_addr_t size, phys_addr_t align, phys_addr_t min = 0,
                      phys_addr_t max = MEMBLOCK_ALLOC_ACCESSIBLE, int nid = NUMA_NO_NODE)
{
  return memblock_virt_alloc_try_nid_nopanic(mb, size, align, min, max, nid);
}

//  |   +------------ memory ------------+   |
//  |   |                          |xxxx||   |  top-down takes the highest aligned block
TEST(MemblockAllocTopDown, TakesHighestAlignedBlockAndReservesIt)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x1ff000u);
  expect_region(mb.reserved, 0, 0x1ff000, 0x1000);
  // The next one lands right below and merges with it in reserved.
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x1fe000u);
  ASSERT_EQ(mb.reserved.cnt(), 1u);
  expect_region(mb.reserved, 0, 0x1fe000, 0x2000);
}

TEST(MemblockAllocTopDown, SkipsReservedRanges)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  memblock_reserve(mb, 0x1f0000, 0x10000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x1ef000u);
}

// The candidate is rounded down to the alignment inside the free range.
TEST(MemblockAllocTopDown, HonoursAlignment)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x100, 0x10000), 0x1f0000u);
  // ALIGN 0 means SMP_CACHE_BYTES (64): the top of the free range above it.
  EXPECT_EQ(alloc_any(mb, 0x10, 0), 0x1fffc0u);
}

// A free range too small for the aligned block is skipped for a lower one.
TEST(MemblockAllocTopDown, SkipsRangeTooSmallAfterAlignment)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x10000);  // [1M, 1M+64K)
  memblock_add(mb, 0x200000, 0x3000);   // [2M, 2M+12K): too small for 16K aligned 16K
  EXPECT_EQ(alloc_any(mb, 0x4000, 0x4000), 0x10c000u);
}

TEST(MemblockAllocTopDown, StaysInsideMinMax)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000, 0x150000, 0x160000), 0x15f000u);
}

// The first page is never handed out, even when it is free memory.
TEST(MemblockAllocTopDown, NeverReturnsFirstPage)
{
  memblock mb;
  memblock_add(mb, 0x0, 0x2000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x1000u);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0u);
  EXPECT_FALSE(memblock_is_region_reserved(mb, 0x0, 0x1000));
}

// Exhaustion: a clear 0, and nothing reserved.
TEST(MemblockAllocTopDown, ExhaustionReturnsZeroAndReservesNothing)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x200000, 0x1000), 0u);
  EXPECT_TRUE(mb.reserved.empty());
}

// The limit is memblock.current_limit when max is "accessible" (0).
TEST(MemblockAllocTopDown, RespectsCurrentLimit)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x1000000);
  memblock_set_current_limit(mb, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0xff000u);
  // An explicit max above the limit is clamped to it.
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000, 0, 0x800000), 0xfe000u);
}

// Bottom-up: the lowest block above the kernel image.
TEST(MemblockAllocBottomUp, TakesLowestBlockAboveKernel)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  memblock_set_bottom_up(mb, true);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x100000u);
  mb.kernel_end = 0x150800;
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x151000u);  // aligned up from _end
}

// When nothing fits above the kernel, bottom-up falls back to top-down.
TEST(MemblockAllocBottomUp, FallsBackToTopDown)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  memblock_reserve(mb, 0x180000, 0x80000);
  memblock_set_bottom_up(mb, true);
  mb.kernel_end = 0x180000;
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000), 0x17f000u);
}

// nid first, then any node.
TEST(MemblockAllocNid, PrefersNodeThenFallsBackToAnyNode)
{
  memblock mb;
  memblock_add_node(mb, 0x100000, 0x10000, 0);  // 64 KiB on node 0
  memblock_add_node(mb, 0x200000, 0x100000, 1);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0), 0x10f000u);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1), 0x2ff000u);
  // Node 0 cannot hold 128 KiB: the allocation moves to the top of node 1.
  EXPECT_EQ(alloc_any(mb, 0x20000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0), 0x2df000u);
}

// A min above all free memory is dropped (retried from 0).
TEST(MemblockAllocNid, MinAddrIsDroppedWhenNothingFitsAbove)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  EXPECT_EQ(alloc_any(mb, 0x1000, 0x1000, 0x300000), 0x1ff000u);
}

// The free ranges are memory minus reserved, per node, in address order.
TEST(MemblockFreeRanges, MemoryMinusReserved)
{
  memblock mb;
  memblock_add_node(mb, 0x1000, 0x9000, 0);
  memblock_add_node(mb, 0x10000, 0x10000, 1);
  memblock_reserve(mb, 0x2000, 0x1000);
  memblock_reserve(mb, 0x9000, 0x8000);  // spans the gap between the nodes
  const std::vector<mem_range> all = free_mem_ranges(mb, NUMA_NO_NODE, MEMBLOCK_NONE);
  const std::vector<mem_range> want{{0x1000, 0x2000, 0}, {0x3000, 0x9000, 0}, {0x11000, 0x20000, 1}};
  EXPECT_EQ(all, want);
  const std::vector<mem_range> node1{{0x11000, 0x20000, 1}};
  EXPECT_EQ(free_mem_ranges(mb, 1, MEMBLOCK_NONE), node1);
}

}  // namespace
}  // namespace pginit
