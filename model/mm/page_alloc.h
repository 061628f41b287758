// SPDX-License-Identifier: MIT
// mm/page_alloc.h - the functions of mm/page_alloc.c that boot-time struct
// page initialization runs (v4.17), in one header as they are in one file;
// their code is split by topic: page_alloc.cpp (struct page init and
// pageblock bits), page_alloc_buddy.cpp, page_alloc_free_area_init.cpp,
// page_alloc_deferred.cpp.
//
// Struct page init: what the kernel writes into a struct page when it first
// takes ownership of it (mm/page_alloc.c, include/linux/mm.h, v4.17), and
// the pageblock migratetype bits (mm/page_alloc.c set_pfnblock_flags_mask).
//
// The buddy allocator's free lists, as far as boot needs them
// (mm/page_alloc.c, v4.17): freeing with merging (__free_one_page), the
// boot-time free path (__free_pages_boot_core) and taking a block off the
// lists (__rmqueue_smallest with expand).
//
// The lists are the kernel's: each free block's head struct page is
// PageBuddy (_mapcount -128) with its order in page->private, and its lru
// words link it to its neighbours on zone->free_area[order].free_list[mt].
// Nothing is kept on the side but the list heads, so walking a list means
// reading struct pages, exactly as the kernel does.
//
// Not modelled: per-cpu page lists (pginit frees order-0 pages straight to
// the buddy lists, which is what the boot pageset does until
// setup_per_cpu_pageset()), migratetype fallback and pageblock stealing
// (an allocation takes from its own migratetype's lists), guard pages,
// isolation.
//
// free_area_init_nodes(): zone boundaries, node spans and
// the per-zone accounting the kernel prints at boot (mm/page_alloc.c, v4.17).
//
// Deferred init: the building blocks every deferred path shares
// (mm/page_alloc.c, v4.17): deferred_init_pages() initializes the struct
// pages of a pfn range, deferred_free_pages() gives them to the buddy
// allocator a pageblock at a time. deferred_grow_zone() and
// deferred_init_memmap() in every policy are loops over these two.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "include/linux/memblock.h"
#include "include/asm-generic/memory_model.h"
#include "include/linux/page-flags.h"
#include "include/linux/mmzone.h"
#include "pginit/page_shadow.h"
#include "include/linux/printk.h"

namespace pginit {

// __init_single_page(): zero the struct, link it to zone/node (and section),
// one reference, no mappings, an empty lru. Records the phase in the shadow.
void __init_single_page(MemoryModel& mm, page& p, kva_t p_kva, pfn_t pfn, unsigned zone_idx, int nid,
                        InitPhase phase);
// The same, for loops that walk a run of struct pages: the caller brings the
// page_links() value (constant within a section) and the page's shadow
// record, both of which it steps along with the page.
inline void __init_single_page_run(page& p, kva_t p_kva, std::uint64_t links, PageShadow* shadow, InitPhase phase)
{
  const kva_t lru = page_lru(p_kva);
  p = page{links, 0, 0, -1, 1, lru, lru, 0, 0};
  shadow->phase = phase;
  shadow->zeroed = false;  // whatever zero_resv_unavail() left, it is a real struct page now
  if (shadow->inits < 255) shadow->inits++;
}

// mm_zero_struct_page(): the 64 bytes to zero, nothing more.
void mm_zero_struct_page(MemoryModel& mm, page& p, pfn_t pfn);

// The same stores over every pfn of [pfn, end), each of which has a memmap,
// in either mode (struct page bytes in fidelity mode, runs in scale mode):
// __init_single_page(); mm_zero_struct_page(); what reserve_bootmem_region()
// does to a page (an empty lru, then SetPageReserved()); and what
// __free_pages_boot_core() does before freeing (__ClearPageReserved(),
// set_page_count(0)).
void __init_single_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end, unsigned zone_idx, int nid, InitPhase phase);
void mm_zero_struct_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end);
void reserve_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end);
void set_page_reserved_range(MemoryModel& mm, pfn_t pfn, pfn_t end);  // SetPageReserved() alone
void free_pages_prepare_range(MemoryModel& mm, pfn_t pfn, pfn_t end);

// set_pageblock_migratetype() / get_pfnblock_migratetype(). The bits live in
// the section's usemap (SPARSEMEM) and are updated atomically, as the kernel
// does, because two nodes may share a section.
void set_pageblock_migratetype(MemoryModel& mm, pfn_t pfn, migratetype mt);
migratetype get_pfnblock_migratetype(const MemoryModel& mm, pfn_t pfn);

