// SPDX-License-Identifier: MIT
// memblock_find_in_range_node / memblock_alloc_* / memblock_virt_alloc_try_nid_*:
// where allocations land, top-down and bottom-up, and the whole state they
// leave behind (cf. tools/testing/memblock/tests/alloc_*api.c): after every
// allocation, every reserved region, reserved.cnt, reserved.total_size, and
// memory left as it was added.
//
// Every expected address below is worked out by hand from the rules of
// mm/memblock.c v4.17 (memblock_find_in_range_node and the two
// __memblock_find_range_* helpers):
//  - start is raised to PAGE_SIZE (the first page is never handed out), end
//    MEMBLOCK_ALLOC_ACCESSIBLE (0) means memblock.current_limit;
//  - top-down: walk the free ranges (memory minus reserved, one memory region
//    at a time) from the highest; clamp each to [start, end); take
//    round_down(this_end - size, align) if it is still >= this_start;
//  - bottom-up (only when end > kernel_end): walk them from the lowest,
//    clamped to [max(start, kernel_end), end); take round_up(this_start,
//    align) if size bytes fit below this_end; if nothing fits, fall back to
//    top-down over the full [start, end);
//  - the virt allocators clamp max_addr to current_limit, turn align 0 into
//    SMP_CACHE_BYTES, and retry: nid, any node, then min_addr dropped to 0,
//    then without MEMBLOCK_MIRROR.
#include "memblock_test_util.h"
#include "include/linux/panic.h"

namespace pginit {
namespace {

using test::expect_memory_state;
using test::expect_reserved_state;
using test::region_list;

enum class Direction { top_down, bottom_up };

void PrintTo(Direction d, std::ostream* os) { *os << (d == Direction::top_down ? "top-down" : "bottom-up"); }

// One memory block of 1 MiB at 1 MiB, used by most tests.
constexpr phys_addr_t MEM_BASE = 0x100000;
constexpr phys_addr_t MEM_SIZE = 0x100000;

phys_addr_t alloc_nopanic(memblock& mb, phys_addr_t size, phys_addr_t align, phys_addr_t min = 0,
                          phys_addr_t max = MEMBLOCK_ALLOC_ACCESSIBLE, int nid = NUMA_NO_NODE)
{
  return memblock_virt_alloc_try_nid_nopanic(mb, size, align, min, max, nid);
}

// Every test runs once per direction; each gives the answer for both, worked
// out by hand, and the fixture picks the one for the direction under test.
class MemblockAlloc : public ::testing::TestWithParam<Direction> {
 protected:
  void SetUp() override { memblock_set_bottom_up(mb, GetParam() == Direction::bottom_up); }

  bool top_down() const { return GetParam() == Direction::top_down; }

  phys_addr_t want(phys_addr_t if_top_down, phys_addr_t if_bottom_up) const
  {
    return top_down() ? if_top_down : if_bottom_up;
  }

  void expect_reserved(region_list if_top_down, region_list if_bottom_up) const
  {
    expect_reserved_state(mb, top_down() ? if_top_down : if_bottom_up);
  }

