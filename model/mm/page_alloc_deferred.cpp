// SPDX-License-Identifier: MIT
#include "mm/page_alloc.h"

#include <algorithm>


namespace pginit {

std::uint64_t deferred_init_pages(MemoryModel& mm, int nid, unsigned zid, pfn_t pfn, pfn_t end_pfn, InitPhase phase)
{
  const pfn_t pageblock = mm.pageblock_nr_pages();
  std::uint64_t nr_pages = 0;
  while (pfn < end_pfn) {
    // deferred_pfn_valid(): pfn_valid() is asked once per pageblock (a
    // pageblock never spans sections); a piece of an invalid one is skipped.
    const pfn_t next = std::min(end_pfn, round_up(pfn + 1, pageblock));
    if (mm.pfn_valid(pfn)) {
      __init_single_page_range(mm, pfn, next, zid, nid, phase);
      nr_pages += next - pfn;
    }
    pfn = next;
  }
  return nr_pages;
}

namespace {

// deferred_free_range(): a whole aligned pageblock in one go, else page by page.
void deferred_free_range(MemoryModel& mm, zone& z, pfn_t pfn, pfn_t nr_pages)
{
  if (nr_pages == 0) return;
  const pfn_t pageblock = mm.pageblock_nr_pages();
  if (nr_pages == pageblock && (pfn & (pageblock - 1)) == 0) {
    set_pageblock_migratetype(mm, pfn, MIGRATE_MOVABLE);
    __free_pages_boot_core(mm, z, pfn, mm.pageblock_order());
    return;
  }
  for (pfn_t i = 0; i < nr_pages; i++, pfn++) {
    if ((pfn & (pageblock - 1)) == 0) set_pageblock_migratetype(mm, pfn, MIGRATE_MOVABLE);
    __free_pages_boot_core(mm, z, pfn, 0);
  }
}

// The pageblocks of [pfn, end_pfn), each freed as deferred_free_pages()'s
// pfn loop would: a pageblock it finds invalid at its first pfn contributes
// only the pfns after that one (the kernel checks pfn_valid() there only).
void deferred_free_pageblocks(MemoryModel& mm, zone& z, pfn_t pfn, pfn_t end_pfn)
{
  const pfn_t pageblock = mm.pageblock_nr_pages();
  while (pfn < end_pfn) {
    const pfn_t next = std::min(end_pfn, round_up(pfn + 1, pageblock));
    const pfn_t from = (pfn & (pageblock - 1)) == 0 && !mm.pfn_valid(pfn) ? pfn + 1 : pfn;
    deferred_free_range(mm, z, from, next - from);
    pfn = next;
  }
}

}  // namespace

std::uint64_t deferred_free_pages(MemoryModel& mm, zone& z, pfn_t pfn, pfn_t end_pfn)
{
  const std::uint64_t total = end_pfn > pfn ? end_pfn - pfn : 0;
  if (mm.page_runs() == nullptr || total < MAX_ORDER_NR_PAGES) {
    deferred_free_pageblocks(mm, z, pfn, end_pfn);
    return total;
  }
  // Scale mode: the whole MAX_ORDER blocks in the middle at once, when that
  // gives what freeing them pageblock by pageblock gives (buddy_runs.cpp).
  const pfn_t mid_start = round_up(pfn, MAX_ORDER_NR_PAGES);
  const pfn_t mid_end = round_down(end_pfn, MAX_ORDER_NR_PAGES);
  if (mid_start >= mid_end) {
    deferred_free_pageblocks(mm, z, pfn, end_pfn);
    return total;
  }
  deferred_free_pageblocks(mm, z, pfn, mid_start);
  for (pfn_t p = mid_start; p < mid_end; p += mm.pageblock_nr_pages())
    if (mm.pfn_valid(p)) set_pageblock_migratetype(mm, p, MIGRATE_MOVABLE);
  if (!free_max_order_blocks(mm, z, mid_start, mid_end)) deferred_free_pageblocks(mm, z, mid_start, mid_end);
  deferred_free_pageblocks(mm, z, mid_end, end_pfn);
  return total;
}

std::vector<PfnSpan> free_pfn_spans_in_zone(const memblock& mb, int nid, const zone& z, pfn_t from)
{
  std::vector<PfnSpan> spans;
  for (const mem_range& r : free_mem_ranges(mb, nid, MEMBLOCK_NONE)) {
    const pfn_t s = std::max({PFN_UP(r.start), z.zone_start_pfn, from});
    const pfn_t e = std::min(PFN_DOWN(r.end), z.zone_end_pfn());
    if (s < e) spans.push_back(PfnSpan{s, e});
  }
  return spans;
}

std::vector<PfnSpan> clip_spans(const std::vector<PfnSpan>& spans, pfn_t start, pfn_t end)
{
  std::vector<PfnSpan> out;
  for (const PfnSpan& s : spans) {
    const pfn_t a = std::max(s.start, start);
    const pfn_t b = std::min(s.end, end);
    if (a < b) out.push_back(PfnSpan{a, b});
  }
  return out;
}

zone zone_with_empty_free_lists(const zone& z, unsigned zid)
{
  zone local = z;
  local.free_area = {};
  local.nr_free_pages = 0;
  local.managed_pages = 0;
  local.init_free_lists(static_cast<int>(zid));
  return local;
}

DeferredWork deferred_init_maxorder(MemoryModel& mm, zone& z, int nid, unsigned zid,
                                    const std::vector<PfnSpan>& spans, std::size_t* span, pfn_t* cursor,
                                    InitPhase phase)
{
  DeferredWork w;
  const pfn_t mo_pfn = round_up(*cursor + 1, MAX_ORDER_NR_PAGES);
  // Initialize everything free in [cursor, mo_pfn), across spans ...
  std::size_t i = *span;
  pfn_t start = *cursor;
  for (; i < spans.size(); i++) {
    start = std::max(start, spans[i].start);
    if (mo_pfn <= start) break;
    w.initialized += deferred_init_pages(mm, nid, zid, start, std::min(mo_pfn, spans[i].end), phase);
    if (mo_pfn < spans[i].end) break;
  }
  // ... then free the same pages, now that their buddies are initialized.
  start = *cursor;
  for (std::size_t j = *span; j < spans.size(); j++) {
    start = std::max(start, spans[j].start);
    if (mo_pfn <= start) break;
    w.freed += deferred_free_pages(mm, z, start, std::min(mo_pfn, spans[j].end));
    if (mo_pfn <= spans[j].end) break;
  }
  // Where the next step begins.
  while (*span < spans.size() && spans[*span].end <= mo_pfn) (*span)++;
  *cursor = *span < spans.size() ? std::max(mo_pfn, spans[*span].start) : mo_pfn;
  return w;
}

}  // namespace pginit
