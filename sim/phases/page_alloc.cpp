// SPDX-License-Identifier: MIT
#include "phases/page_alloc.h"

#include <algorithm>

#include <fmt/format.h>

#include "buddy.h"
#include "phases/deferred_pages.h"

namespace pginit {

namespace {

// v4.17: whole sections of every free range, initialized first, then freed.
DeferredWork grow_by_sections(BootState& st, pglist_data& pgdat, zone& z, unsigned zid, pfn_t first_init_pfn,
                              std::uint64_t nr_pages_needed)
{
  DeferredWork w;
  const int nid = pgdat.node_id;
  pfn_t first_deferred_pfn = pgdat.first_deferred_pfn;
  const std::vector<mem_range> ranges = free_mem_ranges(st.memblock, nid, MEMBLOCK_NONE);
  for (const mem_range& r : ranges) {
    pfn_t spfn = std::max(first_init_pfn, PFN_UP(r.start));
    const pfn_t epfn = std::min(z.zone_end_pfn(), PFN_DOWN(r.end));
    while (spfn < epfn && w.initialized < nr_pages_needed) {
      const pfn_t t = round_up(spfn + PAGES_PER_SECTION, PAGES_PER_SECTION);
      first_deferred_pfn = std::min(t, epfn);
      w.initialized += deferred_init_pages(st.mm, nid, zid, spfn, first_deferred_pfn, InitPhase::on_demand);
      spfn = first_deferred_pfn;
    }
    if (w.initialized >= nr_pages_needed) break;
  }
  for (const mem_range& r : ranges) {
    const pfn_t spfn = std::max(first_init_pfn, PFN_UP(r.start));
    const pfn_t epfn = std::min(first_deferred_pfn, PFN_DOWN(r.end));
    if (spfn < epfn) w.freed += deferred_free_pages(st.mm, z, spfn, epfn);
    if (first_deferred_pfn == epfn) break;
  }
  pgdat.first_deferred_pfn = first_deferred_pfn;
  return w;
}

// v5.2: MAX_ORDER init+free steps, stopping only on a section boundary.
DeferredWork grow_by_max_order(BootState& st, pglist_data& pgdat, zone& z, unsigned zid,
                               const std::vector<PfnSpan>& spans, std::uint64_t nr_pages_needed)
{
  DeferredWork w;
  std::size_t span = 0;
  pfn_t spfn = spans.front().start;
  while (span < spans.size()) {
    const pfn_t first_deferred_pfn = spfn;
    w += deferred_init_maxorder(st.mm, z, pgdat.node_id, zid, spans, &span, &spfn, InitPhase::on_demand);
    if ((first_deferred_pfn ^ spfn) < PAGES_PER_SECTION) continue;
    if (w.initialized >= nr_pages_needed) break;
  }
  pgdat.first_deferred_pfn = spfn;
  return w;
}

void warn_alloc(BootState& st, unsigned order)
{
  // warn_alloc(): "%s: %pV, mode:%#x(%pGg), nodemask=%*pbl" from the boot task.
  st.log.printk(LogLevel::warning,
                fmt::format("swapper/0: page allocation failure: order:{}, mode:0x6000c0(GFP_KERNEL), nodemask=(null)",
                            order));
}

}  // namespace

bool deferred_grow_zone(BootState& st, pglist_data& pgdat, unsigned zid, unsigned order)
{
  zone& z = pgdat.node_zones[zid];
  // Only the last zone of a node may have deferred pages.
  if (z.zone_end_pfn() != pgdat.node_end_pfn()) return false;
  if (!st.deferred_pages) return true;
  const pfn_t first_init_pfn = std::max(z.zone_start_pfn, pgdat.first_deferred_pfn);
  if (first_init_pfn >= pgdat.node_end_pfn()) return false;

  KernelFrame frame(st.stack, "deferred_grow_zone");
  const std::uint64_t nr_pages_needed = round_up(pfn_t{1} << order, PAGES_PER_SECTION);
  DeferredWork w;
  if (st.policy->growth == InitPolicy::Growth::max_order) {
    const std::vector<PfnSpan> spans = free_pfn_spans_in_zone(st.memblock, pgdat.node_id, z, first_init_pfn);
    if (spans.empty()) {
      // Nothing free is left to grow into: say so once (b9705d8778e7), then never again.
      const bool had = pgdat.first_deferred_pfn != ULONG_MAX_PFN;
      pgdat.first_deferred_pfn = ULONG_MAX_PFN;
      return had;
    }
    w = grow_by_max_order(st, pgdat, z, zid, spans, nr_pages_needed);
  } else {
    w = grow_by_sections(st, pgdat, z, zid, first_init_pfn, nr_pages_needed);
  }
  st.advance_clock(st.cost.ns(w.initialized, w.freed, 1));
  return w.initialized > 0;
}

std::optional<pfn_t> alloc_pages_node(BootState& st, int nid, unsigned order)
{
  KernelFrame frame(st.stack, "__alloc_pages_nodemask");
  // The zonelist: the node's own zones, highest first, then the other nodes' in id order.
  std::vector<int> order_of_nodes{nid};
  for (int other : st.online_nodes)
    if (other != nid) order_of_nodes.push_back(other);
  for (int n : order_of_nodes) {
    pglist_data* pgdat = st.node_data(n);
    if (pgdat == nullptr) continue;
    for (std::size_t i = pgdat->node_zones.size(); i-- > 0;) {
      zone& z = pgdat->node_zones[i];
      if (z.type == ZoneType::movable || z.type == ZoneType::device) continue;  // not for GFP_KERNEL
      KernelFrame f(st.stack, "get_page_from_freelist");
      for (;;) {
        if (std::optional<pfn_t> pfn = __rmqueue_smallest(st.mm, z, order, MIGRATE_MOVABLE)) {
          st.allocations.push_back({*pfn, order});
          return pfn;
        }
        // The zone is short: grow it if it has deferred pages, and retry.
        const bool can_grow = st.deferred_struct_page_init && st.deferred_pages &&
                              st.policy->growth != InitPolicy::Growth::none;
        if (!can_grow || !deferred_grow_zone(st, *pgdat, static_cast<unsigned>(i), order)) break;
      }
    }
  }
  warn_alloc(st, order);
  return std::nullopt;
}

}  // namespace pginit
