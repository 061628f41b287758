// SPDX-License-Identifier: MIT
#include "boot/page_readers.h"

#include <algorithm>

namespace pginit {

namespace {

// What each reader does with a garbage page. The poisoned page->flags
// (0xffffffffffffffff, DEBUG_VM's memblock poison) has PG_head/PG_tail set,
// and compound_head() takes page->compound_head - 1.
constexpr std::string_view KPAGEFLAGS_ON_POISON =
    "PageCompound() sends it to compound_head(): page->compound_head - 1 = 0xfffffffffffffffe, "
    "\"BUG: unable to handle kernel paging request at fffffffffffffffe\" in stable_page_flags()";
constexpr std::string_view ZONE_ON_POISON =
    "page_zone() takes node and zone from the poison: NODE_DATA() of a node that does not exist, an oops "
    "(with DEBUG_VM_PGFLAGS \"VM_BUG_ON_PAGE(PagePoisoned(p))\")";
constexpr std::string_view ZONE_ON_WRONG_LINK =
    "the zone is marked not contiguous; any path that trusts page_zone() of this page (set_pfnblock_flags_mask()) "
    "hits VM_BUG_ON_PAGE(!zone_spans_pfn(page_zone(page), pfn), page) with DEBUG_VM";

constexpr std::string_view VALID_ZONES_ON_WRONG_LINK =
    "test_pages_in_a_zone() sees two zones in the block: valid_zones says \"none\" and the block cannot be offlined";

void use(Kernel& k, PageUseEvent e, pfn_t pfn)
{
  e.pfn = pfn;
  k.observer.on_page_use(k, e);
}

}  // namespace

void set_zone_contiguous(Kernel& k)
{
  KernelFrame frame(k.stack, "set_zone_contiguous");
  const PageUseEvent event{.reader = "__pageblock_pfn_to_page", .accessor = "page_zone", .uses_links = true,
                           .on_poison = ZONE_ON_POISON, .on_wrong_link = ZONE_ON_WRONG_LINK};
  const pfn_t nr = k.mm.pageblock_nr_pages();
  for (const pglist_data& pgdat : k.nodes) {
    for (const zone& z : pgdat.node_zones) {
      if (!z.populated()) continue;
      // for each pageblock: [block_start_pfn, block_end_pfn) clamped to the zone.
      pfn_t block_start = z.zone_start_pfn;
      for (pfn_t block_end = (block_start & ~(nr - 1)) + nr; block_start < z.zone_end_pfn();
           block_start = block_end, block_end += nr) {
        const pfn_t end = std::min(block_end, z.zone_end_pfn());
        if (!k.mm.pfn_valid(block_start) || !k.mm.pfn_valid(end - 1)) break;  // not contiguous
        use(k, event, block_start);
        const page start_page = k.mm.read_page(block_start);
        if (page_zonenum(start_page, k.mm.flags_layout()) != static_cast<unsigned>(&z - pgdat.node_zones.data()) ||
            page_to_nid(start_page, k.mm.flags_layout()) != (k.mm.flags_layout().nodes_width != 0 ? z.node : 0))
          break;  // page_zone(start_page) != zone
        use(k, event, end - 1);
      }
    }
  }
}

void kpageflags_read(Kernel& k)
{
  KernelFrame frame(k.stack, "kpageflags_read");
  const PageUseEvent event{.reader = "kpageflags_read", .accessor = "stable_page_flags", .uses_links = false,
                           .on_poison = KPAGEFLAGS_ON_POISON, .on_wrong_link = {}};
  const pfn_t max_dump_pfn = k.version().kpageflags_to_section_end && k.mm.kind() != MemoryModelKind::flatmem
                                 ? round_up(k.max_pfn, PAGES_PER_SECTION)
                                 : k.max_pfn;
  for (pfn_t pfn = 0; pfn < max_dump_pfn; pfn++) {
    if ((pfn & (PAGES_PER_SECTION - 1)) == 0 && !k.mm.pfn_valid(pfn)) {
      pfn |= PAGES_PER_SECTION - 1;  // a section without memmap: every pfn in it fails pfn_valid()
      continue;
    }
    if (!k.mm.pfn_valid(pfn)) continue;
    use(k, event, pfn);
  }
}

void show_valid_zones(Kernel& k)
{
  KernelFrame frame(k.stack, "show_valid_zones");
  if (k.version().valid_zones == ValidZonesRead::block_zone) return;
  KernelFrame test(k.stack, "test_pages_in_a_zone");
  const PageUseEvent event{.reader = "test_pages_in_a_zone", .accessor = "page_zone", .uses_links = true,
                           .on_poison = ZONE_ON_POISON, .on_wrong_link = VALID_ZONES_ON_WRONG_LINK};
  const bool to_zone_end = k.version().valid_zones == ValidZonesRead::to_zone_end;
  const PageFlagsLayout& l = k.mm.flags_layout();
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    // One block per present section; pfn_valid_within() is always true on x86.
    const pfn_t start = section_nr_to_pfn(sec);
    const zone* z = nullptr;
    for (pfn_t pfn = start; pfn < start + PAGES_PER_SECTION; pfn += MAX_ORDER_NR_PAGES) {
      if (z != nullptr && to_zone_end && !z->zone_spans_pfn(pfn)) break;
      use(k, event, pfn);
      const page p = k.mm.read_page(pfn);
      const zone* pz = nullptr;
      const int nid = l.nodes_width != 0 ? page_to_nid(p, l) : 0;
      const pglist_data* pgdat = k.node_data(nid);
      const unsigned zid = page_zonenum(p, l);
      if (pgdat != nullptr && zid < pgdat->node_zones.size()) pz = &pgdat->node_zones[zid];
      if (pz == nullptr || (z != nullptr && pz != z)) break;  // garbage, or "none"
      z = pz;
    }
  }
}

void run_page_readers(Kernel& k)
{
  for (PageReader r : k.scenario().boot.readers) {
    switch (r) {
      case PageReader::set_zone_contiguous: {
        // Where the kernel runs it: kernel_init_freeable() -> page_alloc_init_late().
        KernelFrame f(k.stack, "kernel_init_freeable");
        KernelFrame g(k.stack, "page_alloc_init_late");
        set_zone_contiguous(k);
        break;
      }
      case PageReader::kpageflags_read: kpageflags_read(k); break;
      case PageReader::show_valid_zones: show_valid_zones(k); break;
    }
  }
}

}  // namespace pginit