  memblock mb;
};

// |   +------------------ memory ------------------+   |
// |   |xxxx|                                  |xxxx|   |
//      ^ bottom-up                        top-down ^
TEST_P(MemblockAlloc, TakesTheEdgeBlockAndReservesIt)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1ff000, 0x100000));
  expect_reserved({{0x1ff000, 0x1000}}, {{0x100000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// The second block lands right next to the first and merges with it.
TEST_P(MemblockAlloc, NextBlockMergesWithThePrevious)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1ff000, 0x100000));
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1fe000, 0x101000));
  expect_reserved({{0x1fe000, 0x2000}}, {{0x100000, 0x2000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Memory [0x100800, 0x1ff800), 64 KiB alignment:
// top-down round_down(0x1ff800 - 0x100, 64K), bottom-up round_up(0x100800, 64K).
TEST_P(MemblockAlloc, RoundsToTheAlignment)
{
  memblock_add(mb, 0x100800, 0xff000);
  EXPECT_EQ(alloc_nopanic(mb, 0x100, 0x10000), want(0x1f0000, 0x110000));
  expect_reserved({{0x1f0000, 0x100}}, {{0x110000, 0x100}});
  expect_memory_state(mb, {{0x100800, 0xff000}});
}

// align 0 means SMP_CACHE_BYTES (64), in the virt allocators and in
// memblock_alloc_range_nid alike. Memory [0x100010, 0x1ffff0).
TEST_P(MemblockAlloc, AlignZeroMeansCacheLine)
{
  memblock_add(mb, 0x100010, 0xfffe0);
  // top-down: round_down(0x1ffff0 - 0x10, 64); bottom-up: round_up(0x100010, 64).
  EXPECT_EQ(alloc_nopanic(mb, 0x10, 0), want(0x1fffc0, 0x100040));
  expect_reserved({{0x1fffc0, 0x10}}, {{0x100040, 0x10}});
  // top-down: [0x1fffd0, 0x1ffff0) has no 64-aligned slot, so
  //   round_down(0x1fffc0 - 0x10, 64) = 0x1fff80 in the range below;
  // bottom-up: [0x100010, 0x100040) has none, so round_up(0x100050, 64).
  EXPECT_EQ(memblock_alloc_range_nid(mb, 0x10, 0, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE,
                                     MEMBLOCK_NONE),
            want(0x1fff80, 0x100080));
  expect_reserved({{0x1fff80, 0x10}, {0x1fffc0, 0x10}}, {{0x100040, 0x10}, {0x100080, 0x10}});
  expect_memory_state(mb, {{0x100010, 0xfffe0}});
}

// A 2 KiB block with 4 KiB alignment leaves a 2 KiB hole that the next one
// cannot use: the two reservations stay apart (cnt 2).
TEST_P(MemblockAlloc, AlignmentHoleKeepsReservationsApart)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x800, 0x1000), want(0x1ff000, 0x100000));
  expect_reserved({{0x1ff000, 0x800}}, {{0x100000, 0x800}});
  // top-down: [0x1ff800, 0x200000) gives round_down(0x1ff800, 4K) = 0x1ff000,
  //   below its start, so the next range down: round_down(0x1ff000 - 0x800, 4K);
  // bottom-up: round_up(0x100800, 4K).
  EXPECT_EQ(alloc_nopanic(mb, 0x800, 0x1000), want(0x1fe000, 0x101000));
  expect_reserved({{0x1fe000, 0x800}, {0x1ff000, 0x800}}, {{0x100000, 0x800}, {0x101000, 0x800}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Three memory regions; the outer two are exactly 16 KiB long but not 16 KiB
// aligned, so a 16 KiB-aligned 16 KiB block fits only in the middle one.
//   A [0x101000, 0x105000): round_up(0x101000, 16K) = 0x104000, 4 KiB left
//   B [0x200000, 0x210000)
//   C [0x301000, 0x305000): round_down(0x305000 - 16K, 16K) = 0x300000 < start
TEST_P(MemblockAlloc, SkipsRegionsTooSmallAfterAlignment)
{
  memblock_add(mb, 0x101000, 0x4000);
  memblock_add(mb, 0x200000, 0x10000);
  memblock_add(mb, 0x301000, 0x4000);
  EXPECT_EQ(alloc_nopanic(mb, 0x4000, 0x4000), want(0x20c000, 0x200000));
  expect_reserved({{0x20c000, 0x4000}}, {{0x200000, 0x4000}});
  expect_memory_state(mb, {{0x101000, 0x4000}, {0x200000, 0x10000}, {0x301000, 0x4000}});
}

// |   +---------------- memory ----------------+   |
// |   |rrrr|                              |rrrr|   |
// The block lands next to the reservation on its side and merges with it:
// cnt stays 2, the merged region grows by the block.
TEST_P(MemblockAlloc, SkipsReservedRangesAndMergesWithTheNeighbour)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  memblock_reserve(mb, 0x100000, 0x10000);
  memblock_reserve(mb, 0x1f0000, 0x10000);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1ef000, 0x110000));
  expect_reserved({{0x100000, 0x10000}, {0x1ef000, 0x11000}},
                  {{0x100000, 0x11000}, {0x1f0000, 0x10000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Free: a 4 KiB gap [0x140000, 0x141000) and a 2 KiB gap [0x1c0000, 0x1c0800).
// A 4 KiB block only fits in the first one, in both directions, and merges the
// reservations on both its sides into one: cnt 3 -> 2.
TEST_P(MemblockAlloc, FillsAnExactGapAndMergesBothNeighbours)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  memblock_reserve(mb, 0x100000, 0x40000);
  memblock_reserve(mb, 0x141000, 0x7f000);
  memblock_reserve(mb, 0x1c0800, 0x3f800);
  expect_reserved_state(mb, {{0x100000, 0x40000}, {0x141000, 0x7f000}, {0x1c0800, 0x3f800}});
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0x140000u);
  expect_reserved_state(mb, {{0x100000, 0xc0000}, {0x1c0800, 0x3f800}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// min_addr / max_addr bound the block; unaligned bounds are rounded inwards:
// top-down round_down(0x15f800 - 0x1000, 4K), bottom-up round_up(0x150800, 4K).
TEST_P(MemblockAlloc, StaysWithinMinAndMax)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0x150800, 0x15f800), want(0x15e000, 0x151000));
  expect_reserved({{0x15e000, 0x1000}}, {{0x151000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// memblock_alloc_range_nid has no fallback: 8 KiB in a 4 KiB window fails
// and reserves nothing.
TEST_P(MemblockAlloc, AllocRangeFailsWhenTheWindowIsTooSmall)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(memblock_alloc_range_nid(mb, 0x2000, 0x1000, 0x150000, 0x151000, NUMA_NO_NODE,
                                     MEMBLOCK_NONE),
            0u);
  expect_reserved_state(mb, {});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// The virt allocators drop min_addr when nothing fits above it, but keep
// max_addr: the retry runs over [PAGE_SIZE, 0x151000).
TEST_P(MemblockAlloc, DropsMinAddrButKeepsMaxAddr)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x2000, 0x1000, 0x150000, 0x151000), want(0x14f000, 0x100000));
  expect_reserved({{0x14f000, 0x2000}}, {{0x100000, 0x2000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// A min_addr above all memory is dropped, and the block lands as if it were 0.
TEST_P(MemblockAlloc, DropsMinAddrAboveAllMemory)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0x300000), want(0x1ff000, 0x100000));
  expect_reserved({{0x1ff000, 0x1000}}, {{0x100000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Exhaustion: 0, and the whole state as it was. Then the exact remainder
// fits, and after it nothing does; the panicking variant panics and also
// leaves everything as it was.
TEST_P(MemblockAlloc, ExhaustionReturnsZeroAndChangesNothing)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  memblock_reserve(mb, 0x100000, 0x80000);
  EXPECT_EQ(alloc_nopanic(mb, 0x81000, 0x1000), 0u);
  expect_reserved_state(mb, {{0x100000, 0x80000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});

  EXPECT_EQ(alloc_nopanic(mb, 0x80000, 0x1000), 0x180000u);
  expect_reserved_state(mb, {{0x100000, 0x100000}});

  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0u);
  EXPECT_THROW(memblock_virt_alloc(mb, 0x1000, 0x1000), KernelPanic);
  EXPECT_EQ(memblock_alloc_nid(mb, 0x1000, 0x1000, NUMA_NO_NODE), 0u);
  expect_reserved_state(mb, {{0x100000, 0x100000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// No memory at all: 0, and both types still hold only their dummy entry.
TEST_P(MemblockAlloc, ExhaustionOnEmptyMemblock)
{
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0u);
  expect_reserved_state(mb, {});
  expect_memory_state(mb, {});
}

// The first page is never handed out, even when it is free memory:
// top-down takes 0x2000 then 0x1000, bottom-up 0x1000 then 0x2000, and then
// both fail although [0, 0x1000) is still free.
TEST_P(MemblockAlloc, NeverHandsOutTheFirstPage)
{
  memblock_add(mb, 0x0, 0x3000);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x2000, 0x1000));
  expect_reserved({{0x2000, 0x1000}}, {{0x1000, 0x1000}});
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1000, 0x2000));
  expect_reserved_state(mb, {{0x1000, 0x2000}});
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0u);
  expect_reserved_state(mb, {{0x1000, 0x2000}});
  expect_memory_state(mb, {{0x0, 0x3000}});
}

// 16 MiB of memory, [0x1000, 0x80000) reserved, current_limit 1 MiB. The
// virt allocators cap every max_addr to the limit: accessible (0), an explicit
// max above it, and MEMBLOCK_ALLOC_ANYWHERE alike.
TEST_P(MemblockAlloc, CurrentLimitCapsTheVirtAllocators)
{
  memblock_add(mb, 0x1000, 0x1000000);
  memblock_reserve(mb, 0x1000, 0x7f000);
  memblock_set_current_limit(mb, 0x100000);

  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0xff000, 0x80000));
  expect_reserved({{0x1000, 0x7f000}, {0xff000, 0x1000}}, {{0x1000, 0x80000}});

  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, 0x800000), want(0xfe000, 0x81000));
  expect_reserved({{0x1000, 0x7f000}, {0xfe000, 0x2000}}, {{0x1000, 0x81000}});

  EXPECT_EQ(memblock_virt_alloc(mb, 0x1000, 0x1000), want(0xfd000, 0x82000));
  expect_reserved({{0x1000, 0x7f000}, {0xfd000, 0x3000}}, {{0x1000, 0x82000}});

  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ANYWHERE), want(0xfc000, 0x83000));
  expect_reserved({{0x1000, 0x7f000}, {0xfc000, 0x4000}}, {{0x1000, 0x83000}});
  expect_memory_state(mb, {{0x1000, 0x1000000}});
}

