// SPDX-License-Identifier: MIT
// memblock_add / memblock_add_node / memblock_reserve: inserting and merging.
#include "memblock_test_util.h"

namespace pginit {
namespace {

using test::expect_region;
using test::expect_well_formed;
using test::MAX_NUMNODES;

// A fresh type holds one zero-sized dummy entry. Adding to it overwrites the
// dummy: expect cnt 1, the new range, and nid MAX_NUMNODES from memblock_add.
TEST(MemblockAdd, IntoEmptyOverwritesDummy)
{
  memblock mb;
  EXPECT_EQ(mb.memory.cnt(), 1u);
  EXPECT_EQ(mb.memory.regions[0].size, 0u);
  ASSERT_EQ(memblock_add(mb, 0x1000, 0x2000), 0);
  EXPECT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x2000);
  EXPECT_EQ(mb.memory.regions[0].nid, MAX_NUMNODES);
  EXPECT_EQ(mb.memory.total_size, 0x2000u);
}

//  |  +----+----+   |      two ranges that touch
//  |  | r1 | r2 |   |      expect one region [r1.base, r2.end)
TEST(MemblockAdd, AdjacentRangesMerge)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x1000);
  memblock_add(mb, 0x2000, 0x1000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x2000);
  expect_well_formed(mb.memory);
}

// The same, added in the other order.
TEST(MemblockAdd, AdjacentBelowMerges)
{
  memblock mb;
  memblock_add(mb, 0x2000, 0x1000);
  memblock_add(mb, 0x1000, 0x1000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x2000);
}

//  |  +-----+--+-----+   |   r2 overlaps the top of r1
//  |  |  r1 |  |  r2 |   |   expect one region, total_size counting each byte once
TEST(MemblockAdd, OverlappingTopMerges)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x2000);
  memblock_add(mb, 0x2000, 0x3000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x4000);
  EXPECT_EQ(mb.memory.total_size, 0x4000u);
}

// A range inside an existing region changes nothing.
TEST(MemblockAdd, ContainedRangeIsNoop)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x4000);
  memblock_add(mb, 0x2000, 0x1000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x4000);
  EXPECT_EQ(mb.memory.total_size, 0x4000u);
}

//  |  +----+   +----+  |      r3 bridges the gap between r1 and r2
//  |  | r1 |   | r2 |  |      expect a single region from r1.base to r2.end
//  |    +--r3----+     |
TEST(MemblockAdd, BridgingRangeMergesThree)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x1000);
  memblock_add(mb, 0x3000, 0x1000);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  memblock_add(mb, 0x1800, 0x2000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x3000);
  expect_well_formed(mb.memory);
}

// Regions are kept sorted whatever the insertion order.
TEST(MemblockAdd, OutOfOrderInsertsSorted)
{
  memblock mb;
  memblock_add(mb, 0x9000, 0x1000);
  memblock_add(mb, 0x1000, 0x1000);
  memblock_add(mb, 0x5000, 0x1000);
  ASSERT_EQ(mb.memory.cnt(), 3u);
  expect_region(mb.memory, 0, 0x1000, 0x1000);
  expect_region(mb.memory, 1, 0x5000, 0x1000);
  expect_region(mb.memory, 2, 0x9000, 0x1000);
  expect_well_formed(mb.memory);
}

// Touching ranges on different nodes stay apart.
TEST(MemblockAdd, DifferentNidNotMerged)
{
  memblock mb;
  memblock_add_node(mb, 0x1000, 0x1000, 0);
  memblock_add_node(mb, 0x2000, 0x1000, 1);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  EXPECT_EQ(mb.memory.regions[0].nid, 0);
  EXPECT_EQ(mb.memory.regions[1].nid, 1);
  expect_well_formed(mb.memory);
}

// Overlap with a region of another node: the existing region keeps its node
// and size; only the uncovered part is inserted, with the new node.
TEST(MemblockAdd, OverlapLeavesExistingRegionAlone)
{
  memblock mb;
  memblock_add_node(mb, 0x1000, 0x2000, 0);
  memblock_add_node(mb, 0x2000, 0x2000, 1);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  expect_region(mb.memory, 0, 0x1000, 0x2000);
  expect_region(mb.memory, 1, 0x3000, 0x1000);
  EXPECT_EQ(mb.memory.regions[0].nid, 0);
  EXPECT_EQ(mb.memory.regions[1].nid, 1);
}

// Touching ranges with different flags stay apart; equal flags merge back.
TEST(MemblockAdd, DifferentFlagsNotMerged)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x3000);
  ASSERT_EQ(memblock_mark_nomap(mb, 0x2000, 0x1000), 0);
  ASSERT_EQ(mb.memory.cnt(), 3u);
  EXPECT_EQ(mb.memory.regions[1].flags, MEMBLOCK_NOMAP);
  expect_well_formed(mb.memory);
  ASSERT_EQ(memblock_clear_nomap(mb, 0x2000, 0x1000), 0);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x3000);
}

// memblock.reserved does not have to lie inside memblock.memory.
TEST(MemblockReserve, OutsideMemoryIsKept)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x100000);
  ASSERT_EQ(memblock_reserve(mb, 0x9f000, 0x61000), 0);
  expect_region(mb.reserved, 0, 0x9f000, 0x61000);
  expect_region(mb.memory, 0, 0x100000, 0x100000);
  EXPECT_TRUE(memblock_is_region_reserved(mb, 0xa0000, 0x1000));
  EXPECT_FALSE(memblock_is_memory(mb, 0xa0000));
}

// base + size past the top of the address space is capped, not wrapped.
TEST(MemblockAdd, SizeCappedAtTopOfAddressSpace)
{
  memblock mb;
  memblock_add(mb, PHYS_ADDR_MAX - 0xfff, 0x10000);
  expect_region(mb.memory, 0, PHYS_ADDR_MAX - 0xfff, 0xfff);
}

}  // namespace
}  // namespace pginit
