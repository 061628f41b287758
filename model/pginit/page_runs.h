// SPDX-License-Identifier: MIT
// page_runs.h - scale mode's memmap: struct pages kept as runs of pfns that
// share one state, instead of 64 bytes each.
//
// DOC: scale mode
// A machine of many TiB has a memmap larger than the host (64 TiB of RAM
// needs 1 TiB of struct pages). Boot writes struct pages in long uniform
// stretches, though: memmap_init_zone() gives every page of a zone the same
// links, deferred init frees whole pageblocks. So in scale mode a struct
// page is what its run says, and the same operations the fidelity memmap
// does byte by byte (__init_single_page(), mm_zero_struct_page(),
// SetPageReserved(), the boot-time free) are done on runs. Whatever the
// kernel would read from one page (page->flags in page_to_pfn(), a
// dump_page()) is rebuilt from its run: read_page() gives the exact 64 bytes
// the fidelity memmap would hold, except the lru words of free buddy heads
// (the list lives beside the pages, see FreeBlocks).
//
// The buddy heads themselves are not runs of their own (64 TiB has 16 M
// MAX_ORDER blocks): FreeBlocks keeps runs of equal free blocks, and the
// free lists keep runs of list entries (FreeList::segments).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>

#include "include/linux/pfn.h"
#include "pginit/page_shadow.h"

namespace pginit {

// What a run of struct pages holds, field by field, as far as boot writes it.
struct PageRunState {
  // What the 64 bytes were last set to as a whole.
  enum class Body : std::uint8_t {
    raw,     // never written: the memmap allocation's fill (poison or zeroes)
    zeroed,  // mm_zero_struct_page()
    init,    // __init_single_page(): links, refcount 1, mapcount -1, lru to itself
  };
  // A later change of one field, on top of the body.
  enum class Bit : std::uint8_t { as_body, set, cleared };
  enum class Lru : std::uint8_t { as_body, self, poison };

  Body body = Body::raw;
  Bit reserved = Bit::as_body;  // PG_reserved
  Lru lru = Lru::as_body;
  bool refcount_zero = false;   // set_page_count(p, 0) when freed to the buddy
  std::uint8_t zid = 0;         // the links __init_single_page() wrote
  std::int16_t nid = 0;
  PageShadow shadow{};

  bool operator==(const PageRunState& o) const
  {
    return body == o.body && reserved == o.reserved && lru == o.lru && refcount_zero == o.refcount_zero &&
           zid == o.zid && nid == o.nid && shadow.phase == o.shadow.phase && shadow.inits == o.shadow.inits &&
           shadow.zeroed == o.shadow.zeroed;
  }
};

// The memmap's pfns, as maximal runs of equal state. Pfns without a memmap
// are in no run.
class PageRuns {
 public:
  struct Run {
    pfn_t end;
    PageRunState state;
  };

  // A section's struct pages came into being (raw), unless they already are.
  void add(pfn_t start, pfn_t end);
  bool contains(pfn_t pfn) const { return find(pfn) != nullptr; }
  const PageRunState* find(pfn_t pfn) const;

  // Apply `change(PageRunState&)` to every pfn of [start, end) that has a
  // memmap, then merge equal neighbours again.
  template <typename Change>
  void update(pfn_t start, pfn_t end, Change change)
  {
    if (start >= end) return;
    split(start);
    split(end);
    auto it = runs_.lower_bound(start);
    auto first = it;
    for (; it != runs_.end() && it->first < end; ++it) change(it->second.state);
    coalesce(first == runs_.begin() ? first : std::prev(first), it);
  }

  // Visit each run overlapping [start, end), clipped: f(start, end, state).
  template <typename Visit>
  void for_each(pfn_t start, pfn_t end, Visit f) const
  {
    auto it = runs_.upper_bound(start);
    if (it != runs_.begin() && std::prev(it)->second.end > start) --it;
    for (; it != runs_.end() && it->first < end; ++it)
      f(std::max(it->first, start), std::min(it->second.end, end), it->second.state);
  }

  std::size_t size() const { return runs_.size(); }

 private:
  void split(pfn_t at);
  void coalesce(std::map<pfn_t, Run>::iterator from, std::map<pfn_t, Run>::iterator to);
  std::map<pfn_t, Run> runs_;  // by first pfn
};

// The free buddy blocks of scale mode: which pfns head a free block of which
// order, in which zone (page_zone_id()), as runs of consecutive equal blocks.
// This is what PageBuddy() and page_private() of the heads would say.
class FreeBlocks {
 public:
  struct Run {
    pfn_t end;                  // one past the last block's last pfn
    unsigned order;
    std::uint64_t zone_id;      // page_zone_id() of the blocks' pages
  };
  // The free block headed by pfn with this order and zone, if there is one.
  bool is_head(pfn_t pfn, unsigned order, std::uint64_t zone_id) const;
  // The order of the free block pfn heads, or -1.
  int head_order(pfn_t pfn) const;
  // `count` free blocks of `order` from `head` on, one after the other.
  void insert(pfn_t head, unsigned order, std::uint64_t zone_id, std::uint64_t count = 1);
  // Whether [start, end) is free blocks of `order` only, back to back.
  bool covers(pfn_t start, pfn_t end, unsigned order) const;
  // Whether any free block has a pfn in [start, end).
  bool any_in(pfn_t start, pfn_t end) const;
  void erase(pfn_t head, unsigned order);
  std::size_t size() const { return runs_.size(); }

 private:
  std::map<pfn_t, Run> runs_;  // by first head
};

}  // namespace pginit