// Below current_limit only [0xff800, 0x100000) is free: 2 KiB, no aligned
// 4 KiB block. The allocation fails although 15 MiB above the limit are free.
TEST_P(MemblockAlloc, CurrentLimitExhaustionIgnoresMemoryAboveIt)
{
  memblock_add(mb, 0x1000, 0x1000000);
  memblock_reserve(mb, 0x1000, 0xfe800);
  memblock_set_current_limit(mb, 0x100000);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0u);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, 0x800000), 0u);
  expect_reserved_state(mb, {{0x1000, 0xfe800}});
  expect_memory_state(mb, {{0x1000, 0x1000000}});
}

// memblock_alloc_base_nid (memblock_alloc_base) only reads current_limit when
// max_addr is MEMBLOCK_ALLOC_ACCESSIBLE; an explicit max_addr goes past it.
TEST_P(MemblockAlloc, AllocBaseWithExplicitMaxIgnoresCurrentLimit)
{
  memblock_add(mb, 0x1000, 0x1000000);
  memblock_reserve(mb, 0x1000, 0xff000);  // everything below the limit
  memblock_set_current_limit(mb, 0x100000);
  EXPECT_EQ(memblock_alloc_nid(mb, 0x1000, 0x1000, NUMA_NO_NODE), 0u);
  expect_reserved_state(mb, {{0x1000, 0xff000}});

  EXPECT_EQ(memblock_alloc_base_nid(mb, 0x1000, 0x1000, 0x800000, NUMA_NO_NODE, MEMBLOCK_NONE),
            want(0x7ff000, 0x100000));
  expect_reserved({{0x1000, 0xff000}, {0x7ff000, 0x1000}}, {{0x1000, 0x100000}});
  expect_memory_state(mb, {{0x1000, 0x1000000}});
}

