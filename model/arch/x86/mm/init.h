// SPDX-License-Identifier: MIT
// init.h - the early direct map of x86_64 (arch/x86/mm/init.c,
// init_64.c): init_mem_mapping() maps all RAM at PAGE_OFFSET, and the page
// tables it needs come from a small buffer in the kernel's brk area or, once
// that is used up or must not be used, from memblock (alloc_low_pages()).
// Those memblock pages stay in memblock.reserved for good, and the window
// they are taken from decides where later allocations (NODE_DATA) land.
//
// Modelled: 4-level paging (no LA57 CPU, so the p4d level is folded: the
// page allocated for an empty PGD entry is a PUD table), 2 MiB pages when
// the CPU has PSE, 1 GiB pages when the caller says the CPU has them,
// nokaslr (__PAGE_OFFSET is 512 GiB aligned, so physical 512G/1G/2M
// boundaries are PGD/PUD/PMD entry boundaries). No direct-map table exists
// before init_mem_mapping(): x86_64_start_kernel() clears init_top_pgt but
// for the kernel-image slot.
#pragma once

#include <map>
#include <set>
#include <vector>

#include "arch/x86/kernel/e820.h"
#include "arch/x86/mm/vm_layout.h"
#include "include/linux/memblock.h"

namespace pginit {

// INIT_PGD_PAGE_COUNT, the size of the brk page-table buffer in pages: the
// ISA mapping and the first PMD_SIZE mapping need INIT_PGD_PAGE_TABLES pages
// each (3 below the PGD, 4 with CONFIG_X86_5LEVEL since v5.12), twice as
// many with CONFIG_RANDOMIZE_MEMORY. Before v5.12 the count was 6 or 12
// whatever X86_5LEVEL said (`counts_5level` false).
unsigned long init_pgd_page_count(bool counts_5level, bool x86_5level, bool randomize_memory);

// page_size_mask bits of a map_range.
inline constexpr unsigned PG_LEVEL_2M_MASK = 1u << 0;
inline constexpr unsigned PG_LEVEL_1G_MASK = 1u << 1;

struct map_range {
  u64 start = 0;
  u64 end = 0;
  unsigned page_size_mask = 0;
  bool operator==(const map_range&) const = default;
};

// One page-table page that the direct map took, in allocation order.
struct pgt_page {
  enum class From { brk, memblock } from = From::brk;
  phys_addr_t pa = 0;
  int level = 0;  // the table it holds: 3 PUD, 2 PMD, 1 PTE
  bool operator==(const pgt_page&) const = default;
};

// The state init.c keeps in statics, and the direct-map tables below the PGD.
struct direct_map {
  // What probe_page_size_mask() found: PSE (2M) is taken as present;
  // 1G pages need direct_gbpages and X86_FEATURE_GBPAGES.
  bool pse = true;
  bool gbpages = false;

  // early_alloc_pgt_buf(): [pgt_buf_start, pgt_buf_top) in the brk area.
  pfn_t pgt_buf_start = 0;
  pfn_t pgt_buf_end = 0;
  pfn_t pgt_buf_top = 0;
  bool can_use_brk_pgt = true;
  pfn_t min_pfn_mapped = 0;
  // head64.c starts with the kernel image area mapped (KERNEL_IMAGE_SIZE,
  // 1 GiB with RANDOMIZE_BASE); memory_map_*() reset it to 0.
  pfn_t max_pfn_mapped = PFN_DOWN(SZ_1G);

  // The tables, by physical index (the direct map is linear): PGD entries
  // that have a PUD table; PUD entries (1 GiB) and PMD entries (2 MiB) that
  // hold a next-level table (true) or a large page (false).
  std::set<u64> pgd;
  std::map<u64, bool> pud;
  std::map<u64, bool> pmd;

  std::vector<pgt_page> pages;
};

// early_alloc_pgt_buf(): the buffer is the last thing taken from brk before
// reserve_brk(), so it ends where the reserved brk ends (`brk_end`).
void early_alloc_pgt_buf(direct_map& dm, phys_addr_t brk_end, unsigned long pages);

// alloc_low_pages(num): from the brk buffer while it has room and may be
// used, else memblock [min_pfn_mapped, max_pfn_mapped) top-down. Throws
// KernelPanic as the kernel panics (or BUGs) when neither has memory.
phys_addr_t alloc_low_pages(memblock& mb, direct_map& dm, unsigned num);

// split_mem_range(): [start, end) cut at 2M and 1G boundaries into ranges of
// one page size, promoted where memblock.memory covers the whole large page,
// neighbours of equal size merged.
std::vector<map_range> split_mem_range(const memblock& mb, const direct_map& dm, u64 start, u64 end);

// kernel_physical_mapping_init() for one range; returns the end of what is
// mapped (a large page maps to its end).
u64 kernel_physical_mapping_init(memblock& mb, direct_map& dm, u64 start, u64 end, unsigned page_size_mask);

// init_memory_mapping(): returns the pfn where the mapping ends.
pfn_t init_memory_mapping(memblock& mb, direct_map& dm, u64 start, u64 end);

// init_range_memory_mapping(): the RAM of memblock.memory inside
// [r_start, r_end); returns how many bytes of RAM it mapped.
u64 init_range_memory_mapping(memblock& mb, direct_map& dm, u64 r_start, u64 r_end);

void memory_map_top_down(memblock& mb, direct_map& dm, u64 map_start, u64 map_end);
void memory_map_bottom_up(memblock& mb, direct_map& dm, u64 map_start, u64 map_end);

// init_mem_mapping(): the ISA range, then all RAM below max_pfn, top-down
// (bottom-up when memblock allocates bottom-up, from `kernel_end`).
void init_mem_mapping(memblock& mb, direct_map& dm, pfn_t max_pfn, phys_addr_t kernel_end);

// get_max_mapped(): the end of the direct map, memblock's limit afterwards.
inline phys_addr_t get_max_mapped(const direct_map& dm) { return PFN_PHYS(dm.max_pfn_mapped); }

}  // namespace pginit
