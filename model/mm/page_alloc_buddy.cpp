// SPDX-License-Identifier: MIT
// buddy.cpp - free lists linked through struct page lru words.
#include "mm/page_alloc.h"


namespace pginit {

namespace {

page& page_at(const MemoryModel& mm, pfn_t pfn) { return *mm.pfn_host_page(pfn); }
kva_t page_kva(const MemoryModel& mm, pfn_t pfn) { return mm.pfn_to_page(pfn).value; }

// The struct page whose lru is at `lru`.
page& lru_owner(const MemoryModel& mm, kva_t lru) { return *mm.host_page(lru - offsetof(page, lru_next)); }

// --- scale mode: the lists as runs of entries (FreeList::runs) ---

// The run holding pfn, and pfn's index in it; false if none does.
bool find_in_runs(const FreeList& l, pfn_t pfn, std::size_t* run, std::uint64_t* index)
{
  // Searched from the list's front: what is taken off a list is nearly always near it.
  for (std::size_t k = l.runs.size(); k-- > 0;) {
    const FreeList::Run& r = l.runs[k];
    const std::int64_t off = static_cast<std::int64_t>(pfn) - static_cast<std::int64_t>(r.first);
    if (r.count == 1 ? off != 0 : (r.step == 0 || off % r.step != 0)) continue;
    const std::int64_t i = r.count == 1 ? 0 : off / r.step;
    if (i < 0 || static_cast<std::uint64_t>(i) >= r.count) continue;
    *run = k;
    *index = static_cast<std::uint64_t>(i);
    return true;
  }
  return false;
}

void runs_add(FreeList& l, pfn_t pfn)
{
  if (!l.runs.empty()) {
    FreeList::Run& r = l.runs.back();  // the list's first run
    const std::int64_t to_new = static_cast<std::int64_t>(r.first) - static_cast<std::int64_t>(pfn);
    if (r.count == 1 || r.step == to_new) {
      r.step = to_new;
      r.first = pfn;
      r.count++;
      return;
    }
  }
  l.runs.push_back(FreeList::Run{pfn, 0, 1});
}

void runs_add_tail(FreeList& l, pfn_t pfn)
{
  if (!l.runs.empty()) {
    FreeList::Run& r = l.runs.front();  // the list's last run
    const pfn_t last = r.first + static_cast<pfn_t>(static_cast<std::int64_t>(r.count - 1) * r.step);
    const std::int64_t to_new = static_cast<std::int64_t>(pfn) - static_cast<std::int64_t>(last);
    if (r.count == 1 || r.step == to_new) {
      r.step = to_new;
      r.count++;
      return;
    }
  }
  l.runs.insert(l.runs.begin(), FreeList::Run{pfn, 0, 1});
}

void runs_del(FreeList& l, pfn_t pfn)
{
  std::size_t k = 0;
  std::uint64_t i = 0;
  if (!find_in_runs(l, pfn, &k, &i)) return;
  FreeList::Run& r = l.runs[k];
  if (i == 0) {
    r.first = r.first + static_cast<pfn_t>(r.step);
    if (--r.count == 0) l.runs.erase(l.runs.begin() + static_cast<std::ptrdiff_t>(k));
  } else if (i == r.count - 1) {
    r.count--;
  } else {
    // Split: the entries after pfn stay at k (nearer the list's end), those before go after it.
    const FreeList::Run before{r.first, r.step, i};
    r.first = r.first + static_cast<pfn_t>(static_cast<std::int64_t>(i + 1) * r.step);
    r.count -= i + 1;
    l.runs.insert(l.runs.begin() + static_cast<std::ptrdiff_t>(k) + 1, before);
  }
}

// --- the list and PageBuddy primitives, in either mode ---

void list_add(MemoryModel& mm, FreeList& l, pfn_t pfn)
{
  if (mm.page_runs() != nullptr) return runs_add(l, pfn);
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

void list_add_tail(MemoryModel& mm, FreeList& l, pfn_t pfn)
{
  if (mm.page_runs() != nullptr) return runs_add_tail(l, pfn);
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

void list_del(MemoryModel& mm, FreeList& l, pfn_t pfn)
{
  if (PageRuns* runs = mm.page_runs()) {
    runs_del(l, pfn);
    runs->update(pfn, pfn + 1, [](PageRunState& s) { s.lru = PageRunState::Lru::poison; });
    return;
  }
  page& p = page_at(mm, pfn);
  const kva_t prev = p.lru_prev;
  const kva_t next = p.lru_next;
  if (prev == l.head) l.first = next == l.head ? 0 : next - offsetof(page, lru_next);
  else lru_owner(mm, prev).lru_next = next;
  if (next == l.head) l.last = prev == l.head ? 0 : prev - offsetof(page, lru_next);
  else lru_owner(mm, next).lru_prev = prev;
  p.lru_next = LIST_POISON1;
  p.lru_prev = LIST_POISON2;
}

bool list_empty(const MemoryModel& mm, const FreeList& l)
{
  return mm.page_runs() != nullptr ? l.runs.empty() : l.first == 0;
}

// The pfn of the list's first entry (list_first_entry()).
pfn_t list_first_pfn(const MemoryModel& mm, const FreeList& l)
{
  return mm.page_runs() != nullptr ? l.runs.back().first : mm.page_to_pfn(l.first).value;
}

// page_zone_id(): the node and zone bits of page->flags.
std::uint64_t page_zone_id(const page& p, const PageFlagsLayout& l)
{
  return p.flags >> l.zones_pgshift & ((l.nodes_mask() << l.zones_width) | l.zones_mask());
}

std::uint64_t page_zone_id(const MemoryModel& mm, pfn_t pfn)
{
  return page_zone_id(mm.page_runs() != nullptr ? mm.read_page(pfn) : page_at(mm, pfn), mm.flags_layout());
}

void set_page_order(MemoryModel& mm, pfn_t pfn, unsigned order)
{
  if (PageRuns* runs = mm.page_runs()) {
    mm.free_blocks()->insert(pfn, order, page_zone_id(mm, pfn));
    // A head's lru words are its list links (kept on the list): whatever
    // list_del() left there before no longer shows.
    runs->update(pfn, pfn + 1, [](PageRunState& s) {
      if (s.lru == PageRunState::Lru::poison) s.lru = PageRunState::Lru::as_body;
    });
    return;
  }
  page& p = page_at(mm, pfn);
  p.private_ = order;                       // set_page_private()
  p._mapcount = PAGE_BUDDY_MAPCOUNT_VALUE;  // __SetPageBuddy()
}

void rmv_page_order(MemoryModel& mm, pfn_t pfn, unsigned order)
{
  if (mm.page_runs() != nullptr) {
    mm.free_blocks()->erase(pfn, order);
    return;
  }
  page& p = page_at(mm, pfn);
  p._mapcount = -1;  // __ClearPageBuddy()
  p.private_ = 0;
}

// page_is_buddy(): the buddy is a free block of the same order in the same zone.
bool page_is_buddy(const MemoryModel& mm, pfn_t pfn, pfn_t buddy_pfn, unsigned order)
{
  if (const FreeBlocks* blocks = mm.free_blocks())
    return blocks->is_head(buddy_pfn, order, page_zone_id(mm, pfn));
  const page* buddy = mm.pfn_host_page(buddy_pfn);
  if (buddy == nullptr || !PageBuddy(*buddy) || buddy->private_ != order) return false;
  return page_zone_id(page_at(mm, pfn), mm.flags_layout()) == page_zone_id(*buddy, mm.flags_layout());
}

}  // namespace

void __free_one_page(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order, migratetype mt)
{
  z.nr_free_pages += pfn_t{1} << order;  // __mod_zone_freepage_state(), for the pages freed, not the merged block
  // Merge while the buddy is free, up to MAX_ORDER - 1 (with pageblock_order
  // below that, the kernel's two-step max_order loop ends at the same place).
  while (order < MAX_ORDER - 1) {
    const pfn_t buddy_pfn = pfn ^ (pfn_t{1} << order);  // __find_buddy_pfn()
    if (!mm.pfn_valid(buddy_pfn) || !page_is_buddy(mm, pfn, buddy_pfn, order)) break;
    list_del(mm, z.free_area[order].free_list[get_pfnblock_migratetype(mm, buddy_pfn)], buddy_pfn);
    z.free_area[order].nr_free--;
    rmv_page_order(mm, buddy_pfn, order);
    pfn &= buddy_pfn;  // combined_pfn
    order++;
  }
  set_page_order(mm, pfn, order);

  // If the next-larger buddy is free too, this block is likely to merge
  // soon: put it at the tail, so that it is not handed out first.
  bool tail = false;
  if (order < MAX_ORDER - 2) {
    const pfn_t combined = pfn & ~(pfn_t{1} << order);
    const pfn_t higher_buddy = combined ^ (pfn_t{1} << (order + 1));
    tail = mm.pfn_valid(higher_buddy) && page_is_buddy(mm, combined, higher_buddy, order + 1);
  }
  FreeList& l = z.free_area[order].free_list[mt];
  if (tail) list_add_tail(mm, l, pfn);
  else list_add(mm, l, pfn);
  z.free_area[order].nr_free++;
}

void __free_pages_boot_core(MemoryModel& mm, zone& z, pfn_t pfn, unsigned order)
{
  const pfn_t nr_pages = pfn_t{1} << order;
  free_pages_prepare_range(mm, pfn, pfn + nr_pages);
  z.managed_pages += nr_pages;
  // set_page_refcounted() then __free_pages(): the reference drops straight back to 0.
  __free_one_page(mm, z, pfn, order, get_pfnblock_migratetype(mm, pfn));
}

bool free_max_order_blocks(MemoryModel& mm, zone& z, pfn_t start, pfn_t end)
{
  PageRuns* runs = mm.page_runs();
  if (runs == nullptr || mm.pageblock_order() < MAX_ORDER - 2 || mm.free_blocks()->any_in(start, end)) return false;
  for (pfn_t sec = start; sec < end; sec = round_up(sec + 1, PAGES_PER_SECTION))
    if (!mm.pfn_valid(sec)) return false;
  bool uniform = true;
  pfn_t covered = start;
  const PageRunState* first = runs->find(start);
  runs->for_each(start, end, [&](pfn_t a, pfn_t b, const PageRunState& s) {
    uniform = uniform && a == covered && s.body == PageRunState::Body::init && first != nullptr &&
              s.zid == first->zid && s.nid == first->nid;
    covered = b;
  });
  if (!uniform || covered != end) return false;
  for (pfn_t pb = start; pb < end; pb += mm.pageblock_nr_pages())
    if (get_pfnblock_migratetype(mm, pb) != MIGRATE_MOVABLE) return false;

  const std::uint64_t blocks = (end - start) / MAX_ORDER_NR_PAGES;
  free_pages_prepare_range(mm, start, end);
  z.managed_pages += end - start;
  z.nr_free_pages += end - start;
  mm.free_blocks()->insert(start, MAX_ORDER - 1, page_zone_id(mm, start), blocks);
  FreeList& l = z.free_area[MAX_ORDER - 1].free_list[MIGRATE_MOVABLE];
  for (pfn_t head = start; head < end; head += MAX_ORDER_NR_PAGES) runs_add(l, head);
  z.free_area[MAX_ORDER - 1].nr_free += blocks;
  return true;
}

std::optional<pfn_t> __rmqueue_smallest(MemoryModel& mm, zone& z, unsigned order, migratetype mt)
{
  for (unsigned current = order; current < MAX_ORDER; current++) {
    FreeList& l = z.free_area[current].free_list[mt];
    if (list_empty(mm, l)) continue;
    const pfn_t pfn = list_first_pfn(mm, l);
    list_del(mm, l, pfn);
    rmv_page_order(mm, pfn, current);
    z.free_area[current].nr_free--;
    // expand(): give back the upper halves, largest first.
    for (unsigned high = current; high > order;) {
      high--;
      const pfn_t half = pfn + (pfn_t{1} << high);
      list_add(mm, z.free_area[high].free_list[mt], half);
      z.free_area[high].nr_free++;
      set_page_order(mm, half, high);
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
      if (list_empty(mm, src)) continue;
      if (mm.page_runs() != nullptr) {
        // src's runs become the front of dst's (stored last run first: appended).
        dst.runs.insert(dst.runs.end(), src.runs.begin(), src.runs.end());
        src.runs.clear();
        continue;
      }
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
      src = FreeList{src.head, 0, 0, {}};
    }
    to.free_area[order].nr_free += from.free_area[order].nr_free;
    from.free_area[order].nr_free = 0;
  }
  to.nr_free_pages += from.nr_free_pages;
  to.managed_pages += from.managed_pages;
  from.nr_free_pages = 0;
  from.managed_pages = 0;
}

bool free_list_links(const MemoryModel& mm, const zone& z, pfn_t pfn, kva_t* lru_next, kva_t* lru_prev)
{
  const auto entry = [&mm](const FreeList::Run& r, std::uint64_t i) {
    return page_lru(mm.pfn_to_page(r.first + static_cast<pfn_t>(static_cast<std::int64_t>(i) * r.step)).value);
  };
  for (const FreeArea& area : z.free_area) {
    for (const FreeList& l : area.free_list) {
      std::size_t k = 0;
      std::uint64_t i = 0;
      if (!find_in_runs(l, pfn, &k, &i)) continue;
      // Runs are stored last first: the entry before is later in the vector.
      const FreeList::Run& r = l.runs[k];
      if (i > 0) *lru_prev = entry(r, i - 1);
      else if (k + 1 < l.runs.size()) *lru_prev = entry(l.runs[k + 1], l.runs[k + 1].count - 1);
      else *lru_prev = l.head;
      if (i + 1 < r.count) *lru_next = entry(r, i + 1);
      else if (k > 0) *lru_next = entry(l.runs[k - 1], 0);
      else *lru_next = l.head;
      return true;
    }
  }
  return false;
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