// memblock_find_in_range only finds: the same answer twice, nothing reserved.
TEST_P(MemblockAlloc, FindInRangeReservesNothing)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  EXPECT_EQ(memblock_find_in_range(mb, 0, MEMBLOCK_ALLOC_ANYWHERE, 0x1000, 0x1000),
            want(0x1ff000, 0x100000));
  EXPECT_EQ(memblock_find_in_range(mb, 0, MEMBLOCK_ALLOC_ANYWHERE, 0x1000, 0x1000),
            want(0x1ff000, 0x100000));
  expect_reserved_state(mb, {});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Node 0: [0x100000, 0x110000) (64 KiB); node 1: [0x200000, 0x300000).
// The requested node is searched first; when it cannot hold the block, any node.
TEST_P(MemblockAlloc, PrefersTheNodeThenFallsBackToAnyNode)
{
  memblock_add_node(mb, 0x100000, 0x10000, 0);
  memblock_add_node(mb, 0x200000, 0x100000, 1);

  // Top-down on node 0 is not the global top, bottom-up on node 1 not the global bottom.
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0),
            want(0x10f000, 0x100000));
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 1),
            want(0x2ff000, 0x200000));
  expect_reserved({{0x10f000, 0x1000}, {0x2ff000, 0x1000}},
                  {{0x100000, 0x1000}, {0x200000, 0x1000}});

  // 128 KiB does not fit in node 0: it goes to node 1 and merges there.
  // Bottom-up skips node 0's [0x101000, 0x110000) (60 KiB) for 0x201000.
  EXPECT_EQ(alloc_nopanic(mb, 0x20000, 0x1000, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 0),
            want(0x2df000, 0x201000));
  expect_reserved({{0x10f000, 0x1000}, {0x2df000, 0x21000}},
                  {{0x100000, 0x1000}, {0x200000, 0x21000}});
  expect_memory_state(mb, {{0x100000, 0x10000}, {0x200000, 0x100000}});
}

