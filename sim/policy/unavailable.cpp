// SPDX-License-Identifier: MIT
#include "policy/unavailable.h"

#include <algorithm>

#include <fmt/format.h>

#include "mm/page_alloc.h"

namespace pginit {

namespace {

// What each variant does to a run of unavailable struct pages.
void zero_pages(MemoryModel& mm, pfn_t pfn, pfn_t end) { mm_zero_struct_page_range(mm, pfn, end); }

// init_unavailable_mem() before 6.1: reserved struct pages of zone 0, node 0.
void init_pages(MemoryModel& mm, pfn_t pfn, pfn_t end)
{
  __init_single_page_range(mm, pfn, end, 0, 0, InitPhase::early);
  set_page_reserved_range(mm, pfn, end);
}

// `apply(mm, start, end)` to the pfns of [spfn, epfn) whose pageblock has a
// memmap (pfn_valid(ALIGN_DOWN(pfn, pageblock_nr_pages))); returns how many.
template <typename Apply>
std::uint64_t for_each_valid_pageblock_pfn(MemoryModel& mm, pfn_t spfn, pfn_t epfn, Apply apply)
{
  const pfn_t pageblock = mm.pageblock_nr_pages();
  std::uint64_t pgcnt = 0;
  for (pfn_t pfn = spfn; pfn < epfn;) {
    const pfn_t next = std::min(epfn, round_down(pfn, pageblock) + pageblock);
    if (mm.pfn_valid(round_down(pfn, pageblock))) {
      apply(mm, pfn, next);
      pgcnt += next - pfn;
    }
    pfn = next;
  }
  return pgcnt;
}

// Every gap between memblock.memory regions, and what follows the last up to `end`.
std::uint64_t for_each_hole_pfn(MemoryModel& mm, const memblock& mb, pfn_t end,
                                void (*apply)(MemoryModel&, pfn_t, pfn_t))
{
  std::uint64_t pgcnt = 0;
  phys_addr_t next = 0;
  for (const memblock_region& r : mb.memory.regions) {
    if (r.size == 0) continue;
    if (next < r.base) pgcnt += for_each_valid_pageblock_pfn(mm, PFN_DOWN(next), PFN_UP(r.base), apply);
    next = r.end();
  }
  return pgcnt + for_each_valid_pageblock_pfn(mm, PFN_DOWN(next), end, apply);
}

// for_each_resv_unavail_range(): reserved and not memory.
std::uint64_t zero_reserved_unavailable(MemoryModel& mm, const memblock& mb, pfn_t)
{
  memblock unavail = mb;
  unavail.log = &null_printk();
  unavail.debug = false;
  for (const memblock_region& r : mb.memory.regions)
    if (r.size != 0) memblock_remove_range(unavail, unavail.reserved, r.base, r.size);
  std::uint64_t pgcnt = 0;
  for (const memblock_region& r : unavail.reserved.regions)
    if (r.size != 0) pgcnt += for_each_valid_pageblock_pfn(mm, PFN_DOWN(r.base), PFN_UP(r.end()), zero_pages);
  return pgcnt;
}

// zero_resv_unavail() from v4.20: the holes up to max_pfn, zeroed.
std::uint64_t zero_holes(MemoryModel& mm, const memblock& mb, pfn_t max_pfn)
{
  return for_each_hole_pfn(mm, mb, max_pfn, zero_pages);
}

// init_unavailable_mem(): the holes and the tail of the last section ("Early
// sections always have a fully populated memmap"), initialized.
std::uint64_t init_holes(MemoryModel& mm, const memblock& mb, pfn_t max_pfn)
{
  return for_each_hole_pfn(mm, mb, round_up(max_pfn, PAGES_PER_SECTION), init_pages);
}

std::string reserved_line(std::uint64_t pages) { return fmt::format("Reserved but unavailable: {} pages", pages); }
std::string holes_line(std::uint64_t pages)
{
  return fmt::format("Zeroed struct page in unavailable ranges: {} pages", pages);
}

}  // namespace

std::uint64_t init_unavailable_range(MemoryModel& mm, pfn_t spfn, pfn_t epfn, unsigned zone_idx, int nid)
{
  return for_each_valid_pageblock_pfn(mm, spfn, epfn, [zone_idx, nid](MemoryModel& m, pfn_t pfn, pfn_t end) {
    __init_single_page_range(m, pfn, end, zone_idx, nid, InitPhase::early);
    set_page_reserved_range(m, pfn, end);
  });
}

namespace unavailable {

using When = UnavailableRule::When;
const UnavailableRule none{"none", "", When::after_nodes, [](MemoryModel&, const memblock&, pfn_t) -> std::uint64_t {
                             return 0;
                           },
                           nullptr};
const UnavailableRule reserved_after_init{"reserved_after_init", "a4a3ede2132a", When::after_nodes,
                                          zero_reserved_unavailable, reserved_line};
const UnavailableRule reserved_before_init{"reserved_before_init", "e181ae0c5db9", When::before_nodes,
                                           zero_reserved_unavailable, reserved_line};
const UnavailableRule holes_before_init{"holes_before_init", "907ec5fca3dc", When::before_nodes, zero_holes,
                                        holes_line};
const UnavailableRule holes_init_to_section{"holes_init_to_section", "e822969cab48, 4b094b7851bf", When::before_nodes,
                                            init_holes, holes_line};
const UnavailableRule in_memmap_init{"in_memmap_init", "0740a50b9baa, 122e093c1734", When::in_memmap_init, nullptr,
                                     nullptr};

}  // namespace unavailable

}  // namespace pginit
