// SPDX-License-Identifier: MIT
#include "mm/page_alloc.h"

#include <atomic>
#include <cstddef>
#include <cstring>

namespace pginit {

std::string_view init_phase_name(InitPhase p)
{
  switch (p) {
    case InitPhase::none: return "none";
    case InitPhase::early: return "early";
    case InitPhase::mm_init: return "mm_init";
    case InitPhase::on_demand: return "on-demand";
    case InitPhase::deferred: return "deferred";
    case InitPhase::device: return "device";
  }
  return "?";
}

void __init_single_page(MemoryModel& mm, page& p, kva_t p_kva, pfn_t pfn, unsigned zone_idx, int nid,
                        InitPhase phase)
{
  // mm_zero_struct_page(), set_page_links(), init_page_count() (1),
  // page_mapcount_reset() (-1), INIT_LIST_HEAD(&page->lru): one 64-byte store.
  const kva_t lru = page_lru(p_kva);
  p = page{page_links(zone_idx, nid, pfn, mm.flags_layout()), 0, 0, -1, 1, lru, lru, 0, 0};
  if (PageShadow* s = mm.shadow(pfn)) {
    s->phase = phase;
    s->zeroed = false;  // whatever zero_resv_unavail() left, it is a real struct page now
    if (s->inits < 255) s->inits++;
  }
}

void mm_zero_struct_page(MemoryModel& mm, page& p, pfn_t pfn)
{
  std::memset(&p, 0, sizeof(page));
  if (PageShadow* s = mm.shadow(pfn)) s->zeroed = true;
}

void set_pageblock_migratetype(MemoryModel& mm, pfn_t pfn, migratetype mt)
{
  unsigned shift = 0;
  std::uint64_t* word = mm.pageblock_word(pfn, &shift);
  if (word == nullptr) return;
  // MIGRATETYPE_MASK: the low 3 of the 4 bits of this pageblock.
  const std::uint64_t mask = std::uint64_t{7} << shift;
  std::atomic_ref<std::uint64_t> bits(*word);
  std::uint64_t old = bits.load(std::memory_order_relaxed);
  while (!bits.compare_exchange_weak(old, (old & ~mask) | (std::uint64_t{mt} << shift), std::memory_order_relaxed)) {
  }
}

migratetype get_pfnblock_migratetype(const MemoryModel& mm, pfn_t pfn)
{
  unsigned shift = 0;
  std::uint64_t* word = const_cast<MemoryModel&>(mm).pageblock_word(pfn, &shift);
  if (word == nullptr) return MIGRATE_UNMOVABLE;
  const std::uint64_t bits = std::atomic_ref<std::uint64_t>(*word).load(std::memory_order_relaxed);
  return static_cast<migratetype>((bits >> shift) & 7);
}

}  // namespace pginit
