// SPDX-License-Identifier: MIT
#include "phases/mm_init.h"

#include <algorithm>

#include <fmt/format.h>

#include "include/linux/panic.h"
#include "mm/page_alloc.h"
#include "phases/page_alloc.h"

namespace pginit {

namespace {

// init_reserved_page(): a reserved page in the deferred part of its node is
// initialized now, since nothing later will (deferred init only walks free ranges).
bool init_reserved_page(Kernel& k, pfn_t pfn, page& p, kva_t p_kva)
{
  if (!k.deferred_struct_page_init() || !k.early_page_uninitialised(pfn)) return false;
  const int nid = k.early_pfn_to_nid(pfn);
  unsigned zid = 0;
  if (zone_of_pfn(*k.node_data(nid), pfn, &zid) == nullptr) return false;
  __init_single_page(k.mm, p, p_kva, pfn, zid, nid, InitPhase::mm_init);
  return true;
}

// reserve_bootmem_region(): PG_reserved on every valid pfn of [start, end].
std::uint64_t reserve_bootmem_region(Kernel& k, phys_addr_t start, phys_addr_t end)
{
  std::uint64_t initialized = 0;
  for (pfn_t pfn = PFN_DOWN(start); pfn < PFN_UP(end); pfn++) {
    if (!k.mm.pfn_valid(pfn)) continue;
    page& p = *k.mm.pfn_host_page(pfn);
    const kva_t p_kva = k.mm.pfn_to_page(pfn).value;
    if (init_reserved_page(k, pfn, p, p_kva)) initialized++;
    // "Avoid false-positive PageTail()": whatever the struct held, lru is now empty.
    p.lru_next = p.lru_prev = page_lru(p_kva);
    SetPageReserved(p);
  }
  return initialized;
}

// __free_pages_memory(): the largest naturally aligned blocks that fit.
std::uint64_t __free_pages_memory(Kernel& k, pfn_t start, pfn_t end)
{
  std::uint64_t freed = 0;
  while (start < end) {
    unsigned order = std::min<unsigned>(MAX_ORDER - 1, start == 0 ? MAX_ORDER - 1 : static_cast<unsigned>(__builtin_ctzll(start)));
    while (start + (pfn_t{1} << order) > end) order--;
    // __free_pages_bootmem(): deferred pages are not the buddy allocator's yet.
    if (!k.deferred_struct_page_init() || !k.early_page_uninitialised(start)) {
      pglist_data* pgdat = k.node_data(k.early_pfn_to_nid(start));
      zone* z = pgdat == nullptr ? nullptr : zone_of_pfn(*pgdat, start);
      if (z != nullptr) {
        __free_pages_boot_core(k.mm, *z, start, order);
        freed += pfn_t{1} << order;
      }
    }
    start += pfn_t{1} << order;
  }
  return freed;
}

// The vmalloc area's page-table pages, each a GFP_KERNEL page of the boot
// CPU's node (pud_alloc()); a machine too small for them fails as the kernel does.
void preallocate_vmalloc_pages(Kernel& k)
{
  if (k.version().vmalloc_pud_pages == 0) return;
  KernelFrame frame(k.stack, "preallocate_vmalloc_pages");
  for (unsigned i = 0; i < k.version().vmalloc_pud_pages; i++)
    if (!alloc_pages_node(k, k.online_nodes.empty() ? 0 : k.online_nodes.front(), 0))  // numa_node_id()
      throw KernelPanic("Failed to pre-allocate pud pages for vmalloc area");
}

}  // namespace

void mem_init(Kernel& k)
{
  KernelFrame frame(k.stack, "mem_init");
  KernelFrame f(k.stack, "free_all_bootmem");
  // reset_all_zones_managed_pages(): managed_pages is counted again as pages are freed.
  for (pglist_data& pgdat : k.nodes)
    for (zone& z : pgdat.node_zones) z.managed_pages = 0;

  std::uint64_t initialized = 0;
  std::uint64_t freed = 0;
  std::uint64_t count = 0;  // what free_low_memory_core_early() returns: every free page, deferred or not
  {
    KernelFrame g(k.stack, "free_low_memory_core_early");
    memblock_clear_hotplug(k.memblock, 0, PHYS_ADDR_MAX);
    {
      KernelFrame h(k.stack, "reserve_bootmem_region");
      for (const memblock_region& r : k.memblock.reserved.regions)
        if (r.size != 0) initialized += reserve_bootmem_region(k, r.base, r.end() - 1);
    }
    for (const mem_range& r : free_mem_ranges(k.memblock, NUMA_NO_NODE, MEMBLOCK_NONE)) {
      // __free_memory_core()
      const pfn_t start_pfn = PFN_UP(r.start);
      const pfn_t end_pfn = std::min(PFN_DOWN(r.end), k.max_low_pfn);
      if (start_pfn < end_pfn) {
        freed += __free_pages_memory(k, start_pfn, end_pfn);
        count += end_pfn - start_pfn;
      }
    }
  }
  k.totalram_pages += count;
  k.advance_clock(k.clock.cost().ns(initialized, freed, 1));
  k.observer.on_pages_initialized(k, initialized);
  preallocate_vmalloc_pages(k);
}

void mem_init_print_info(Kernel& k)
{
  // The image's sizes come from the build (the scenario has them only when
  // imported from a log); without them the line would be made up.
  const std::optional<KernelSections>& s = k.scenario().boot.kernel_sections;
  if (!s) return;
  std::uint64_t physpages = 0;  // get_num_physpages()
  std::uint64_t nr_free = 0;    // nr_free_pages(): the buddy's, so deferred pages are not in it yet
  for (const pglist_data& pgdat : k.nodes) {
    physpages += pgdat.node_present_pages;
    for (const zone& z : pgdat.node_zones) nr_free += z.nr_free_pages;
  }
  const auto K = [](std::uint64_t pages) { return pages << (PAGE_SHIFT - 10); };
  k.log.printk(LogLevel::info,
               fmt::format("Memory: {}K/{}K available ({}K kernel code, {}K rwdata, {}K rodata, {}K init, {}K bss, "
                           "{}K reserved, 0K cma-reserved)",
                           K(nr_free), K(physpages), s->code, s->rwdata, s->rodata, s->init, s->bss,
                           K(physpages - std::min(physpages, k.totalram_pages))));
}

}  // namespace pginit
