// SPDX-License-Identifier: MIT
// page_init.h - what the kernel writes into a struct page when it first
// takes ownership of it (mm/page_alloc.c, include/linux/mm.h, v4.17), and
// the pageblock migratetype bits (mm/page_alloc.c set_pfnblock_flags_mask).
#pragma once

#include <cstddef>

#include "memory_model.h"
#include "mmzone.h"

namespace pginit {

// page->_mapcount of a page on a buddy free list (PAGE_BUDDY_MAPCOUNT_VALUE).
inline constexpr std::int32_t PAGE_BUDDY_MAPCOUNT_VALUE = -128;
// What list_del() leaves in lru (LIST_POISON1/2 with POISON_POINTER_DELTA on x86_64).
inline constexpr std::uint64_t LIST_POISON1 = 0xdead000000000100;
inline constexpr std::uint64_t LIST_POISON2 = 0xdead000000000200;

inline bool PageReserved(const page& p) { return (p.flags >> PG_reserved) & 1; }
inline void SetPageReserved(page& p) { p.flags |= std::uint64_t{1} << PG_reserved; }
inline void __ClearPageReserved(page& p) { p.flags &= ~(std::uint64_t{1} << PG_reserved); }
inline bool PageBuddy(const page& p) { return p._mapcount == PAGE_BUDDY_MAPCOUNT_VALUE; }
// &page->lru, as a kernel address.
constexpr kva_t page_lru(kva_t page_kva) { return page_kva + offsetof(page, lru_next); }

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

// set_pageblock_migratetype() / get_pfnblock_migratetype(). The bits live in
// the section's usemap (SPARSEMEM) and are updated atomically, as the kernel
// does, because two nodes may share a section.
void set_pageblock_migratetype(MemoryModel& mm, pfn_t pfn, migratetype mt);
migratetype get_pfnblock_migratetype(const MemoryModel& mm, pfn_t pfn);

}  // namespace pginit
