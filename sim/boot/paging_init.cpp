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
  // The memmap pginit keeps is 64-byte pages whatever the build; only the
  // accounting follows a build whose struct page is not padded.
  p.struct_page_size = k.config("HAVE_ALIGNED_STRUCT_PAGE") ? 64 : 56;
  p.batch_cap_bytes = k.version().zone_batch_cap_bytes;
  p.zone_lines_printed = k.version().zone_lines_printed;
  p.inits_memoryless_nodes = k.version().inits_memoryless_nodes;
  p.drops_movable_start_past_node = k.version().drops_movable_start_past_node;
  p.mem_hex_width = k.version().mem_hex_width;
  p.initmem_printed_by_node = !k.version().initmem_in_numa;
  // cmdline_parse_kernelcore() / cmdline_parse_movablecore(): "N%" only
  // where the version knows it; elsewhere memparse() made pages of it.
  const KernelCmdline& cmdline = k.scenario().boot.cmdline;
  const auto take = [&k](const std::optional<CoreParam>& c, std::uint64_t& pages, std::uint64_t& percent) {
    if (!c) return;
    if (c->is_percent && k.version().core_percent) percent = c->percent;
    else pages = c->pages;
  };
  take(cmdline.kernelcore, p.required_kernelcore, p.required_kernelcore_percent);
  take(cmdline.movablecore, p.required_movablecore, p.required_movablecore_percent);
  return p;
}

// arch_alloc_nodedata(): a memoryless node's pg_data_t, from memblock_alloc().
void alloc_memoryless_nodedata(Kernel& k)
{
  KernelFrame f(k.stack, "free_area_init");
  memblock_virt_alloc(k.memblock, k.version().pglist_data_size, SMP_CACHE_BYTES);
}

}  // namespace

void paging_init(Kernel& k)
{
  KernelFrame frame(k.stack, "paging_init");
  const unsigned pageblock_order = pageblock_order_for(k.scenario().config);
  k.mm.set_pageblock_order(pageblock_order);  // set_pageblock_order()
  if (k.mm.kind() != MemoryModelKind::flatmem) {
    const sparse_init_rules& rules = k.version().sparse;
    if (!rules.memblocks_present_in_sparse_init) sparse_memory_present_with_active_regions(k.mm, k.memblock, rules);
    const sparse_nodes nodes{.pgdat_phys = k.node_data_phys, .memory_hotremove = k.config("MEMORY_HOTREMOVE")};
    sparse_init(k.mm, k.memblock, pageblock_order, k.log, rules, nodes);
  }

  KernelFrame f(k.stack, "zone_sizes_init");
  KernelFrame g(k.stack, "free_area_init_nodes");
  k.mem_ranges = mem_pfn_ranges(k.memblock, k.memblock.max_numnodes);
  FreeAreaInitHooks hooks = early_init_hooks(k);
  hooks.alloc_memoryless_node = [&k](int) { alloc_memoryless_nodedata(k); };
  k.nodes = free_area_init_nodes(k.memblock, k.zones, k.online_nodes, k.possible_nodes, zone_sizes_init(k), hooks,
                                  k.log);
}

}  // namespace pginit
