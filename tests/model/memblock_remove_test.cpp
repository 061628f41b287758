// SPDX-License-Identifier: MIT
// memblock_remove / memblock_free / memblock_set_node / memblock_trim_memory:
// isolating ranges and splitting regions.
#include "memblock_test_util.h"

namespace pginit {
namespace {

using test::expect_region;
using test::expect_well_formed;
using test::MAX_NUMNODES;

//  |  +-------r1--------+  |
//  |  |    |xxxxx|      |  |   remove a hole from the middle of r1
//  Expect two regions around the hole and total_size reduced by its size.
TEST(MemblockRemove, MiddleSplitsRegion)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x4000);
  ASSERT_EQ(memblock_remove(mb, 0x2000, 0x1000), 0);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  expect_region(mb.memory, 0, 0x1000, 0x1000);
  expect_region(mb.memory, 1, 0x3000, 0x2000);
  EXPECT_EQ(mb.memory.total_size, 0x3000u);
  expect_well_formed(mb.memory);
}

TEST(MemblockRemove, HeadAndTail)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x4000);
  memblock_remove(mb, 0x0, 0x2000);     // overlaps the head
  memblock_remove(mb, 0x4000, 0x8000);  // overlaps the tail
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x2000, 0x2000);
}

// Removing a range that spans several regions deletes them all and trims
// the ones it cuts into.
TEST(MemblockRemove, SpanningSeveralRegions)
{
  memblock mb;
  memblock_add_node(mb, 0x1000, 0x1000, 0);
  memblock_add_node(mb, 0x3000, 0x1000, 1);
  memblock_add_node(mb, 0x5000, 0x1000, 2);
  memblock_remove(mb, 0x1800, 0x4000);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  expect_region(mb.memory, 0, 0x1000, 0x800);
  expect_region(mb.memory, 1, 0x5800, 0x800);
  EXPECT_EQ(mb.memory.regions[0].nid, 0);
  EXPECT_EQ(mb.memory.regions[1].nid, 2);
}

// Emptying a type brings back the dummy entry, now with nid MAX_NUMNODES.
TEST(MemblockRemove, EverythingRestoresDummy)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x1000);
  memblock_add(mb, 0x3000, 0x1000);
  memblock_remove(mb, 0, 0x10000);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  EXPECT_TRUE(mb.memory.empty());
  EXPECT_EQ(mb.memory.regions[0].nid, MAX_NUMNODES);
  EXPECT_EQ(mb.memory.total_size, 0u);
}

// memblock_free works on memblock.reserved the same way.
TEST(MemblockFree, SplitsReservedRegion)
{
  memblock mb;
  memblock_reserve(mb, 0x1000, 0x4000);
  ASSERT_EQ(memblock_free(mb, 0x2000, 0x1000), 0);
  ASSERT_EQ(mb.reserved.cnt(), 2u);
  expect_region(mb.reserved, 0, 0x1000, 0x1000);
  expect_region(mb.reserved, 1, 0x3000, 0x2000);
  EXPECT_EQ(memblock_reserved_size(mb), 0x3000u);
  EXPECT_TRUE(mb.memory.empty());  // memory untouched
}

// Freeing something that was never reserved changes nothing.
TEST(MemblockFree, UnreservedRangeIsNoop)
{
  memblock mb;
  memblock_reserve(mb, 0x1000, 0x1000);
  memblock_free(mb, 0x8000, 0x1000);
  ASSERT_EQ(mb.reserved.cnt(), 1u);
  expect_region(mb.reserved, 0, 0x1000, 0x1000);
}

// memblock_set_node splits at the node boundary and merges what agrees.
TEST(MemblockSetNode, SplitsAtBoundaryAndMerges)
{
  memblock mb;
  memblock_add(mb, 0x0, 0x10000);
  memblock_set_node(mb, 0x0, 0x8000, mb.memory, 0);
  memblock_set_node(mb, 0x8000, 0x8000, mb.memory, 1);
  ASSERT_EQ(mb.memory.cnt(), 2u);
  expect_region(mb.memory, 0, 0x0, 0x8000);
  expect_region(mb.memory, 1, 0x8000, 0x8000);
  EXPECT_EQ(mb.memory.regions[0].nid, 0);
  EXPECT_EQ(mb.memory.regions[1].nid, 1);
  memblock_set_node(mb, 0x0, PHYS_ADDR_MAX, mb.memory, 0);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_well_formed(mb.memory);
}

// Partial pages go; regions with no whole page vanish. Like v4.17, the trim
// does not update total_size (the memblock=debug "memory size" keeps them).
TEST(MemblockTrimMemory, RoundsInwardAndKeepsTotalSize)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x9ec00);  // [0x1000, 0x9fc00)
  memblock_add(mb, 0xa0100, 0x200);   // no whole page
  memblock_add(mb, 0x100800, 0x1000); // straddles one page boundary, no whole page
  const phys_addr_t before = mb.memory.total_size;
  memblock_trim_memory(mb, PAGE_SIZE);
  ASSERT_EQ(mb.memory.cnt(), 1u);
  expect_region(mb.memory, 0, 0x1000, 0x9e000);
  EXPECT_EQ(mb.memory.total_size, before - 0x200 - 0x1000);
}

}  // namespace
}  // namespace pginit
