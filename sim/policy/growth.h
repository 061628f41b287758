// SPDX-License-Identifier: MIT
// growth.h - deferred_grow_zone(): what the page allocator does when a zone
// with deferred pages runs short during boot (mm/page_alloc.c). Each rule
// initializes and frees at least the quota of the zone's deferred part,
// starting at first_init_pfn, and moves pgdat->first_deferred_pfn past it.
#pragma once

#include <cstdint>
#include <string_view>

#include "mm/page_alloc.h"

namespace pginit {

struct GrowStep {
  DeferredWork work;
  bool grew = false;  // deferred_grow_zone()'s return: retry the allocation
};

struct GrowthRule {
  std::string_view name;
  std::string_view commit;
  // nullptr: the version cannot grow a zone (an allocation that finds it short fails).
  GrowStep (*grow)(MemoryModel& mm, const memblock& mb, pglist_data& pgdat, unsigned zid, pfn_t first_init_pfn,
                   std::uint64_t nr_pages_needed);
};

namespace growth {

extern const GrowthRule none;       // before v4.17
// v4.17 (c9e97a1997fb): whole sections of each free range, all initialized
// first, then freed; first_deferred_pfn ends where the initializing stopped.
extern const GrowthRule sections;
// v5.2 (0e56acae4b4d): deferred_init_maxorder() steps, stopping only at a
// section boundary once the quota is met; with nothing free left in the
// zone, first_deferred_pfn becomes ULONG_MAX and the caller retries once.
extern const GrowthRule max_order;

}  // namespace growth

// nr_pages_needed: 1 << order, rounded up to whole sections.
std::uint64_t deferred_grow_quota(unsigned order);

}  // namespace pginit
