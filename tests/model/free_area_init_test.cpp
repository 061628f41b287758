// SPDX-License-Identifier: MIT
// Zone and node accounting: calc_memmap_size, zone_batchsize and the lines
// of free_area_init_nodes(), checked against values real kernels printed.
#include <gtest/gtest.h>

#include "mm/page_alloc.h"

namespace pginit {
namespace {

TEST(FreeAreaInit, MemmapSizeUsesPresentPagesOnlyForHoleyZones)
{
  // The 0day QEMU guest: DMA spans 4095 pages with 3998 present (holes of
  // less than 1/16): memmap for all 4095, rounded up to 64 pages.
  EXPECT_EQ(calc_memmap_size(4095, 3998, true), 64u);
  // DMA32 of 126944 pages: 1983.5 pages of struct pages, rounded up.
  EXPECT_EQ(calc_memmap_size(126944, 126944, true), 1984u);
  // Dell R410 node 1 DMA32: 1044480 spanned, 842948 present -> present counts.
  EXPECT_EQ(calc_memmap_size(1044480, 842948, true), 13172u);
  // FLATMEM pays for the holes.
  EXPECT_EQ(calc_memmap_size(1044480, 842948, false), 16320u);
}

TEST(FreeAreaInit, BatchIsCappedPerKernelVersion)
{
  EXPECT_EQ(zone_batchsize(3913, 512 * SZ_1K), 0u);       // DMA: "LIFO batch:0"
  EXPECT_EQ(zone_batchsize(124960, 512 * SZ_1K), 31u);    // DMA32 of 512 MiB
  EXPECT_EQ(zone_batchsize(3309568, 512 * SZ_1K), 31u);   // capped at 31 until v4.18
  EXPECT_EQ(zone_batchsize(3309568, 1024 * SZ_1K), 63u);  // 63 from v4.19
  EXPECT_EQ(zone_batchsize(30000, 1024 * SZ_1K), 7u);     // 29 -> 7 -> 10 -> 8 - 1
}

TEST(FreeAreaInit, PrintsTheQemuGuestsLines)
{
  memblock mb(1);
  memblock_add_node(mb, 0x1000, 0x9e000, 0);
  memblock_add_node(mb, 0x100000, 0x1ffe0000 - 0x100000, 0);
  FreeAreaInitParams p;
  p.max_zone_pfn = {0x1000, 0x1ffe0, 0x1ffe0, 0, 0};
  p.dma_reserve = 21;
  RecordingPrintk log;
  int memmap_inits = 0;
  FreeAreaInitHooks hooks;
  hooks.memmap_init = [&](pglist_data&, int) { memmap_inits++; };
  const auto nodes =
      free_area_init_nodes(mb, ZoneConfig::from_config(default_kconfig_values()), {0}, {0}, p, hooks, log);
  EXPECT_EQ(log.lines, (std::vector<std::string>{
                           "Zone ranges:",
                           "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
                           "  DMA32    [mem 0x0000000001000000-0x000000001ffdffff]",
                           "  Normal   empty",
                           "Movable zone start for each node",
                           "Early memory node ranges",
                           "  node   0: [mem 0x0000000000001000-0x000000000009efff]",
                           "  node   0: [mem 0x0000000000100000-0x000000001ffdffff]",
                           "Initmem setup node 0 [mem 0x0000000000001000-0x000000001ffdffff]",
                           "On node 0 totalpages: 130942",
                           "  DMA zone: 64 pages used for memmap",
                           "  DMA zone: 21 pages reserved",
                           "  DMA zone: 3998 pages, LIFO batch:0",
                           "  DMA32 zone: 1984 pages used for memmap",
                           "  DMA32 zone: 126944 pages, LIFO batch:31",
                       }));
  ASSERT_EQ(nodes.size(), 1u);
  const zone& dma32 = nodes[0].node_zones[1];
  EXPECT_EQ(dma32.zone_start_pfn, 0x1000u);
  EXPECT_EQ(dma32.spanned_pages, 126944u);
  EXPECT_EQ(dma32.managed_pages, 126944u - 1984u);
  EXPECT_EQ(nodes[0].node_zones[0].managed_pages, 3998u - 64u - 21u);
  EXPECT_EQ(nodes[0].node_spanned_pages, 0x1ffe0u - 1u);
  EXPECT_EQ(memmap_inits, 2);  // DMA and DMA32; Normal and Movable span nothing
}

TEST(FreeAreaInit, AbsentPagesAreTheHolesOfTheNode)
{
  memblock mb(4);
  memblock_add_node(mb, 0x100000, 0x100000, 0);
  memblock_add_node(mb, 0x300000, 0x100000, 1);
  EXPECT_EQ(absent_pages_in_range(mb, 0, 0x100, 0x400), 0x200u);
  EXPECT_EQ(absent_pages_in_range(mb, 1, 0x100, 0x400), 0x200u);
  EXPECT_EQ(absent_pages_in_range(mb, 1, 0x300, 0x400), 0u);
}

}  // namespace
}  // namespace pginit
