// SPDX-License-Identifier: MIT
#include "phases/mm_init.h"

#include <algorithm>

#include "buddy.h"
#include "page_init.h"

namespace pginit {

zone* zone_of_pfn(pglist_data& pgdat, pfn_t pfn, unsigned* zid)
{
  for (std::size_t i = 0; i < pgdat.node_zones.size(); i++) {
    if (pgdat.node_zones[i].zone_spans_pfn(pfn)) {
      if (zid != nullptr) *zid = static_cast<unsigned>(i);
      return &pgdat.node_zones[i];
    }
  }
  return nullptr;
}

namespace {

// init_reserved_page(): a reserved page in the deferred part of its node is
// initialized now, since nothing later will (deferred init only walks free ranges).
bool init_reserved_page(BootState& st, pfn_t pfn, page& p, kva_t p_kva)
{
  if (!st.deferred_struct_page_init || !st.early_page_uninitialised(pfn)) return false;
  const int nid = st.early_pfn_to_nid(pfn);
  unsigned zid = 0;
  if (zone_of_pfn(*st.node_data(nid), pfn, &zid) == nullptr) return false;
  __init_single_page(st.mm, p, p_kva, pfn, zid, nid, InitPhase::mm_init);
  return true;
}

// reserve_bootmem_region(): PG_reserved on every valid pfn of [start, end].
std::uint64_t reserve_bootmem_region(BootState& st, phys_addr_t start, phys_addr_t end)
{
  std::uint64_t initialized = 0;
  for (pfn_t pfn = PFN_DOWN(start); pfn < PFN_UP(end); pfn++) {
    if (!st.mm.pfn_valid(pfn)) continue;
    page& p = *st.mm.pfn_host_page(pfn);
    const kva_t p_kva = st.mm.pfn_to_page(pfn).value;
    if (init_reserved_page(st, pfn, p, p_kva)) initialized++;
    // "Avoid false-positive PageTail()": whatever the struct held, lru is now empty.
    p.lru_next = p.lru_prev = page_lru(p_kva);
    SetPageReserved(p);
  }
  return initialized;
}

// __free_pages_memory(): the largest naturally aligned blocks that fit.
std::uint64_t __free_pages_memory(BootState& st, pfn_t start, pfn_t end)
{
  std::uint64_t freed = 0;
  while (start < end) {
    unsigned order = std::min<unsigned>(MAX_ORDER - 1, start == 0 ? MAX_ORDER - 1 : static_cast<unsigned>(__builtin_ctzll(start)));
    while (start + (pfn_t{1} << order) > end) order--;
    // __free_pages_bootmem(): deferred pages are not the buddy allocator's yet.
    if (!st.deferred_struct_page_init || !st.early_page_uninitialised(start)) {
      pglist_data* pgdat = st.node_data(st.early_pfn_to_nid(start));
      zone* z = pgdat == nullptr ? nullptr : zone_of_pfn(*pgdat, start);
      if (z != nullptr) {
        __free_pages_boot_core(st.mm, *z, start, order);
        freed += pfn_t{1} << order;
      }
    }
    start += pfn_t{1} << order;
  }
  return freed;
}

}  // namespace

void mem_init(BootState& st)
{
  KernelFrame frame(st.stack, "mem_init");
  KernelFrame f(st.stack, "free_all_bootmem");
  // reset_all_zones_managed_pages(): managed_pages is counted again as pages are freed.
  for (pglist_data& pgdat : st.nodes)
    for (zone& z : pgdat.node_zones) z.managed_pages = 0;

  std::uint64_t initialized = 0;
  std::uint64_t freed = 0;
  {
    KernelFrame g(st.stack, "free_low_memory_core_early");
    memblock_clear_hotplug(st.memblock, 0, PHYS_ADDR_MAX);
    {
      KernelFrame h(st.stack, "reserve_bootmem_region");
      for (const memblock_region& r : st.memblock.reserved.regions)
        if (r.size != 0) initialized += reserve_bootmem_region(st, r.base, r.end() - 1);
    }
    for (const mem_range& r : free_mem_ranges(st.memblock, NUMA_NO_NODE, MEMBLOCK_NONE)) {
      // __free_memory_core()
      const pfn_t start_pfn = PFN_UP(r.start);
      const pfn_t end_pfn = std::min(PFN_DOWN(r.end), st.max_low_pfn);
      if (start_pfn < end_pfn) freed += __free_pages_memory(st, start_pfn, end_pfn);
    }
  }
  st.advance_clock(st.cost.ns(initialized, freed, 1));
}

}  // namespace pginit
