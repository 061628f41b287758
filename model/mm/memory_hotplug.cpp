// SPDX-License-Identifier: MIT
// memory_hotplug.cpp - hot-adding sections after boot (mm/memory_hotplug.c
// __add_pages(), move_pfn_range_to_zone(); mm/sparse.c
// sparse_add_one_section(); mm/sparse-vmemmap.c altmap_alloc_block_buf()).
#include <algorithm>

#include "include/linux/memremap.h"

namespace pginit {

namespace {

constexpr std::byte POISON_BYTE{0xff};  // PAGE_POISON_PATTERN (DEBUG_VM), as sparse_init's memmaps
constexpr unsigned PMD_ORDER = PMD_SHIFT - PAGE_SHIFT;

// altmap_alloc_block_buf(PMD_SIZE): the next free altmap pfn, aligned up to
// the block's size (the skipped pfns count as altmap->align); PHYS_ADDR_MAX
// when the altmap's free pages are used up.
phys_addr_t altmap_alloc_block_buf(vmem_altmap& a)
{
  constexpr pfn_t nr_pfns = PMD_SIZE >> PAGE_SHIFT;
  const pfn_t pfn = a.base_pfn + a.reserve + a.alloc + a.align;
  const pfn_t nr_align = ((pfn + nr_pfns - 1) & ~(nr_pfns - 1)) - pfn;
  if (nr_pfns + nr_align > a.free - a.alloc - a.align) return PHYS_ADDR_MAX;
  a.alloc += nr_pfns;
  a.align += nr_align;
  return PFN_PHYS(pfn + nr_align);
}

}  // namespace

int sparse_add_one_section(MemoryModel& mm, std::uint64_t section_nr, int nid, vmem_altmap* altmap,
                           const PageBlockAllocator& alloc)
{
  SectionTable& st = mm.sections();
  st.sparse_index_init(section_nr);
  mem_section* ms = st.__nr_to_section(section_nr);
  if (present_section(ms)) return -17;  // -EEXIST
  // kmalloc_section_memmap() -> populate_section_memmap(): one 2 MiB block of vmemmap.
  const kva_t memmap = mm.vm().vmemmap_base + section_nr_to_pfn(section_nr) * sizeof(page);
  if (!mm.vmemmap_pmd_mapped(memmap)) {
    phys_addr_t block = altmap != nullptr ? altmap_alloc_block_buf(*altmap) : alloc(nid, PMD_ORDER);
    if (block == PHYS_ADDR_MAX) return -12;  // -ENOMEM
    mm.back_phys(block, PMD_SIZE, POISON_BYTE);
    mm.vmemmap_set_pmd(memmap, block);
  }
  // __kmalloc_section_usemap(): a kmalloc'd bitmap; pginit takes an order-0 page for it.
  const phys_addr_t usemap = alloc(nid, 0);
  if (usemap == PHYS_ADDR_MAX) return -12;
  mm.back_phys(usemap, PAGE_SIZE, std::byte{0});
  st.section_mark_present(section_nr);
  // sparse_add_section() (v5.3 on) passes no flags: a hotplugged section is not early.
  ms->section_mem_map &= ~st.flags().map_mask();
  ms->section_mem_map |= sparse_encode_mem_map(memmap, section_nr) | SECTION_HAS_MEM_MAP;
  ms->pageblock_flags = mm.vm().__va(usemap);
  mm.add_section_shadow(section_nr);
  return 0;
}

int __add_pages(MemoryModel& mm, int nid, pfn_t start_pfn, pfn_t nr_pages, vmem_altmap* altmap,
                const PageBlockAllocator& alloc)
{
  for (std::uint64_t nr = pfn_to_section_nr(start_pfn); nr < pfn_to_section_nr(start_pfn + nr_pages - 1) + 1; nr++)
    if (const int err = sparse_add_one_section(mm, nr, nid, altmap, alloc); err != 0) return err;
  return 0;
}

void move_pfn_range_to_zone(pglist_data& pgdat, zone& z, pfn_t start_pfn, pfn_t nr_pages)
{
  const pfn_t end_pfn = start_pfn + nr_pages;
  // init_currently_empty_zone() / resize_zone_range() / resize_pgdat_range().
  if (z.spanned_pages == 0) {
    z.zone_start_pfn = start_pfn;
    z.spanned_pages = nr_pages;
  } else {
    const pfn_t zs = std::min(z.zone_start_pfn, start_pfn);
    z.spanned_pages = std::max(z.zone_end_pfn(), end_pfn) - zs;
    z.zone_start_pfn = zs;
  }
  const pfn_t ns = pgdat.node_spanned_pages == 0 ? start_pfn : std::min(pgdat.node_start_pfn, start_pfn);
  pgdat.node_spanned_pages = std::max(pgdat.node_end_pfn(), end_pfn) - ns;
  pgdat.node_start_pfn = ns;
}

}  // namespace pginit
