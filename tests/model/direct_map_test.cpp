// SPDX-License-Identifier: MIT
// init_mem_mapping(): how many page-table pages the early direct map takes
// from memblock, and where, on machines whose real 6.1 logs show it
// (tests/data/oracle: pc-2node-4g, pc-2node-64g).
#include <gtest/gtest.h>

#include "arch/x86/mm/init.h"
#include "include/linux/panic.h"

namespace pginit {
namespace {

// memblock before init_mem_mapping() on QEMU's pc machine under Debian's
// 6.1: RAM from e820 (page 0 and 640K-1M trimmed), the first MiB and the
// kernel image + brk [16M, 0x3811000) reserved.
memblock pc_memblock(phys_addr_t high_ram_end)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x9f000 - 0x1000);
  memblock_add(mb, 0x100000, 0xbffe0000 - 0x100000);
  memblock_add(mb, 0x100000000, high_ram_end - 0x100000000);
  memblock_reserve(mb, 0, 0x100000);
  memblock_reserve(mb, 0x1000000, 0x3811000 - 0x1000000);
  return mb;
}

std::vector<phys_addr_t> pages_from(const direct_map& dm, pgt_page::From from)
{
  std::vector<phys_addr_t> out;
  for (const pgt_page& p : dm.pages)
    if (p.from == from) out.push_back(p.pa);
  return out;
}

bool reserved(const memblock& mb, phys_addr_t base, phys_addr_t size)
{
  for (const memblock_region& r : mb.reserved.regions)
    if (r.base <= base && base + size <= r.end()) return true;
  return false;
}

TEST(DirectMap, BrkBufferPagesFollowConfigAndVersion)
{
  // 6.1: 4 tables below the PGD with X86_5LEVEL, doubled for RANDOMIZE_MEMORY.
  EXPECT_EQ(init_pgd_page_count(true, true, true), 16u);
  EXPECT_EQ(init_pgd_page_count(true, false, true), 12u);
  EXPECT_EQ(init_pgd_page_count(true, true, false), 8u);
  EXPECT_EQ(init_pgd_page_count(true, false, false), 6u);
  // Before v5.12 X86_5LEVEL did not count.
  EXPECT_EQ(init_pgd_page_count(false, true, true), 12u);
  EXPECT_EQ(init_pgd_page_count(false, true, false), 6u);
}

// pc-2node-4g: RAM [1M, 3G-128K) and [4G, 5G). The brk buffer (16 pages)
// takes the ISA mapping and the 2M/512M steps; mapping the low region, which
// holds the unused part of the buffer, must take its PMD pages for GiB 1, 2
// and the PTE page of its 4K tail from memblock: 3 pages, top-down from the
// top of the first mapped window [4G+512M, 5G).
TEST(DirectMap, Pc4GiBTakesThreeMemblockPages)
{
  memblock mb = pc_memblock(0x140000000);
  direct_map dm;
  early_alloc_pgt_buf(dm, 0x3811000, 16);
  EXPECT_EQ(dm.pgt_buf_start, PFN_DOWN(0x3801000));
  init_mem_mapping(mb, dm, 0x140000, 0x3811000);

  EXPECT_EQ(pages_from(dm, pgt_page::From::memblock),
            (std::vector<phys_addr_t>{0x13ffff000, 0x13fffe000, 0x13fffd000}));
  EXPECT_EQ(pages_from(dm, pgt_page::From::brk).size(), 4u);  // PUD, PMD GiB 0, PTE 2M block 0, PMD GiB 4
  EXPECT_TRUE(reserved(mb, 0x13fffd000, 0x3000));
  EXPECT_FALSE(reserved(mb, 0x13fe00000, 0x1000));  // the 2M probe was given back
  EXPECT_EQ(get_max_mapped(dm), 0x140000000u);
}

// pc-2node-64g: RAM up to 65G. The high region [4G, 64.5G) uses brk until
// its 16 pages are gone, then 48 PMD pages come from memblock, after the
// low region's 3: 51 pages, one run down from 0x103ffff000.
TEST(DirectMap, Pc64GiBTakesFiftyOneMemblockPages)
{
  memblock mb = pc_memblock(0x1040000000);
  direct_map dm;
  early_alloc_pgt_buf(dm, 0x3811000, 16);
  init_mem_mapping(mb, dm, 0x1040000, 0x3811000);

  const std::vector<phys_addr_t> got = pages_from(dm, pgt_page::From::memblock);
  ASSERT_EQ(got.size(), 51u);
  for (std::size_t i = 0; i < got.size(); i++) EXPECT_EQ(got[i], 0x103ffff000 - i * PAGE_SIZE) << i;
  EXPECT_EQ(pages_from(dm, pgt_page::From::brk).size(), 16u);
  EXPECT_TRUE(reserved(mb, 0x103ffcd000, 51 * PAGE_SIZE));
}

// A smaller buffer (X86_5LEVEL or RANDOMIZE_MEMORY off) is used up sooner:
// more of the high region's PMD pages come from memblock.
TEST(DirectMap, SmallerBrkBufferMovesPagesToMemblock)
{
  memblock mb = pc_memblock(0x1040000000);
  direct_map dm;
  early_alloc_pgt_buf(dm, 0x3811000, 12);
  init_mem_mapping(mb, dm, 0x1040000, 0x3811000);
  EXPECT_EQ(pages_from(dm, pgt_page::From::memblock).size(), 55u);
}

// split_mem_range(): a 4K head up to 2M, 2M pages (no 1G on qemu64) merged
// across the 1G boundaries, a 4K tail where the last 2M is not all RAM.
TEST(DirectMap, SplitMemRangeLowRegion)
{
  const memblock mb = pc_memblock(0x140000000);
  const direct_map dm;
  EXPECT_EQ(split_mem_range(mb, dm, 0x100000, 0xbffe0000),
            (std::vector<map_range>{{0x100000, 0x200000, 0},
                                    {0x200000, 0xbfe00000, PG_LEVEL_2M_MASK},
                                    {0xbfe00000, 0xbffe0000, 0}}));
  direct_map gb;
  gb.gbpages = true;
  EXPECT_EQ(split_mem_range(mb, gb, 0x100000000, 0x140000000),
            (std::vector<map_range>{{0x100000000, 0x140000000, PG_LEVEL_2M_MASK | PG_LEVEL_1G_MASK}}));
}

// Nothing left to give: the range holding the unused brk buffer may not use
// it, and memblock has no free page in the mapped window, so the kernel
// panics in alloc_low_pages() instead of crashing.
TEST(DirectMap, NoMemoryForPageTablesPanics)
{
  memblock mb;
  memblock_add(mb, 0x1000, 0x9f000 - 0x1000);
  memblock_add(mb, 0x100000, 0x3900000 - 0x100000);
  memblock_reserve(mb, 0, 0x3900000);
  direct_map dm;
  early_alloc_pgt_buf(dm, 0x3811000, 16);
  try {
    init_mem_mapping(mb, dm, PFN_DOWN(0x3900000), 0x3811000);
    FAIL() << "no panic";
  } catch (const KernelPanic& e) {
    EXPECT_STREQ(e.what(), "alloc_low_pages: can not alloc memory");
  }
}

}  // namespace
}  // namespace pginit
