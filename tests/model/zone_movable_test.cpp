// SPDX-License-Identifier: MIT
// find_zone_movable_pfns_for_nodes() and the zones it cuts (mm/page_alloc.c),
// checked against what Debian's 6.1 printed for the same machines under
// QEMU (tests/data/oracle/pc-movablecore.log, q35-3node-movable-pct.log).
#include <algorithm>

#include <gtest/gtest.h>

#include "mm/page_alloc.h"

namespace pginit {
namespace {

struct Machine {
  memblock mb{2};
  ZoneConfig zones = ZoneConfig::from_config(default_kconfig_values());
  std::vector<pfn_t> lowest;
  std::vector<pfn_t> highest;
  FreeAreaInitParams p;
};

// pc, 8 GiB as 3 GiB + 5 GiB nodes: RAM below 3 GiB and from 4 GiB up.
void pc_8g_two_nodes(Machine& m)
{
  memblock_add_node(m.mb, 0x1000, 0x9e000, 0);
  memblock_add_node(m.mb, 0x100000, 0xbffe0000 - 0x100000, 0);
  memblock_add_node(m.mb, 0x100000000, 0x140000000, 1);
  // The arch zone ranges free_area_init() derives from zone_sizes_init()'s limits.
  m.p.max_zone_pfn = {0x1000, 0x100000, 0x240000, 0, 0};
  m.p.drops_movable_start_past_node = true;  // 6.1 (ddbc84f3f595), as the oracle logs
  for (ZoneType t : m.zones.types) {
    switch (t) {
      case ZoneType::dma: m.lowest.push_back(0x1), m.highest.push_back(0x1000); break;
      case ZoneType::dma32: m.lowest.push_back(0x1000), m.highest.push_back(0x100000); break;
      case ZoneType::normal: m.lowest.push_back(0x100000), m.highest.push_back(0x240000); break;
      case ZoneType::movable: m.lowest.push_back(0), m.highest.push_back(0); break;
      case ZoneType::device: m.lowest.push_back(0x240000), m.highest.push_back(0x240000); break;
    }
  }
}

TEST(ZoneMovable, NothingAskedNothingMovable)
{
  Machine m;
  pc_8g_two_nodes(m);
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0, 0}));
}

// movablecore=2G: 2 GiB movable means kernelcore = the rest, spread evenly:
// node 0's low RAM counts as kernelcore it cannot avoid (below Normal), so
// node 1 keeps the rest and ZONE_MOVABLE starts at 7 GiB: the kernel printed
// "  Node 1: 0x00000001c0000000".
TEST(ZoneMovable, MovablecoreSizeLeavesThatMuchAtTheTop)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.required_movablecore = (2ull << 30) >> PAGE_SHIFT;
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0, 0x1c0000}));
}

// The same as a percentage: 25% of 2097022 present pages, rounded up to
// MAX_ORDER blocks, is 524288 pages: the same 2 GiB.
TEST(ZoneMovable, PercentOfAllMemory)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.required_movablecore_percent = 25;
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0, 0x1c0000}));
}

// kernelcore=7G (1835008 pages), 917504 per node: node 0's 785888+158
// pages all lie below Normal and count whatever its share; node 1 takes its
// 917504 up to 0x1e0000. The second pass, over one node fewer, gives node 1
// the 131458 pages still owed: 0x1e0000 + 131458, rounded up to a MAX_ORDER
// block, 0x200400.
TEST(ZoneMovable, KernelcoreRebalancesOverTheNodesThatCanTakeIt)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.required_kernelcore = (7ull << 30) >> PAGE_SHIFT;
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0, 0x200400}));
}

// Before ddbc84f3f595 (v5.18) node 0, pushed to its end because all of it
// is below Normal, kept that as its movable start: 0xbffe0 rounded up.
TEST(ZoneMovable, OlderKernelsKeepAStartPastTheNodesEnd)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.drops_movable_start_past_node = false;
  m.p.required_movablecore = (2ull << 30) >> PAGE_SHIFT;
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0xc0000, 0x1c0000}));
}

// kernelcore larger than memory: no ZONE_MOVABLE at all.
TEST(ZoneMovable, KernelcoreOfAllMemoryMeansNone)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.required_kernelcore = (9ull << 30) >> PAGE_SHIFT;
  EXPECT_EQ(find_zone_movable_pfns_for_nodes(m.mb, m.zones, m.lowest, m.highest, m.p),
            (std::vector<pfn_t>{0, 0}));
}

// The zones of node 1 once ZONE_MOVABLE starts at 7 GiB: Normal is cut
// there, Movable spans the last GiB, and the zone lines say so.
TEST(ZoneMovable, NormalEndsWhereMovableStarts)
{
  Machine m;
  pc_8g_two_nodes(m);
  m.p.required_movablecore = (2ull << 30) >> PAGE_SHIFT;
  RecordingPrintk log;
  const auto nodes = free_area_init_nodes(m.mb, m.zones, {0, 1}, {0, 1}, m.p, FreeAreaInitHooks{}, log);
  ASSERT_EQ(nodes.size(), 2u);
  const zone& normal = nodes[1].node_zones[static_cast<std::size_t>(m.zones.index_of(ZoneType::normal))];
  const zone& movable = nodes[1].node_zones[static_cast<std::size_t>(m.zones.index_of(ZoneType::movable))];
  EXPECT_EQ(normal.zone_start_pfn, 0x100000u);
  EXPECT_EQ(normal.spanned_pages, 0xc0000u);
  EXPECT_EQ(movable.zone_start_pfn, 0x1c0000u);
  EXPECT_EQ(movable.spanned_pages, 0x80000u);
  EXPECT_EQ(movable.present_pages, 0x80000u);
  const std::vector<std::string> want{"Movable zone start for each node", "  Node 1: 0x00000001c0000000",
                                      "Early memory node ranges"};
  const auto it = std::find(log.lines.begin(), log.lines.end(), want[0]);
  ASSERT_NE(it, log.lines.end());
  EXPECT_EQ(std::vector<std::string>(it, it + 3), want);
}

}  // namespace
}  // namespace pginit
