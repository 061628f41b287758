// SPDX-License-Identifier: MIT
#include "mm/page_alloc.h"

#include <algorithm>


namespace pginit {

std::uint64_t deferred_init_pages(MemoryModel& mm, int nid, unsigned zid, pfn_t pfn, pfn_t end_pfn, InitPhase phase)
{
  const pfn_t nr_pgmask = mm.pageblock_nr_pages() - 1;
  std::uint64_t nr_pages = 0;
  page* p = nullptr;
  kva_t p_kva = 0;
  PageShadow* shadow = nullptr;
  std::uint64_t links = 0;
  for (; pfn < end_pfn; pfn++) {
    // deferred_pfn_valid(): pfn_valid() is asked once per pageblock, and the
    // struct page is looked up again there (a pageblock never spans sections).
    if ((pfn & nr_pgmask) == 0 || p == nullptr) {
      if ((pfn & nr_pgmask) == 0 && !mm.pfn_valid(pfn)) {
        p = nullptr;
        pfn |= nr_pgmask;  // the whole pageblock is invalid
        continue;
      }
      p = mm.pfn_host_page(pfn);
      if (p == nullptr) continue;
      p_kva = mm.pfn_to_page(pfn).value;
      shadow = mm.shadow(pfn);
      links = page_links(zid, nid, pfn, mm.flags_layout());
    } else {
      p++;
      p_kva += sizeof(page);
      shadow++;
    }
    __init_single_page_run(*p, p_kva, links, shadow, phase);
    nr_pages++;
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

}  // namespace

std::uint64_t deferred_free_pages(MemoryModel& mm, zone& z, pfn_t pfn, pfn_t end_pfn)
{
  const pfn_t nr_pgmask = mm.pageblock_nr_pages() - 1;
  const std::uint64_t total = end_pfn > pfn ? end_pfn - pfn : 0;
  pfn_t nr_free = 0;
  for (; pfn < end_pfn; pfn++) {
    if ((pfn & nr_pgmask) == 0) {
      // A pageblock boundary: flush the run so far, start a new one.
      deferred_free_range(mm, z, pfn - nr_free, nr_free);
      nr_free = mm.pfn_valid(pfn) ? 1 : 0;
    } else {
      nr_free++;
    }
  }
  deferred_free_range(mm, z, pfn - nr_free, nr_free);
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