// The ladder tries "any node, same min_addr" before "dropped min_addr": with
// min 0x250000, a node-0 request lands on node 1 above min, not at the top of
// node 0.
TEST_P(MemblockAlloc, NodeFallbackKeepsMinAddrBeforeDroppingIt)
{
  memblock_add_node(mb, 0x100000, 0x100000, 0);
  memblock_add_node(mb, 0x200000, 0x100000, 1);
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0x250000, MEMBLOCK_ALLOC_ACCESSIBLE, 0),
            want(0x2ff000, 0x250000));
  expect_reserved({{0x2ff000, 0x1000}}, {{0x250000, 0x1000}});
  expect_memory_state(mb, {{0x100000, 0x100000}, {0x200000, 0x100000}});
}

// memblock_alloc_nid has no node fallback (memblock_alloc_try_nid adds it).
TEST_P(MemblockAlloc, AllocNidDoesNotFallBackToOtherNodes)
{
  memblock_add_node(mb, 0x100000, 0x10000, 0);
  memblock_add_node(mb, 0x200000, 0x100000, 1);
  EXPECT_EQ(memblock_alloc_nid(mb, 0x20000, 0x1000, 0), 0u);
  expect_reserved_state(mb, {});
  EXPECT_EQ(memblock_alloc_nid(mb, 0x20000, 0x1000, 1), want(0x2e0000, 0x200000));
  expect_reserved({{0x2e0000, 0x20000}}, {{0x200000, 0x20000}});
  expect_memory_state(mb, {{0x100000, 0x10000}, {0x200000, 0x100000}});
}

// With mirrored memory the first try is mirrored memory only; when that fails
// the flag is dropped and all memory is searched. The free ranges stay split
// at the memory region boundary: bottom-up skips [0x101000, 0x110000) (60 KiB)
// even though [0x110000, ...) follows it directly.
TEST_P(MemblockAlloc, MirrorFirstThenAnyMemory)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  memblock_mark_mirror(mb, 0x100000, 0x10000);
  expect_memory_state(mb, {{0x100000, 0x10000}, {0x110000, 0xf0000}});

  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x10f000, 0x100000));
  expect_reserved({{0x10f000, 0x1000}}, {{0x100000, 0x1000}});

  EXPECT_EQ(alloc_nopanic(mb, 0x20000, 0x1000), want(0x1e0000, 0x110000));
  expect_reserved({{0x10f000, 0x1000}, {0x1e0000, 0x20000}},
                  {{0x100000, 0x1000}, {0x110000, 0x20000}});
  expect_memory_state(mb, {{0x100000, 0x10000}, {0x110000, 0xf0000}});
}

// kernel_end (__pa_symbol(_end)) is the floor of bottom-up allocation, rounded
// up to the alignment; top-down ignores it.
TEST_P(MemblockAlloc, KernelEndIsTheBottomUpFloor)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  mb.kernel_end = 0x150800;
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), want(0x1ff000, 0x151000));
  expect_reserved({{0x1ff000, 0x1000}}, {{0x151000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// A min_addr above kernel_end is the bottom-up floor instead.
TEST_P(MemblockAlloc, MinAddrAboveKernelEndIsTheBottomUpFloor)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  mb.kernel_end = 0x150000;
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0x180800), want(0x1ff000, 0x181000));
  expect_reserved({{0x1ff000, 0x1000}}, {{0x181000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// Nothing free above kernel_end: bottom-up falls back to top-down over the
// whole range (below the kernel), so both directions give the same block,
// merged with the reservation above it.
TEST_P(MemblockAlloc, NothingAboveKernelEndFallsBackToTopDown)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  memblock_reserve(mb, 0x180000, 0x80000);
  mb.kernel_end = 0x180000;
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000), 0x17f000u);
  expect_reserved_state(mb, {{0x17f000, 0x81000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

// max_addr below kernel_end: bottom-up is not even tried, the search is top-down.
TEST_P(MemblockAlloc, MaxAddrBelowKernelEndIsTopDown)
{
  memblock_add(mb, MEM_BASE, MEM_SIZE);
  mb.kernel_end = 0x1c0000;
  EXPECT_EQ(alloc_nopanic(mb, 0x1000, 0x1000, 0, 0x180000), 0x17f000u);
  expect_reserved_state(mb, {{0x17f000, 0x1000}});
  expect_memory_state(mb, {{MEM_BASE, MEM_SIZE}});
}

std::string direction_name(const ::testing::TestParamInfo<Direction>& param_info)
{
  return param_info.param == Direction::top_down ? "TopDown" : "BottomUp";
}

INSTANTIATE_TEST_SUITE_P(Memblock, MemblockAlloc,
                         ::testing::Values(Direction::top_down, Direction::bottom_up),
                         direction_name);

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
