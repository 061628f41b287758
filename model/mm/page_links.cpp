// SPDX-License-Identifier: MIT
// page.cpp - the page->flags field layout (include/linux/page-flags-layout.h)
// and its accessors (include/linux/mm.h).
#include "include/linux/mm_types.h"

namespace pginit {

namespace {

// __NR_PAGEFLAGS of v4.17 x86_64: PG_locked .. PG_unevictable (20), PG_mlocked
// (MMU), PG_uncached (x86 PAT), PG_hwpoison (MEMORY_FAILURE, on in
// distribution configs). PG_young/PG_idle (IDLE_PAGE_TRACKING) are not counted.
constexpr unsigned NR_PAGEFLAGS_X86_64 = 23;

// SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS: 46 - 27 with
// 4-level paging, 52 - 27 with 5-level.
unsigned sections_shift(const KconfigValues& c)
{
  return (kconfig_enabled(c, "X86_5LEVEL") ? 52u : MAX_PHYSMEM_BITS) - SECTION_SIZE_BITS;
}

// ZONES_SHIFT from MAX_NR_ZONES: DMA, DMA32, Normal and Movable, plus Device.
unsigned zones_shift(const KconfigValues& c)
{
  unsigned zones = 2;  // ZONE_NORMAL, ZONE_MOVABLE
  zones += kconfig_enabled(c, "ZONE_DMA") ? 1u : 0u;
  zones += kconfig_enabled(c, "ZONE_DMA32") ? 1u : 0u;
  zones += kconfig_enabled(c, "ZONE_DEVICE") ? 1u : 0u;
  // (MAX_NR_ZONES < 2 would give 0 bits; x86_64 always has Normal and Movable.)
  if (zones <= 2) return 1;
  if (zones <= 4) return 2;
  return 3;
}

}  // namespace

PageFlagsLayout PageFlagsLayout::from_config(const KconfigValues& c)
{
  PageFlagsLayout l;
  l.nr_pageflags = NR_PAGEFLAGS_X86_64;
  const bool classic_sparse = kconfig_enabled(c, "SPARSEMEM") && !kconfig_enabled(c, "SPARSEMEM_VMEMMAP");
  l.sections_width = classic_sparse ? sections_shift(c) : 0;
  l.zones_width = zones_shift(c);
  const unsigned nodes_shift =
      kconfig_enabled(c, "NUMA") ? static_cast<unsigned>(kconfig_int(c, "NODES_SHIFT", NODES_SHIFT_DEFAULT)) : 0;
  // The node goes into the flags only if it fits beside the PG_* bits.
  l.nodes_width = l.sections_width + l.zones_width + nodes_shift <= 64 - l.nr_pageflags ? nodes_shift : 0;

  const unsigned sections_pgoff = 64 - l.sections_width;
  const unsigned nodes_pgoff = sections_pgoff - l.nodes_width;
  const unsigned zones_pgoff = nodes_pgoff - l.zones_width;
  // X_PGSHIFT = X_PGOFF * (X_WIDTH != 0)
  l.sections_pgshift = l.sections_width != 0 ? sections_pgoff : 0;
  l.nodes_pgshift = l.nodes_width != 0 ? nodes_pgoff : 0;
  l.zones_pgshift = l.zones_width != 0 ? zones_pgoff : 0;
  return l;
}

void set_page_links(page& p, unsigned zone, int nid, pfn_t pfn, const PageFlagsLayout& l)
{
  // set_page_zone, set_page_node, and (SECTION_IN_PAGE_FLAGS) set_page_section.
  const std::uint64_t fields = (l.zones_mask() << l.zones_pgshift) | (l.nodes_mask() << l.nodes_pgshift) |
                               (l.sections_width != 0 ? l.sections_mask() << l.sections_pgshift : 0);
  p.flags = (p.flags & ~fields) | page_links(zone, nid, pfn, l);
}

unsigned page_zonenum(const page& p, const PageFlagsLayout& l)
{
  return static_cast<unsigned>((p.flags >> l.zones_pgshift) & l.zones_mask());
}

int page_to_nid(const page& p, const PageFlagsLayout& l)
{
  return static_cast<int>((p.flags >> l.nodes_pgshift) & l.nodes_mask());
}

std::uint64_t page_to_section(const page& p, const PageFlagsLayout& l)
{
  return (p.flags >> l.sections_pgshift) & l.sections_mask();
}

}  // namespace pginit
