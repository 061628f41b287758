// SPDX-License-Identifier: MIT
#include "boot/paging_init.h"

#include <algorithm>

#include "mm/sparse.h"
#include "phases/early_init.h"

namespace pginit {

void memblock_find_dma_reserve(Kernel& k)
{
  KernelFrame frame(k.stack, "memblock_find_dma_reserve");
  // All memory below MAX_DMA_PFN, minus what of it is still free.
  std::uint64_t nr_pages = 0;
  for (const pfn_range& r : mem_pfn_ranges(k.memblock, k.memblock.max_numnodes)) {
    const pfn_t start = std::min(r.start_pfn, MAX_DMA_PFN);
    const pfn_t end = std::min(r.end_pfn, MAX_DMA_PFN);
    nr_pages += end - start;
  }
  std::uint64_t nr_free_pages = 0;
  for (const mem_range& r : free_mem_ranges(k.memblock, NUMA_NO_NODE, MEMBLOCK_NONE)) {
    const pfn_t start = std::min(PFN_UP(r.start), MAX_DMA_PFN);
    const pfn_t end = std::min(PFN_DOWN(r.end), MAX_DMA_PFN);
    if (start < end) nr_free_pages += end - start;
  }
  k.dma_reserve = nr_pages - nr_free_pages;  // set_dma_reserve()
}

namespace {

// zone_sizes_init(): the arch's upper bound of each zone.
FreeAreaInitParams zone_sizes_init(const Kernel& k)
{
  FreeAreaInitParams p;
  p.max_zone_pfn[static_cast<std::size_t>(ZoneType::dma)] = std::min(MAX_DMA_PFN, k.max_low_pfn);
  p.max_zone_pfn[static_cast<std::size_t>(ZoneType::dma32)] = std::min(MAX_DMA32_PFN, k.max_low_pfn);
  p.max_zone_pfn[static_cast<std::size_t>(ZoneType::normal)] = k.max_low_pfn;
  p.dma_reserve = k.dma_reserve;
  p.sparsemem = k.mm.kind() != MemoryModelKind::flatmem;
  p.batch_cap_bytes = k.version().zone_batch_cap_bytes;
  return p;
}

}  // namespace

void paging_init(Kernel& k)
{
  KernelFrame frame(k.stack, "paging_init");
  const unsigned pageblock_order = pageblock_order_for(k.scenario().config);
  k.mm.set_pageblock_order(pageblock_order);  // set_pageblock_order()
  if (k.mm.kind() != MemoryModelKind::flatmem) {
    sparse_memory_present_with_active_regions(k.mm, k.memblock);
    sparse_init(k.mm, k.memblock, pageblock_order, k.log);
  }

  KernelFrame f(k.stack, "zone_sizes_init");
  KernelFrame g(k.stack, "free_area_init_nodes");
  k.mem_ranges = mem_pfn_ranges(k.memblock, k.memblock.max_numnodes);
  k.nodes = free_area_init_nodes(k.memblock, k.zones, k.online_nodes, zone_sizes_init(k), early_init_hooks(k),
                                  k.log);
}

}  // namespace pginit
