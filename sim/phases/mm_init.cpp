// SPDX-License-Identifier: MIT
#include "phases/mm_init.h"

#include <algorithm>

#include <fmt/format.h>

#include "include/linux/panic.h"
#include "mm/page_alloc.h"
#include "phases/page_alloc.h"

namespace pginit {

namespace {

// Where the answers init_reserved_page() gets for pfn stop holding: the end
// of pfn's section, of its memblock range (or hole), of its zone and of the
// non-deferred part of its node. Every pfn of [pfn, result) is treated alike.
pfn_t reserved_page_piece_end(const Kernel& k, pfn_t pfn, pfn_t end)
{
  end = std::min(end, round_up(pfn + 1, PAGES_PER_SECTION));
  auto r = std::upper_bound(k.mem_ranges.begin(), k.mem_ranges.end(), pfn,
                            [](pfn_t p, const pfn_range& m) { return p < m.start_pfn; });
  if (r != k.mem_ranges.begin() && pfn < std::prev(r)->end_pfn) end = std::min(end, std::prev(r)->end_pfn);
  else if (r != k.mem_ranges.end()) end = std::min(end, r->start_pfn);
  if (const pglist_data* pgdat = k.node_data(k.early_pfn_to_nid(pfn))) {
    if (pfn < pgdat->first_deferred_pfn) end = std::min(end, pgdat->first_deferred_pfn);
    for (const zone& z : pgdat->node_zones) {
      if (z.zone_start_pfn > pfn) end = std::min(end, z.zone_start_pfn);
      if (z.zone_end_pfn() > pfn) end = std::min(end, z.zone_end_pfn());
    }
  }
  return end;
}

// init_reserved_page() for [pfn, end), pfns treated alike: a reserved page
// in the deferred part of its node is initialized now, since nothing later
// will (deferred init only walks free ranges). Returns how many were.
std::uint64_t init_reserved_pages(Kernel& k, pfn_t pfn, pfn_t end)
{
  if (!k.deferred_struct_page_init() || !k.early_page_uninitialised(pfn)) return 0;
  const int nid = k.early_pfn_to_nid(pfn);
  unsigned zid = 0;
  if (zone_of_pfn(*k.node_data(nid), pfn, &zid) == nullptr) return 0;
  __init_single_page_range(k.mm, pfn, end, zid, nid, InitPhase::mm_init);
  return end - pfn;
}

// reserve_bootmem_region(): PG_reserved on every valid pfn of [start, end].
std::uint64_t reserve_bootmem_region(Kernel& k, phys_addr_t start, phys_addr_t end)
{
  std::uint64_t initialized = 0;
  const pfn_t end_pfn = PFN_UP(end);
  for (pfn_t pfn = PFN_DOWN(start); pfn < end_pfn;) {
    const pfn_t piece_end = reserved_page_piece_end(k, pfn, end_pfn);
    if (k.mm.pfn_valid(pfn)) {
      initialized += init_reserved_pages(k, pfn, piece_end);
      reserve_page_range(k.mm, pfn, piece_end);
    }
    pfn = piece_end;
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