// __free_one_page(): merge with free buddies up to MAX_ORDER - 1 and put the
// block on its free list. `pfn` heads a block of `order` pages of zone `z`.
void __free_one_page(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order, migratetype mt);

// __free_pages_boot_core(): hand boot memory to the buddy allocator: clear
// PG_reserved and the refcount of each page, count it managed, free it.
void __free_pages_boot_core(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order);

// Scale mode: frees the MAX_ORDER-aligned [start, end) into `z` with the
// outcome of freeing it pageblock by pageblock in ascending order (each
// MAX_ORDER block put at the head of the MOVABLE list, its two pageblocks
// merged), in one step. Does nothing and returns false unless that outcome
// is certain: every pfn initialized for one zone and node, no block free
// yet, every pageblock MIGRATE_MOVABLE.
bool free_max_order_blocks(MemoryModel& mm, zone& z, pfn_t start, pfn_t end);

// __rmqueue_smallest(): the first block of at least `order` on `mt`'s lists,
// split down to `order` (expand()). nullopt when the zone has none.
std::optional<pfn_t> __rmqueue_smallest(MemoryModel& mm, zone& z, unsigned order, migratetype mt);

// Moves every block of `from` onto the same list of `to` in front of what is
// there, as if they had been freed to `to` after its own blocks: how the
// free lists built by parallel workers join their zone's, in a fixed order.
void splice_free_lists(MemoryModel& mm, zone& to, zone& from);

// Scale mode: the lru words of pfn's struct page when it heads a block on
// one of z's free lists (read_page() leaves them 0: the list lives beside
// the pages). False when it is on none of them.
bool free_list_links(const MemoryModel& mm, const zone& z, pfn_t pfn, kva_t* lru_next, kva_t* lru_prev);

// Walks one free list through the struct pages' lru words: the pfn of each
// block's head, first to last. Fidelity mode only: scale mode's lists are
// FreeList::runs, walked run by run (a 64 TiB list would be 16 M pfns here).
std::vector<pfn_t> free_list_pfns(const MemoryModel& mm, const FreeList& list);

struct FreeAreaInitParams {
  // max_zone_pfns[] as zone_sizes_init() fills it, by ZoneType; Movable and
  // Device have no arch limit (0).
  std::array<pfn_t, NR_ZONE_TYPES> max_zone_pfn{};
  std::uint64_t dma_reserve = 0;          // set_dma_reserve()
  bool sparsemem = true;                  // IS_ENABLED(CONFIG_SPARSEMEM) in calc_memmap_size()
  std::uint64_t struct_page_size = 64;    // sizeof(struct page) in calc_memmap_size()
  std::uint64_t batch_cap_bytes = 512 * SZ_1K;  // zone_batchsize(): 512 KiB, 1 MiB from v4.19
  // kernelcore= / movablecore= as find_zone_movable_pfns_for_nodes() takes
  // them: required pages, or a percentage of all memory when *_percent != 0.
  std::uint64_t required_kernelcore = 0;
  std::uint64_t required_kernelcore_percent = 0;
  std::uint64_t required_movablecore = 0;
  std::uint64_t required_movablecore_percent = 0;
  bool drops_movable_start_past_node = false;  // ddbc84f3f595 (v5.18)
  // The address width of the zone, node-range and Initmem lines (18: %#018Lx
  // from v4.0; 10: %#010Lx), and whether free_area_init_node() prints the
  // Initmem line (from 3.18; before, x86's NUMA code does).
  unsigned mem_hex_width = 18;
  bool initmem_printed_by_node = true;
  // Whether the per-zone accounting lines print (KERN_DEBUG until they
  // became pr_debug(); absent from 6.1 logs).
  bool zone_lines_printed = true;
  // Whether possible nodes without memory get a memoryless pg_data_t (6.1);
  // else only online nodes are initialized.
  bool inits_memoryless_nodes = false;
};

// Where the boot continues from inside the walk, in the kernel's order.
struct FreeAreaInitHooks {
  // After "Early memory node ranges", before the first node (zero_resv_unavail from v4.18).
  std::function<void()> before_nodes;
  // After the last node (zero_resv_unavail in v4.17).
  std::function<void(std::vector<pglist_data>&)> after_nodes;
  // After calculate_node_totalpages(): alloc_node_mem_map(), reset_deferred_meminit().
  std::function<void(pglist_data&)> node_prepared;
  // memmap_init() of one zone with spanned pages, after its accounting lines.
  std::function<void(pglist_data&, int zone_idx)> memmap_init;
  // A possible node without memory, between "Initializing node N as
  // memoryless" and its "Initmem setup" line: arch_alloc_nodedata().
  std::function<void(int nid)> alloc_memoryless_node;
};

