// SPDX-License-Identifier: MIT
// buddy.cpp - free lists linked through struct page lru words.
#include "mm/page_alloc.h"


namespace pginit {

namespace {

page& page_at(const MemoryModel& mm, pfn_t pfn) { return *mm.pfn_host_page(pfn); }
kva_t page_kva(const MemoryModel& mm, pfn_t pfn) { return mm.pfn_to_page(pfn).value; }

// The struct page whose lru is at `lru`.
page& lru_owner(const MemoryModel& mm, kva_t lru) { return *mm.host_page(lru - offsetof(page, lru_next)); }

void list_add(const MemoryModel& mm, FreeList& l, pfn_t pfn)
{
  page& p = page_at(mm, pfn);
  const kva_t entry = page_kva(mm, pfn);
  p.lru_prev = l.head;
  if (l.first == 0) {
    p.lru_next = l.head;
    l.last = entry;
  } else {
    p.lru_next = page_lru(l.first);
    lru_owner(mm, page_lru(l.first)).lru_prev = page_lru(entry);
  }
  l.first = entry;
}

void list_add_tail(const MemoryModel& mm, FreeList& l, pfn_t pfn)
{
  page& p = page_at(mm, pfn);
  const kva_t entry = page_kva(mm, pfn);
  p.lru_next = l.head;
  if (l.last == 0) {
    p.lru_prev = l.head;
    l.first = entry;
  } else {
    p.lru_prev = page_lru(l.last);
    lru_owner(mm, page_lru(l.last)).lru_next = page_lru(entry);
  }
  l.last = entry;
}

void list_del(const MemoryModel& mm, FreeList& l, page& p)
{
  const kva_t prev = p.lru_prev;
  const kva_t next = p.lru_next;
  if (prev == l.head) l.first = next == l.head ? 0 : next - offsetof(page, lru_next);
  else lru_owner(mm, prev).lru_next = next;
  if (next == l.head) l.last = prev == l.head ? 0 : prev - offsetof(page, lru_next);
  else lru_owner(mm, next).lru_prev = prev;
  p.lru_next = LIST_POISON1;
  p.lru_prev = LIST_POISON2;
}

void set_page_order(page& p, unsigned order)
{
  p.private_ = order;                   // set_page_private()
  p._mapcount = PAGE_BUDDY_MAPCOUNT_VALUE;  // __SetPageBuddy()
}

void rmv_page_order(page& p)
{
  p._mapcount = -1;  // __ClearPageBuddy()
  p.private_ = 0;
}

// page_zone_id(): the node and zone bits of page->flags.
std::uint64_t page_zone_id(const page& p, const PageFlagsLayout& l)
{
  return p.flags >> l.zones_pgshift & ((l.nodes_mask() << l.zones_width) | l.zones_mask());
}

// page_is_buddy(): the buddy is a free block of the same order in the same zone.
bool page_is_buddy(const MemoryModel& mm, const page& p, const page& buddy, unsigned order)
{
  if (!PageBuddy(buddy) || buddy.private_ != order) return false;
  return page_zone_id(p, mm.flags_layout()) == page_zone_id(buddy, mm.flags_layout());
}

}  // namespace

void __free_one_page(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order, migratetype mt)
{
  z.nr_free_pages += pfn_t{1} << order;  // __mod_zone_freepage_state(), for the pages freed, not the merged block
  // Merge while the buddy is free, up to MAX_ORDER - 1 (with pageblock_order
  // below that, the kernel's two-step max_order loop ends at the same place).
  while (order < MAX_ORDER - 1) {
    const pfn_t buddy_pfn = pfn ^ (pfn_t{1} << order);  // __find_buddy_pfn()
    page* buddy = mm.pfn_host_page(buddy_pfn);
    if (buddy == nullptr || !page_is_buddy(mm, page_at(mm, pfn), *buddy, order)) break;
    list_del(mm, z.free_area[order].free_list[get_pfnblock_migratetype(mm, buddy_pfn)], *buddy);
    z.free_area[order].nr_free--;
    rmv_page_order(*buddy);
    pfn &= buddy_pfn;  // combined_pfn
    order++;
  }
  set_page_order(page_at(mm, pfn), order);

  // If the next-larger buddy is free too, this block is likely to merge
  // soon: put it at the tail, so that it is not handed out first.
  bool tail = false;
  if (order < MAX_ORDER - 2) {
    const pfn_t combined = pfn & ~(pfn_t{1} << order);
    const pfn_t higher_buddy = combined ^ (pfn_t{1} << (order + 1));
    const page* hb = mm.pfn_host_page(higher_buddy);
    tail = hb != nullptr && page_is_buddy(mm, page_at(mm, combined), *hb, order + 1);
  }
  FreeList& l = z.free_area[order].free_list[mt];
  if (tail) list_add_tail(mm, l, pfn);
  else list_add(mm, l, pfn);
  z.free_area[order].nr_free++;
}

void __free_pages_boot_core(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order)
{
  const pfn_t nr_pages = pfn_t{1} << order;
  page* p = mm.pfn_host_page(pfn);  // a block never crosses a section
  for (pfn_t i = 0; i < nr_pages; i++, p++) {
    __ClearPageReserved(*p);
    p->_refcount = 0;  // set_page_count(p, 0)
  }
  z.managed_pages += nr_pages;
  // set_page_refcounted() then __free_pages(): the reference drops straight back to 0.
  __free_one_page(mm, z, pfn, order, get_pfnblock_migratetype(mm, pfn));
}

std::optional<pfn_t> __rmqueue_smallest(MemoryModel& mm, zone& z, unsigned order, migratetype mt)
{
  for (unsigned current = order; current < MAX_ORDER; current++) {
    FreeList& l = z.free_area[current].free_list[mt];
    if (l.first == 0) continue;
    const pfn_t pfn = mm.page_to_pfn(l.first).value;
    page& p = page_at(mm, pfn);
    list_del(mm, l, p);
    rmv_page_order(p);
    z.free_area[current].nr_free--;
    // expand(): give back the upper halves, largest first.
    for (unsigned high = current; high > order;) {
      high--;
      const pfn_t half = pfn + (pfn_t{1} << high);
      list_add(mm, z.free_area[high].free_list[mt], half);
      z.free_area[high].nr_free++;
      set_page_order(page_at(mm, half), high);
    }
    z.nr_free_pages -= pfn_t{1} << order;
    return pfn;
  }
  return std::nullopt;
}

void splice_free_lists(MemoryModel& mm, zone& to, zone& from)
{
  for (unsigned order = 0; order < MAX_ORDER; order++) {
    for (unsigned mt = 0; mt < MIGRATE_TYPES; mt++) {
      FreeList& src = from.free_area[order].free_list[mt];
      FreeList& dst = to.free_area[order].free_list[mt];
      if (src.first == 0) continue;
      // list_splice(&src, &dst): src's entries, then dst's old ones.
      page& first = lru_owner(mm, page_lru(src.first));
      page& last = lru_owner(mm, page_lru(src.last));
      first.lru_prev = dst.head;
      if (dst.first == 0) {
        last.lru_next = dst.head;
        dst.last = src.last;
      } else {
        last.lru_next = page_lru(dst.first);
        lru_owner(mm, page_lru(dst.first)).lru_prev = page_lru(src.last);
      }
      dst.first = src.first;
      src = FreeList{src.head, 0, 0};
    }
    to.free_area[order].nr_free += from.free_area[order].nr_free;
    from.free_area[order].nr_free = 0;
  }
  to.nr_free_pages += from.nr_free_pages;
  to.managed_pages += from.managed_pages;
  from.nr_free_pages = 0;
  from.managed_pages = 0;
}

std::vector<pfn_t> free_list_pfns(const MemoryModel& mm, const FreeList& list)
{
  std::vector<pfn_t> pfns;
  if (list.first == 0) return pfns;
  kva_t lru = page_lru(list.first);
  while (lru != list.head) {
    const kva_t p = lru - offsetof(page, lru_next);
    pfns.push_back(mm.page_to_pfn(p).value);
    const page* host = mm.host_page(p);
    if (host == nullptr) break;  // a broken list: the proof will say so
    lru = host->lru_next;
  }
  return pfns;
}

}  // namespace pginit
