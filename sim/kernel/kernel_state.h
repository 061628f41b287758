// SPDX-License-Identifier: MIT
// kernel_state.h - the state a simulated kernel builds up during boot:
// nothing but what the kernel itself keeps (e820, memblock, the memmap,
// nodes and zones, the per-cpu first chunk, the deferred_pages key). What
// watches it (the checker, the report recorder) and what drives it (the
// clock, the executor, the log) are in kernel.h, beside it.
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "arch/x86/kernel/e820.h"
#include "include/linux/memblock.h"
#include "include/asm-generic/memory_model.h"
#include "include/linux/memremap.h"
#include "include/linux/mmzone.h"
#include "arch/x86/mm/init.h"
#include "arch/x86/mm/vm_layout.h"

namespace pginit {

// The per-cpu first chunk (setup_per_cpu_areas()).
struct PercpuFirstChunk {
  enum class Kind { km, embed, page } kind = Kind::km;
  std::uint64_t unit_size = 0;
  std::vector<kva_t> unit_base;        // by cpu
  std::vector<phys_addr_t> page_phys;  // page first chunk: the page behind each unit page
  std::uint64_t unit_pages = 0;
};

// A block handed out by alloc_pages() during boot (the scenario's allocations).
struct BootAllocation {
  pfn_t pfn;
  unsigned order;
};

struct KernelState {
  // What a config fixes before the first instruction: MAX_NUMNODES, where
  // the image is mapped, the zones it has, its memory model.
  KernelState(int max_numnodes, const VirtualLayout& layout, const ZoneConfig& zone_config, MemoryModel memory_model);

  e820_table e820;           // e820_table: what the kernel edits and uses
  e820_table e820_firmware;  // e820_table_firmware: as the firmware gave it, sanitized
  struct memblock memblock;
  // init_mem_mapping()'s page tables and alloc_low_pages() state (init.h).
  struct direct_map direct_map;

  pfn_t max_pfn = 0;      // highest usable pfn + 1
  pfn_t max_low_pfn = 0;  // the same on x86_64 once the direct map covers it

  std::vector<int> online_nodes;   // node_online_map, ascending
  std::vector<int> possible_nodes; // node_possible_map: every node the SRAT named (numa_nodes_parsed), ascending
  std::uint64_t dma_reserve = 0;   // memblock_find_dma_reserve()
  // _totalram_pages: what memblock_free_all() handed over, deferred pages included.
  std::uint64_t totalram_pages = 0;
  VirtualLayout vm;                // PAGE_OFFSET, VMEMMAP_START, phys_base
  ZoneConfig zones;                // the zones this config has
  MemoryModel mm;                  // the memmap and how to reach it
  std::vector<pglist_data> nodes;  // NODE_DATA(nid), for online nodes, by nid order
  // Where alloc_node_data() put each node's pg_data_t (versions that model it).
  std::map<int, phys_addr_t> node_data_phys;
  // memblock.memory as pfn ranges, ascending, for early_pfn_to_nid().
  std::vector<pfn_range> mem_ranges;

  // v5.12's memmap_init_zone() (MemmapInitWalk::zone_ranges_then_holes)
  // initializes each zone's tail up to its section end, which the zone
  // above, or the next node, initializes again: memory pages initialized
  // twice by design, which the end-of-boot proof must not call a failure.
  bool reinits_section_tails = false;

  // The deferred_pages static key: on until page_alloc_init_late() is done.
  bool deferred_pages = true;
  // gfp_allowed_mask: GFP_BOOT_MASK (no reclaim, IO or FS) until
  // kernel_init_freeable() opens it to __GFP_BITS_MASK, before smp_init().
  bool gfp_allowed_mask_open = false;
  // current->comm of the boot task: "swapper" until sched_init() -> init_idle()
  // names it "swapper/0" (only with SMP); kernel_init inherits it.
  std::string_view current_comm = "swapper";
  // userdef: mem= or memmap= edited the e820 table (e820__finish_early_params()).
  bool e820_userdef = false;
  PercpuFirstChunk percpu;
  std::vector<BootAllocation> allocations;
  // The dev_pagemaps memremap_pages() set up (pgmap_array), in order.
  std::vector<dev_pagemap> dev_pagemaps;
  const dev_pagemap* find_dev_pagemap(kva_t pgmap) const;

  // NODE_DATA(nid), or nullptr for an offline node.
  pglist_data* node_data(int nid);
  const pglist_data* node_data(int nid) const;
  // early_pfn_to_nid(): the node memblock gives pfn; first online node for holes.
  int early_pfn_to_nid(pfn_t pfn) const;
  // early_page_uninitialised(): pfn lies in its node's deferred part.
  bool early_page_uninitialised(pfn_t pfn) const;
};

}  // namespace pginit