// Prints "Zone ranges:" .. "  ZONE zone: N pages, LIFO batch:B" and returns
// one pglist_data per online node, in node-id order. `possible_nodes`
// (node_possible_map) matters only with params.inits_memoryless_nodes.
std::vector<pglist_data> free_area_init_nodes(const memblock& mb, const ZoneConfig& zones,
                                              const std::vector<int>& online_nodes,
                                              const std::vector<int>& possible_nodes,
                                              const FreeAreaInitParams& params, const FreeAreaInitHooks& hooks,
                                              Printk& log);

// get_pfn_range_for_nid(): the first and last+1 pfn of nid's memory (0, 0
// for a node without any).
void get_pfn_range_for_nid(const memblock& mb, int nid, pfn_t& start_pfn, pfn_t& end_pfn);
// find_usable_zone_for_movable(): the index of the highest zone with a
// non-empty arch range, which ZONE_MOVABLE takes its pages from.
std::size_t find_usable_zone_for_movable(const ZoneConfig& zones, const std::vector<pfn_t>& arch_lowest,
                                         const std::vector<pfn_t>& arch_highest);
// find_zone_movable_pfns_for_nodes(): where ZONE_MOVABLE starts in each node
// (0: none), indexed by nid, from kernelcore=/movablecore=.
std::vector<pfn_t> find_zone_movable_pfns_for_nodes(const memblock& mb, const ZoneConfig& zones,
                                                    const std::vector<pfn_t>& arch_lowest,
                                                    const std::vector<pfn_t>& arch_highest,
                                                    const FreeAreaInitParams& params);

// The pieces, for tests.
// `struct_page_size`: sizeof(struct page) of the modelled build (64; 56 for
// a 3.x/4.x kernel without CONFIG_HAVE_ALIGNED_STRUCT_PAGE).
std::uint64_t calc_memmap_size(std::uint64_t spanned_pages, std::uint64_t present_pages, bool sparsemem,
                               std::uint64_t struct_page_size = sizeof(page));
unsigned zone_batchsize(std::uint64_t managed_pages, std::uint64_t batch_cap_bytes);
// __absent_pages_in_range(): pfns of [start_pfn, end_pfn) not in memblock.memory of nid.
std::uint64_t absent_pages_in_range(const memblock& mb, int nid, pfn_t start_pfn, pfn_t end_pfn);

// Counts of one piece of deferred work, for the cost model and the log.
struct DeferredWork {
  std::uint64_t initialized = 0;
  std::uint64_t freed = 0;
  DeferredWork& operator+=(const DeferredWork& o)
  {
    initialized += o.initialized;
    freed += o.freed;
    return *this;
  }
};

// __init_single_page() for every valid pfn of [pfn, end_pfn) of zone zid.
std::uint64_t deferred_init_pages(MemoryModel& mm, int nid, unsigned zid, pfn_t pfn, pfn_t end_pfn, InitPhase phase);

// Frees [pfn, end_pfn) into `z`: whole aligned pageblocks at pageblock_order
// (marked MIGRATE_MOVABLE), the rest page by page. Returns the pages freed.
std::uint64_t deferred_free_pages(MemoryModel& mm, zone& z, pfn_t pfn, pfn_t end_pfn);

// The free memblock ranges of a node as pfns inside [zone_start, zone_end),
// starting at `from`: for_each_free_mem_pfn_range_in_zone_from().
struct PfnSpan {
  pfn_t start;
  pfn_t end;
};
std::vector<PfnSpan> free_pfn_spans_in_zone(const memblock& mb, int nid, const zone& z, pfn_t from);

// The spans, cut to [start, end).
std::vector<PfnSpan> clip_spans(const std::vector<PfnSpan>& spans, pfn_t start, pfn_t end);

// A zone like `z` (its span, node and list-head addresses) with empty free
// lists and no pages counted: where one worker's frees go before they are
// spliced into `z` (splice_free_lists()).
zone zone_with_empty_free_lists(const zone& z, unsigned zid);

// deferred_init_maxorder(): init, then free, the free pages of the spans
// from `*cursor` up to the next MAX_ORDER boundary; advances the cursor.
DeferredWork deferred_init_maxorder(MemoryModel& mm, zone& z, int nid, unsigned zid,
                                    const std::vector<PfnSpan>& spans, std::size_t* span, pfn_t* cursor,
                                    InitPhase phase);

}  // namespace pginit
