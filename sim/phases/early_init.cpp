// SPDX-License-Identifier: MIT
#include "phases/early_init.h"

#include <algorithm>

#include <fmt/format.h>

#include "mm/sparse.h"
#include "mm/page_alloc.h"

namespace pginit {

namespace {

// How many pages of the node's last zone memmap_init_zone() does up front.
void reset_deferred_meminit(const Kernel& k, pglist_data& pgdat)
{
  pgdat.first_deferred_pfn = ULONG_MAX_PFN;
  if (!k.deferred_struct_page_init()) return;
  pgdat.static_init_pgcnt = k.policy().static_init.static_init_pgcnt(pgdat, k.memblock);
}

// update_defer_init(): false once the node's highest zone has had its
// static_init_pgcnt pages and pfn starts a section.
bool update_defer_init(const Kernel& k, pglist_data& pgdat, pfn_t pfn, pfn_t zone_end, std::uint64_t& nr_initialised)
{
  if (!k.deferred_struct_page_init()) return true;
  // Lower zones are always populated, for address-constrained allocations.
  if (zone_end < pgdat.node_end_pfn()) return true;
  nr_initialised++;
  if (nr_initialised > pgdat.static_init_pgcnt && (pfn & (PAGES_PER_SECTION - 1)) == 0) {
    pgdat.first_deferred_pfn = pfn;
    return false;
  }
  return true;
}

// __early_pfn_to_nid() with its early_pfnnid_cache: the memblock range of
// the last lookup is tried first, so a walk up the pfns rarely searches.
struct PfnNidCache {
  pfn_t start = 1;
  pfn_t end = 0;
  int nid = -1;
  int lookup(const std::vector<pfn_range>& ranges, pfn_t pfn)
  {
    if (pfn >= start && pfn < end) return nid;
    auto it = std::upper_bound(ranges.begin(), ranges.end(), pfn,
                               [](pfn_t q, const pfn_range& r) { return q < r.start_pfn; });
    if (it != ranges.begin() && pfn < std::prev(it)->end_pfn) {
      --it;
      start = it->start_pfn;
      end = it->end_pfn;
      return nid = it->nid;
    }
    // A hole: cache it up to the next range.
    start = it == ranges.begin() ? 0 : std::prev(it)->end_pfn;
    end = it == ranges.end() ? ULONG_MAX_PFN : it->start_pfn;
    return nid = -1;
  }
};

// zero_resv_unavail(): struct pages no init pass will reach get zeroes
// rather than garbage; which pages, and when, is the version's rule.
void zero_resv_unavail(Kernel& k)
{
  KernelFrame frame(k.stack, "zero_resv_unavail");
  const UnavailableRule& rule = k.version().zero_unavail;
  const std::uint64_t pgcnt = rule.apply(k.mm, k.memblock, k.max_pfn);
  if (pgcnt != 0) k.log.printk(LogLevel::info, rule.line(pgcnt));
}

}  // namespace

namespace {

// memmap_init_zone(MEMMAP_EARLY) over [start, end) of one zone. `defer_end`
// is the end_pfn that defer_init() compares with the node's end (and whose
// change restarts its count); `check_each_pfn` is the per-pfn
// early_pfn_valid() / early_pfn_in_nid() walk of kernels before v5.8.
std::uint64_t memmap_init_range(Kernel& k, pglist_data& pgdat, int zone_idx, pfn_t start, pfn_t end,
                                pfn_t defer_end, bool check_each_pfn)
{
  const pfn_t pageblock_mask = k.mm.pageblock_nr_pages() - 1;
  std::uint64_t nr_initialised = 0;
  std::uint64_t done = 0;
  PfnNidCache nid_cache;
  page* p = nullptr;
  kva_t p_kva = 0;
  PageShadow* shadow = nullptr;
  std::uint64_t links = 0;
  for (pfn_t pfn = start; pfn < end; pfn++) {
    // early_pfn_valid(): a section without memmap is skipped whole.
    if ((pfn & (PAGES_PER_SECTION - 1)) == 0 || p == nullptr) {
      if (!k.mm.pfn_valid(pfn)) {
        p = nullptr;
        pfn |= PAGES_PER_SECTION - 1;
        continue;
      }
      p = k.mm.pfn_host_page(pfn);
      p_kva = k.mm.pfn_to_page(pfn).value;
      shadow = k.mm.shadow(pfn);
      links = page_links(static_cast<unsigned>(zone_idx), pgdat.node_id, pfn, k.mm.flags_layout());
    } else {
      p++;
      p_kva += sizeof(page);
      shadow++;
    }
    if (check_each_pfn) {
      // early_pfn_in_nid(): a pfn memblock gives to another node is that node's to init.
      const int owner = nid_cache.lookup(k.mem_ranges, pfn);
      if (owner >= 0 && owner != pgdat.node_id) continue;
    }
    if (!update_defer_init(k, pgdat, pfn, defer_end, nr_initialised)) break;
    __init_single_page_run(*p, p_kva, links, shadow, InitPhase::early);
    if ((pfn & pageblock_mask) == 0) set_pageblock_migratetype(k.mm, pfn, MIGRATE_MOVABLE);
    done++;
  }
  return done;
}

}  // namespace

std::uint64_t memmap_init_zone(Kernel& k, pglist_data& pgdat, int zone_idx)
{
  KernelFrame frame(k.stack, "memmap_init_zone");
  const zone& z = pgdat.node_zones[static_cast<std::size_t>(zone_idx)];
  std::uint64_t done = 0;
  if (!k.version().memmap_init_by_ranges) {
    // The whole zone span, pfn by pfn: holes inside it get struct pages too.
    done = memmap_init_range(k, pgdat, zone_idx, z.zone_start_pfn, z.zone_end_pfn(), z.zone_end_pfn(), true);
  } else {
    // v5.8 memmap_init() (73a6e474cb37): only the node's memblock ranges,
    // clamped to the zone; holes keep what init_unavailable_mem() made of
    // them. defer_init() sees each range's end as the zone's.
    for (const pfn_range& r : k.mem_ranges) {
      if (r.nid != pgdat.node_id) continue;
      const pfn_t s = std::clamp(r.start_pfn, z.zone_start_pfn, z.zone_end_pfn());
      const pfn_t e = std::clamp(r.end_pfn, z.zone_start_pfn, z.zone_end_pfn());
      if (s < e) done += memmap_init_range(k, pgdat, zone_idx, s, e, e, false);
    }
  }
  k.advance_clock(k.clock.cost().ns(done, 0, 1));
  return done;
}

FreeAreaInitHooks early_init_hooks(Kernel& k)
{
  FreeAreaInitHooks hooks;
  if (k.version().zero_unavail.before_nodes) hooks.before_nodes = [&k] { zero_resv_unavail(k); };
  else hooks.after_nodes = [&k](std::vector<pglist_data>&) { zero_resv_unavail(k); };
  hooks.node_prepared = [&k](pglist_data& pgdat) {
    if (k.mm.kind() == MemoryModelKind::flatmem) {
      KernelFrame f(k.stack, "free_area_init_node");
      alloc_node_mem_map(k.mm, k.memblock, pgdat);
    }
    reset_deferred_meminit(k, pgdat);
  };
  hooks.memmap_init = [&k](pglist_data& pgdat, int zone_idx) { memmap_init_zone(k, pgdat, zone_idx); };
  return hooks;
}

}  // namespace pginit
