// SPDX-License-Identifier: MIT
// memblock_double_array: growing the region arrays past INIT_MEMBLOCK_REGIONS.
#include <cerrno>

#include "memblock_test_util.h"

namespace pginit {
namespace {

using test::expect_well_formed;

// Reserve n disjoint pages starting at base, one page apart.
int reserve_scattered(memblock& mb, phys_addr_t base, unsigned n)
{
  for (unsigned i = 0; i < n; i++) {
    const int ret = memblock_reserve(mb, base + i * 2 * PAGE_SIZE, PAGE_SIZE);
    if (ret != 0) return ret;
  }
  return 0;
}

// Before memblock_allow_resize() the 128 static entries are all there is:
// the 129th region fails with -ENOMEM and nothing changes.
TEST(MemblockDoubleArray, RefusedBeforeAllowResize)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0x10000000);
  ASSERT_EQ(reserve_scattered(mb, 0x200000, 128), 0);
  EXPECT_EQ(mb.reserved.cnt(), 128u);
  EXPECT_EQ(memblock_reserve(mb, 0x8000000, PAGE_SIZE), -ENOMEM);
  EXPECT_EQ(mb.reserved.cnt(), 128u);
  EXPECT_EQ(mb.reserved.max, INIT_MEMBLOCK_REGIONS);
  expect_well_formed(mb.reserved);
}

// After it, the array doubles: the new array (256 x 32 bytes = 2 pages) is
// allocated top-down from memblock and shows up in memblock.reserved.
TEST(MemblockDoubleArray, ReservedDoublesAndReservesNewArray)
{
  RecordingPrintk log;
  memblock mb(64, log);
  mb.debug = true;
  memblock_add(mb, 0x100000, 0xff00000);  // [1M, 256M)
  memblock_allow_resize(mb);
  ASSERT_EQ(reserve_scattered(mb, 0x200000, 200), 0);
  EXPECT_EQ(mb.reserved.max, 256u);
  EXPECT_EQ(mb.reserved.array_phys, 0xfffe000u);
  EXPECT_TRUE(memblock_is_region_reserved(mb, 0xfffe000, 0x2000));
  EXPECT_EQ(mb.reserved.cnt(), 201u);  // 200 pages + the array itself
  expect_well_formed(mb.reserved);
  // The default dialect is v4.17's: "[%#010llx-%#010llx]" (memblock_dialect_test has v4.19's %pa).
  const std::string doubled = "memblock: reserved is doubled to 256 at [0x0fffe000-0x0fffffff]";
  EXPECT_NE(std::find(log.lines.begin(), log.lines.end(), doubled), log.lines.end());
}

// Doubling again frees the previous (memblock-allocated) array and reserves
// the new, twice as large one.
TEST(MemblockDoubleArray, SecondDoublingFreesPreviousArray)
{
  memblock mb;
  memblock_add(mb, 0x100000, 0xff00000);
  memblock_allow_resize(mb);
  ASSERT_EQ(reserve_scattered(mb, 0x200000, 300), 0);
  EXPECT_EQ(mb.reserved.max, 512u);
  EXPECT_EQ(mb.reserved.array_phys, 0xfffa000u);
  EXPECT_TRUE(memblock_is_region_reserved(mb, 0xfffa000, 0x4000));
  EXPECT_FALSE(memblock_is_region_reserved(mb, 0xfffe000, 0x2000));
  EXPECT_EQ(mb.reserved.cnt(), 301u);
  expect_well_formed(mb.reserved);
}

// The memory array doubles too; its new array is reserved (not added to memory).
TEST(MemblockDoubleArray, MemoryArrayDoubles)
{
  memblock mb;
  memblock_allow_resize(mb);
  for (unsigned i = 0; i < 130; i++) ASSERT_EQ(memblock_add(mb, 0x100000 + i * 0x200000, 0x100000), 0);
  EXPECT_EQ(mb.memory.cnt(), 130u);
  EXPECT_EQ(mb.memory.max, 256u);
  // Doubling happened while adding region 128: top-down from the highest of
  // the 128 regions that existed then.
  const phys_addr_t top = 0x100000 + 127 * 0x200000 + 0x100000;
  EXPECT_EQ(mb.memory.array_phys, top - 0x2000);
  EXPECT_TRUE(memblock_is_region_reserved(mb, top - 0x2000, 0x2000));
  expect_well_formed(mb.memory);
}

// No room for a doubled array: -ENOMEM and the kernel's error line.
TEST(MemblockDoubleArray, FailsWithoutFreeMemory)
{
  RecordingPrintk log;
  memblock mb(64, log);
  memblock_allow_resize(mb);
  ASSERT_EQ(reserve_scattered(mb, 0x200000, 128), 0);
  EXPECT_EQ(memblock_reserve(mb, 0x8000000, PAGE_SIZE), -ENOMEM);
  ASSERT_FALSE(log.lines.empty());
  EXPECT_EQ(log.lines.back(), "memblock: Failed to double reserved array from 128 to 256 entries !");
}

}  // namespace
}  // namespace pginit
