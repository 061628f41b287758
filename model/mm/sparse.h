// SPDX-License-Identifier: MIT
// memmap_alloc.h - where the memmap comes from in each memory model:
// memory_present() and sparse_init() for SPARSEMEM (mm/sparse.c,
// mm/sparse-vmemmap.c, arch/x86/mm/init_64.c) and alloc_node_mem_map() for
// FLATMEM (mm/page_alloc.c): v4.15 - v4.18's whole-machine sparse_init()
// and the per-node one of v4.19 on, as sparse_init_rules says.
//
// Every allocation goes through memblock with the kernel's calls, so the
// memmap shows up in memblock.reserved (and in the memblock=debug lines)
// where the kernel would put it. Each allocation is also backed by host
// memory in the MemoryModel: raw allocations are filled with the 0xff poison
// pattern (what DEBUG_VM's memblock_virt_alloc_try_nid_raw writes, and
// pginit's stand-in for the garbage a kernel without DEBUG_VM would find),
// zeroed allocations with zeroes.
#pragma once

#include <map>

#include "include/linux/memblock.h"
#include "include/asm-generic/memory_model.h"
#include "include/linux/mmzone.h"

namespace pginit {

// pageblock_order: HUGETLB_PAGE_ORDER (9) with CONFIG_HUGETLB_PAGE, else MAX_ORDER - 1.
unsigned pageblock_order_for(const KconfigValues& config);
// usemap_size(): bytes of pageblock flags per section, in whole longs.
std::uint64_t usemap_size(unsigned pageblock_order);

// How one kernel version's sparse_init() allocates (mm/sparse.c,
// mm/sparse-vmemmap.c). The defaults are v4.15 - v4.18's; each version's
// values are in sim/policy/kernel_version.cpp.
struct sparse_init_rules {
  // v4.15 - v4.18: two temporary NR_MEM_SECTIONS-long pointer arrays
  // (usemap_map, map_map, 4 MiB each) filled by alloc_usemap_and_memmap()
  // for the whole machine. From v4.19 ("sparse_init rewrite" series,
  // 35fd1eb1e821 and followers): sparse_init_nid() per node run, with the
  // node's memmap in one sparse_buffer_init() block that vmemmap_populate()
  // takes its PMD blocks from.
  bool per_node = false;
  // sparse_buffer_init(): memblock_alloc_exact_nid_raw() aligned to
  // section_map_size(), and sparse_buffer_alloc() frees the gap an aligned
  // block leaves (in the 5.7.14 tree; v4.19 - v5.2: memblock_alloc_try_nid_raw()
  // aligned to PAGE_SIZE, and the gap stays reserved).
  bool exact_buffer = false;
  // sparse_init_nid() gives the buffer back (sparse_buffer_fini()) also when
  // a section's memmap failed (6.1; not in the 4.19 - 5.8 trees).
  bool fini_on_failure = false;
  // The align of memblock_virt_alloc_node() (0, printed as align=0x0, until
  // v4.19) / memblock_alloc_node(size, SMP_CACHE_BYTES, nid) (from v4.20):
  // sparse_index_alloc() and the usemaps without MEMORY_HOTREMOVE.
  phys_addr_t node_alloc_align = 0;
  // Each section's struct mem_section_usage in front of its pageblock bits:
  // the subsection_map bitmap with SPARSEMEM_VMEMMAP (8 bytes, v5.3:
  // "mm/sparsemem: add helpers track active portions of a section at boot"),
  // and a struct rcu_head (16 bytes; upstream v6.8, in Debian's 6.1.192 as a
  // stable backport: its logs allocate 56 bytes per section).
  bool usage_subsection_map = false;
  bool usage_rcu_head = false;
  // sparse_init() calls memblocks_present() (6.1; static, inlined into
  // sparse_init, so the root table's line names sparse_init); before, the
  // arch's paging_init() calls sparse_memory_present_with_active_regions().
  bool memblocks_present_in_sparse_init = false;
  // The section_mem_map flag bits and the node id's shift (SectionFlagSet).
  SectionFlagSet section_flags = SectionFlagSet::v4_13;
};

// What sparse_init() needs to know of the nodes.
struct sparse_nodes {
  // NODE_DATA(nid)'s physical address where alloc_node_data() put it; a node
  // not listed has none modelled, and its usemaps come without the goal.
  std::map<int, phys_addr_t> pgdat_phys;
  // CONFIG_MEMORY_HOTREMOVE: usemaps go in the pgdat's section
  // (sparse_early_usemaps_alloc_pgdat_section()).
  bool memory_hotremove = true;
};

// memory_present(): mark the sections of [start, end) present on nid,
// allocating the root table and root pages on the way.
void memory_present(MemoryModel& mm, memblock& mb, int nid, pfn_t start, pfn_t end,
                    const sparse_init_rules& rules = {});
// sparse_memory_present_with_active_regions(MAX_NUMNODES)
void sparse_memory_present_with_active_regions(MemoryModel& mm, memblock& mb, const sparse_init_rules& rules = {});
// sparse_init(): usemaps and memmaps per (node, run of present sections).
void sparse_init(MemoryModel& mm, memblock& mb, unsigned pageblock_order, Printk& log,
                 const sparse_init_rules& rules = {}, const sparse_nodes& nodes = {});
// Bytes of a section's usemap block: usemap_size() plus the struct
// mem_section_usage header the rules give (vmemmap: with SPARSEMEM_VMEMMAP).
std::uint64_t mem_section_usage_size(const sparse_init_rules& rules, unsigned pageblock_order, bool vmemmap);

// FLATMEM: the node's mem_map, MAX_ORDER-aligned at both ends; node 0's
// becomes the global mem_map.
void alloc_node_mem_map(MemoryModel& mm, memblock& mb, pglist_data& pgdat);

}  // namespace pginit
