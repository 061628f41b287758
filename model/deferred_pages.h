// SPDX-License-Identifier: MIT
// deferred_pages.h - the building blocks every deferred path shares
// (mm/page_alloc.c, v4.17): deferred_init_pages() initializes the struct
// pages of a pfn range, deferred_free_pages() gives them to the buddy
// allocator a pageblock at a time. deferred_grow_zone() and
// deferred_init_memmap() in every policy are loops over these two.
#pragma once

#include <cstdint>
#include <vector>

#include "memblock.h"
#include "memory_model.h"
#include "mmzone.h"
#include "page_shadow.h"

namespace pginit {

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
