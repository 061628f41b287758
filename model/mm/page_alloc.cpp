// SPDX-License-Identifier: MIT
#include "mm/page_alloc.h"

#include <atomic>
#include <cstddef>
#include <algorithm>
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

namespace {

// f(first struct page, its kva, first pfn, count) for each section's part of [pfn, end):
// the host pages of one section are contiguous, those of two need not be.
template <typename Each>
void for_each_section_part(MemoryModel& mm, pfn_t pfn, pfn_t end, Each f)
{
  while (pfn < end) {
    const pfn_t stop = std::min(end, round_up(pfn + 1, PAGES_PER_SECTION));
    f(mm.pfn_host_page(pfn), mm.pfn_to_page(pfn).value, pfn, stop - pfn);
    pfn = stop;
  }
}

}  // namespace

void __init_single_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end, unsigned zone_idx, int nid, InitPhase phase)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs->update(pfn, end, [&](PageRunState& s) {
      const std::uint8_t inits = s.shadow.inits;
      s = PageRunState{};
      s.body = PageRunState::Body::init;
      s.zid = static_cast<std::uint8_t>(zone_idx);
      s.nid = static_cast<std::int16_t>(nid);
      s.shadow.phase = phase;
      s.shadow.inits = inits < 255 ? inits + 1 : inits;
    });
    return;
  }
  for_each_section_part(mm, pfn, end, [&](page* p, kva_t p_kva, pfn_t first, pfn_t count) {
    const std::uint64_t links = page_links(zone_idx, nid, first, mm.flags_layout());
    PageShadow* shadow = mm.shadow(first);
    for (pfn_t i = 0; i < count; i++, p++, p_kva += sizeof(page), shadow++)
      __init_single_page_run(*p, p_kva, links, shadow, phase);
  });
}

void mm_zero_struct_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs->update(pfn, end, [](PageRunState& s) {
      const PageShadow shadow = s.shadow;
      s = PageRunState{};
      s.body = PageRunState::Body::zeroed;
      s.shadow = shadow;
      s.shadow.zeroed = true;
    });
    return;
  }
  for (; pfn < end; pfn++) mm_zero_struct_page(mm, *mm.pfn_host_page(pfn), pfn);
}

void reserve_page_range(MemoryModel& mm, pfn_t pfn, pfn_t end)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs->update(pfn, end, [](PageRunState& s) {
      s.lru = PageRunState::Lru::self;
      s.reserved = PageRunState::Bit::set;
    });
    return;
  }
  for_each_section_part(mm, pfn, end, [](page* p, kva_t p_kva, pfn_t, pfn_t count) {
    for (pfn_t i = 0; i < count; i++, p++, p_kva += sizeof(page)) {
      // "Avoid false-positive PageTail()": whatever the struct held, lru is now empty.
      p->lru_next = p->lru_prev = page_lru(p_kva);
      SetPageReserved(*p);
    }
  });
}

void set_page_reserved_range(MemoryModel& mm, pfn_t pfn, pfn_t end)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs->update(pfn, end, [](PageRunState& s) { s.reserved = PageRunState::Bit::set; });
    return;
  }
  for_each_section_part(mm, pfn, end, [](page* p, kva_t, pfn_t, pfn_t count) {
    for (pfn_t i = 0; i < count; i++, p++) SetPageReserved(*p);
  });
}

void free_pages_prepare_range(MemoryModel& mm, pfn_t pfn, pfn_t end)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs->update(pfn, end, [](PageRunState& s) {
      s.reserved = PageRunState::Bit::cleared;
      s.refcount_zero = true;
    });
    return;
  }
  for_each_section_part(mm, pfn, end, [](page* p, kva_t, pfn_t, pfn_t count) {
    for (pfn_t i = 0; i < count; i++, p++) {
      __ClearPageReserved(*p);
      p->_refcount = 0;  // set_page_count(p, 0)
    }
  });
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
