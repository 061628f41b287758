// SPDX-License-Identifier: MIT
// Pins two page allocator rules of mm/page_alloc.c that the other tests only
// brush against:
//  - calc_memmap_size() (free_area_init_core(), v4.17): the memmap a zone is
//    charged is spanned pages' worth, unless SPARSEMEM is on and the holes
//    are worth more than 1/16 of the present pages (spanned > present +
//    present / 16): then present pages' worth. 64-byte struct pages, rounded
//    up to whole pages.
//  - deferred_free_pages() / deferred_free_range() (v4.17): a whole aligned
//    pageblock is freed in one go at pageblock_order and marked
//    MIGRATE_MOVABLE; a partial pageblock is freed page by page (order 0),
//    and only a pfn at a pageblock's start marks the block MOVABLE. The buddy
//    allocator merges what it can afterwards.
#include <gtest/gtest.h>

#include <array>
#include <map>
#include <vector>

#include "boot_test_util.h"
#include "mm/page_alloc.h"

namespace pginit::test {
namespace {

// present 16000: present / 16 = 1000, so the threshold is spanned > 17000.
//   spanned 17000: not past it, spanned counts: ceil(17000 * 64 / 4096) = 266
//   spanned 17001: past it, present counts: 16000 * 64 / 4096 = 250
// FLATMEM always pays for the spanned pages.
TEST(RuleMemmapSize, HolesBeyondOneSixteenthUsePresentPages)
{
  static_assert(sizeof(page) == 64);
  EXPECT_EQ(calc_memmap_size(17000, 16000, true), 266u);
  EXPECT_EQ(calc_memmap_size(17001, 16000, true), 250u);
  EXPECT_EQ(calc_memmap_size(17001, 16000, false), 266u);
  EXPECT_EQ(calc_memmap_size(17000, 16000, false), 266u);
  // Just below 1/8 of holes: still "more than 1/16".
  EXPECT_EQ(calc_memmap_size(17999, 16000, true), 250u);
  // No holes at all: spanned = present.
  EXPECT_EQ(calc_memmap_size(16000, 16000, true), 250u);
  // Half holes: 2^20 spanned, 2^19 present.
  EXPECT_EQ(calc_memmap_size(1u << 20, 1u << 19, true), 8192u);
  EXPECT_EQ(calc_memmap_size(1u << 20, 1u << 19, false), 16384u);
  // present 64: present / 16 = 4; spanned 68 is not past, 69 is.
  EXPECT_EQ(calc_memmap_size(68, 64, true), 2u);
  EXPECT_EQ(calc_memmap_size(69, 64, true), 1u);
}

const std::string MACHINE = small_guest("one-gib", "v4.17",
                                         "NUMA: n, SPARSEMEM_VMEMMAP: y, DEFERRED_STRUCT_PAGE_INIT: y, HUGETLB_PAGE: y");

// (order, migratetype) -> block head pfns in [lo, hi) on that free list.
std::map<std::pair<unsigned, unsigned>, std::vector<pfn_t>> blocks_in(const MemoryModel& mm, const zone& z, pfn_t lo,
                                                                      pfn_t hi)
{
  std::map<std::pair<unsigned, unsigned>, std::vector<pfn_t>> out;
  for (unsigned order = 0; order < MAX_ORDER; order++)
    for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++)
      for (pfn_t pfn : free_list_pfns(mm, z.free_area[order].free_list[mt]))
        if (pfn >= lo && pfn < hi) out[{order, mt}].push_back(pfn);
  return out;
}

// [0x10100, 0x1ff00) of the 1 GiB machine's deferred part (booted to mm_init,
// so nothing there is initialized or free yet; 0x100ff and 0x1ff00 stay
// uninitialized, so nothing merges across the ends). pageblock_order 9
// (0x200 pages), MAX_ORDER - 1 = 10 (0x400).
//   [0x10100, 0x10200): half a pageblock, 256 order-0 frees; they merge into
//       one order-8 block at 0x10100. No pfn of it starts a pageblock, so
//       pageblock 0x10000 keeps its migratetype (UNMOVABLE): that list.
//   [0x10200, 0x10400): a whole pageblock, order 9, MOVABLE; its buddy
//       0x10000 is not free: stays order 9.
//   [0x10400, 0x1fc00): 124 whole pageblocks, freed at order 9, merging in
//       pairs into 62 order-10 blocks.
//   [0x1fc00, 0x1fe00): a whole pageblock, order 9; its buddy 0x1fe00 is only
//       half free: stays order 9.
//   [0x1fe00, 0x1ff00): half a pageblock, page by page; 0x1fe00 starts a
//       pageblock and marks it MOVABLE; merges into one order-8 block.
// Merging hides how a whole pageblock was freed: 512 order-0 frees of it
// end in the same block, on the same list, at the same place, as one
// order-9 free. What is pinned is what can be told apart: the blocks, their
// lists (migratetypes) and list order, the pageblock migratetypes.
// nr_free: order 8: 2, order 9: 2, order 10: 62; 512 + 1024 + 63488 = 65024 pages.
TEST(RuleDeferredFree, FreeListShapeOfAnUnalignedRange)
{
  BootedKernel b(MACHINE, 1, Stage::mm_init);
  Kernel& k = b.r.kernel();
  ASSERT_EQ(k.mm.pageblock_order(), 9u);
  pglist_data& pgdat = k.nodes.at(0);
  ASSERT_EQ(pgdat.first_deferred_pfn, 0x10000u);
  unsigned zid = 0;
  zone* z = zone_of_pfn(pgdat, 0x10000, &zid);
  ASSERT_NE(z, nullptr);
  ASSERT_TRUE(blocks_in(k.mm, *z, 0x10000, 0x20000).empty());
  ASSERT_EQ(get_pfnblock_migratetype(k.mm, 0x10000), MIGRATE_UNMOVABLE);
  ASSERT_EQ(get_pfnblock_migratetype(k.mm, 0x10200), MIGRATE_UNMOVABLE);

  std::array<std::uint64_t, MAX_ORDER> nr_free_before{};
  for (unsigned o = 0; o < MAX_ORDER; o++) nr_free_before[o] = z->free_area[o].nr_free;
  const std::uint64_t free_pages_before = z->nr_free_pages;
  const std::uint64_t managed_before = z->managed_pages;

  EXPECT_EQ(deferred_init_pages(k.mm, pgdat.node_id, zid, 0x10100, 0x1ff00, InitPhase::deferred), 65024u);
  EXPECT_EQ(deferred_free_pages(k.mm, *z, 0x10100, 0x1ff00), 65024u);

  std::array<std::uint64_t, MAX_ORDER> added{};
  for (unsigned o = 0; o < MAX_ORDER; o++) added[o] = z->free_area[o].nr_free - nr_free_before[o];
  const std::array<std::uint64_t, MAX_ORDER> want{0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 62};
  EXPECT_EQ(added, want);
  EXPECT_EQ(z->nr_free_pages - free_pages_before, 65024u);
  EXPECT_EQ(z->managed_pages - managed_before, 65024u);

  const auto blocks = blocks_in(k.mm, *z, 0x10000, 0x20000);
  EXPECT_EQ(blocks.at({8u, MIGRATE_UNMOVABLE}), std::vector<pfn_t>{0x10100});
  EXPECT_EQ(blocks.at({8u, MIGRATE_MOVABLE}), std::vector<pfn_t>{0x1fe00});
  // Blocks of order 9 and 10 go to the head of their list (their next-larger
  // buddy is never free here, so never to the tail): newest first.
  EXPECT_EQ(blocks.at({9u, MIGRATE_MOVABLE}), (std::vector<pfn_t>{0x1fc00, 0x10200}));
  const std::vector<pfn_t>& order10 = blocks.at({10u, MIGRATE_MOVABLE});
  ASSERT_EQ(order10.size(), 62u);
  for (std::size_t i = 0; i < order10.size(); i++) EXPECT_EQ(order10[i], 0x1f800 - i * 0x400) << i;
  EXPECT_EQ(blocks.size(), 4u);

  // Pageblock migratetypes: only the head's block is left alone.
  EXPECT_EQ(get_pfnblock_migratetype(k.mm, 0x10000), MIGRATE_UNMOVABLE);
  for (pfn_t pb = 0x10200; pb < 0x1ff00; pb += 0x200)
    EXPECT_EQ(get_pfnblock_migratetype(k.mm, pb), MIGRATE_MOVABLE) << std::hex << pb;
  EXPECT_EQ(get_pfnblock_migratetype(k.mm, 0x20000), MIGRATE_UNMOVABLE);
}

// A range inside one pageblock that does not start it: page by page, the
// block keeps its migratetype; 0x10003..0x10010 (13 pages) merges into
// 0x10003 (order 0), 0x10004 (order 2), 0x10008 (order 3), 0x10010 excluded:
// 1 + 4 + 8 = 13.
TEST(RuleDeferredFree, PartialPageblockIsFreedPageByPage)
{
  BootedKernel b(MACHINE, 1, Stage::mm_init);
  Kernel& k = b.r.kernel();
  pglist_data& pgdat = k.nodes.at(0);
  unsigned zid = 0;
  zone* z = zone_of_pfn(pgdat, 0x10000, &zid);
  ASSERT_NE(z, nullptr);
  deferred_init_pages(k.mm, pgdat.node_id, zid, 0x10003, 0x10010, InitPhase::deferred);
  EXPECT_EQ(deferred_free_pages(k.mm, *z, 0x10003, 0x10010), 13u);
  const auto blocks = blocks_in(k.mm, *z, 0x10000, 0x20000);
  EXPECT_EQ(blocks.at({0u, MIGRATE_UNMOVABLE}), std::vector<pfn_t>{0x10003});
  EXPECT_EQ(blocks.at({2u, MIGRATE_UNMOVABLE}), std::vector<pfn_t>{0x10004});
  EXPECT_EQ(blocks.at({3u, MIGRATE_UNMOVABLE}), std::vector<pfn_t>{0x10008});
  EXPECT_EQ(blocks.size(), 3u);
  EXPECT_EQ(get_pfnblock_migratetype(k.mm, 0x10000), MIGRATE_UNMOVABLE);
}

}  // namespace
}  // namespace pginit::test
