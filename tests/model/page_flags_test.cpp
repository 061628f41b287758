// SPDX-License-Identifier: MIT
// page->flags layout and accessors, against the values decoded from the
// 0day report of the per_cpu_ptr_to_phys bug (kernel-v4.17.md §1.5, §5.3).
#include <gtest/gtest.h>

#include "include/linux/mm_types.h"

namespace pginit {
namespace {

KconfigValues config(std::initializer_list<std::pair<const char*, const char*>> set)
{
  KconfigValues c = default_kconfig_values();
  for (const auto& [k, v] : set) c[k] = v;
  return c;
}

constexpr unsigned ZONE_DMA32 = 1;

// Classic SPARSEMEM without NUMA: the configuration of the 0day report.
PageFlagsLayout classic_sparse_without_numa()
{
  return PageFlagsLayout::from_config(config({{"SPARSEMEM_VMEMMAP", "n"}, {"NUMA", "n"}}));
}

// Classic SPARSEMEM, no NUMA, 2 zone bits: section in bits 45..63, zone in
// 43..44. An initialized page at pfn 0xd60d (section 1, DMA32) has flags
// 0x280000000000, as in the report.
TEST(PageFlagsLayout, ClassicSparseWithoutNumaMatchesReport)
{
  const auto l = classic_sparse_without_numa();
  EXPECT_EQ(l.sections_width, 19u);
  EXPECT_EQ(l.sections_pgshift, 45u);
  EXPECT_EQ(l.zones_width, 2u);
  EXPECT_EQ(l.zones_pgshift, 43u);
  EXPECT_EQ(l.nodes_width, 0u);

  page p{};
  set_page_links(p, ZONE_DMA32, 0, 0xd60d, l);
  EXPECT_EQ(p.flags, 0x280000000000u);
  EXPECT_EQ(page_to_section(p, l), 1u);
  EXPECT_EQ(page_zonenum(p, l), ZONE_DMA32);
}

// The DEBUG_VM poison decodes to section 0x7ffff: the section whose root the
// report's NULL dereference came from.
TEST(PageFlagsLayout, PoisonDecodesToLastSection)
{
  const auto l = classic_sparse_without_numa();
  page p{};
  p.flags = PAGE_POISON_FLAGS;
  EXPECT_TRUE(PagePoisoned(p));
  EXPECT_EQ(page_to_section(p, l), 0x7ffffu);
  EXPECT_EQ(page_zonenum(p, l), 3u);
}

// VMEMMAP with NODES_SHIFT 6: no section field, node in 58..63, zone 56..57.
TEST(PageFlagsLayout, VmemmapWithNodes)
{
  const auto l = PageFlagsLayout::from_config(config({{"NUMA", "y"}, {"NODES_SHIFT", "6"}}));
  EXPECT_EQ(l.sections_width, 0u);
  EXPECT_EQ(l.nodes_width, 6u);
  EXPECT_EQ(l.nodes_pgshift, 58u);
  EXPECT_EQ(l.zones_pgshift, 56u);
  page p{};
  p.flags = 1u << PG_reserved;  // PG_* bits survive set_page_links
  set_page_links(p, 2, 37, 0x123456, l);
  EXPECT_EQ(page_to_nid(p, l), 37);
  EXPECT_EQ(page_zonenum(p, l), 2u);
  EXPECT_EQ(p.flags & (1u << PG_reserved), 1u << PG_reserved);
}

// Classic sparse + NODES_SHIFT 10 + ZONE_DEVICE: 19 + 10 + 3 = 32 bits fit
// beside 23 page flags; the node is in the flags.
TEST(PageFlagsLayout, WideNodesStillFit)
{
  const auto l = PageFlagsLayout::from_config(
      config({{"SPARSEMEM_VMEMMAP", "n"}, {"NODES_SHIFT", "10"}, {"ZONE_DEVICE", "y"}}));
  EXPECT_EQ(l.zones_width, 3u);
  EXPECT_EQ(l.nodes_width, 10u);
  EXPECT_EQ(l.zones_pgshift, 64u - 19 - 10 - 3);
}

}  // namespace
}  // namespace pginit
