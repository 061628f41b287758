// SPDX-License-Identifier: MIT
#include "policy/growth.h"

#include <algorithm>

namespace pginit {

namespace {

GrowStep grow_by_sections(MemoryModel& mm, const memblock& mb, pglist_data& pgdat, unsigned zid,
                          pfn_t first_init_pfn, std::uint64_t nr_pages_needed)
{
  GrowStep step;
  DeferredWork& w = step.work;
  const int nid = pgdat.node_id;
  zone& z = pgdat.node_zones[zid];
  pfn_t first_deferred_pfn = pgdat.first_deferred_pfn;
  const std::vector<mem_range> ranges = free_mem_ranges(mb, nid, MEMBLOCK_NONE);
  for (const mem_range& r : ranges) {
    pfn_t spfn = std::max(first_init_pfn, PFN_UP(r.start));
    const pfn_t epfn = std::min(z.zone_end_pfn(), PFN_DOWN(r.end));
    while (spfn < epfn && w.initialized < nr_pages_needed) {
      const pfn_t t = round_up(spfn + PAGES_PER_SECTION, PAGES_PER_SECTION);
      first_deferred_pfn = std::min(t, epfn);
      w.initialized += deferred_init_pages(mm, nid, zid, spfn, first_deferred_pfn, InitPhase::on_demand);
      spfn = first_deferred_pfn;
    }
    if (w.initialized >= nr_pages_needed) break;
  }
  for (const mem_range& r : ranges) {
    const pfn_t spfn = std::max(first_init_pfn, PFN_UP(r.start));
    const pfn_t epfn = std::min(first_deferred_pfn, PFN_DOWN(r.end));
    if (spfn < epfn) w.freed += deferred_free_pages(mm, z, spfn, epfn);
    if (first_deferred_pfn == epfn) break;
  }
  pgdat.first_deferred_pfn = first_deferred_pfn;
  step.grew = w.initialized > 0;
  return step;
}

GrowStep grow_by_max_order(MemoryModel& mm, const memblock& mb, pglist_data& pgdat, unsigned zid,
                           pfn_t first_init_pfn, std::uint64_t nr_pages_needed)
{
  GrowStep step;
  zone& z = pgdat.node_zones[zid];
  const std::vector<PfnSpan> spans = free_pfn_spans_in_zone(mb, pgdat.node_id, z, first_init_pfn);
  if (spans.empty()) {
    // Nothing free is left to grow into: say so once (b9705d8778e7), then never again.
    step.grew = pgdat.first_deferred_pfn != ULONG_MAX_PFN;
    pgdat.first_deferred_pfn = ULONG_MAX_PFN;
    return step;
  }
  std::size_t span = 0;
  pfn_t spfn = spans.front().start;
  while (span < spans.size()) {
    const pfn_t first_deferred_pfn = spfn;
    step.work += deferred_init_maxorder(mm, z, pgdat.node_id, zid, spans, &span, &spfn, InitPhase::on_demand);
    // Only stop on a section boundary: keep going while still in the same section.
    if ((first_deferred_pfn ^ spfn) < PAGES_PER_SECTION) continue;
    if (step.work.initialized >= nr_pages_needed) break;
  }
  // When the steps used up the zone's last free range, the kernel's range
  // iterator (__next_mem_pfn_range_in_zone()) left spfn at ULONG_MAX.
  pgdat.first_deferred_pfn = span < spans.size() ? spfn : ULONG_MAX_PFN;
  step.grew = step.work.initialized > 0;
  return step;
}

}  // namespace

std::uint64_t deferred_grow_quota(unsigned order) { return round_up(pfn_t{1} << order, PAGES_PER_SECTION); }

namespace growth {

const GrowthRule none{"none", "(before c9e97a1997fb)", nullptr};
const GrowthRule sections{"sections", "c9e97a1997fb", grow_by_sections};
const GrowthRule max_order{"max_order", "0e56acae4b4d", grow_by_max_order};

}  // namespace growth

}  // namespace pginit
