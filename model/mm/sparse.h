// SPDX-License-Identifier: MIT
// memmap_alloc.h - where the memmap comes from in each memory model:
// memory_present() and sparse_init() for SPARSEMEM (mm/sparse.c,
// mm/sparse-vmemmap.c, arch/x86/mm/init_64.c) and alloc_node_mem_map() for
// FLATMEM (mm/page_alloc.c), as v4.17 does them.
//
// Every allocation goes through memblock with the kernel's calls, so the
// memmap shows up in memblock.reserved (and in the memblock=debug lines)
// where the kernel would put it. Each allocation is also backed by host
// memory in the MemoryModel: raw allocations are filled with the 0xff poison
// pattern (what DEBUG_VM's memblock_virt_alloc_try_nid_raw writes, and
// pginit's stand-in for the garbage a kernel without DEBUG_VM would find),
// zeroed allocations with zeroes.
#pragma once

#include "include/linux/memblock.h"
#include "include/asm-generic/memory_model.h"
#include "include/linux/mmzone.h"

namespace pginit {

// pageblock_order: HUGETLB_PAGE_ORDER (9) with CONFIG_HUGETLB_PAGE, else MAX_ORDER - 1.
unsigned pageblock_order_for(const KconfigValues& config);
// usemap_size(): bytes of pageblock flags per section, in whole longs.
std::uint64_t usemap_size(unsigned pageblock_order);

// memory_present(): mark the sections of [start, end) present on nid,
// allocating the root table and root pages on the way.
void memory_present(MemoryModel& mm, memblock& mb, int nid, pfn_t start, pfn_t end);
// sparse_memory_present_with_active_regions(MAX_NUMNODES)
void sparse_memory_present_with_active_regions(MemoryModel& mm, memblock& mb);
// sparse_init(): usemaps and memmaps per (node, run of present sections).
void sparse_init(MemoryModel& mm, memblock& mb, unsigned pageblock_order, Printk& log);

// FLATMEM: the node's mem_map, MAX_ORDER-aligned at both ends; node 0's
// becomes the global mem_map.
void alloc_node_mem_map(MemoryModel& mm, memblock& mb, pglist_data& pgdat);

}  // namespace pginit
