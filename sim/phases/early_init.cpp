// SPDX-License-Identifier: MIT
#include "phases/early_init.h"

#include <algorithm>
#include <memory>

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

// defer_init()'s counter (static in the kernel from v4.20): pages
// initialized since the end pfn it is given last changed.
struct DeferInitCount {
  pfn_t prev_end_pfn = 0;
  std::uint64_t nr_initialised = 0;
  // 6.1: a node that deferred once initializes nothing more of its highest
  // zone, in whichever later range (v5.8 starts counting again per range).
  bool stop_once_deferred = false;
};

// update_defer_init() / defer_init() for pfn and the n - 1 pfns after it,
// none of which starts a section: false once the node's highest zone has
// had its static_init_pgcnt pages and pfn starts a section.
bool update_defer_init(const Kernel& k, pglist_data& pgdat, pfn_t pfn, pfn_t zone_end, DeferInitCount& count,
                       pfn_t n = 1)
{
  if (!k.deferred_struct_page_init()) return true;
  if (count.prev_end_pfn != zone_end) {
    count.prev_end_pfn = zone_end;
    count.nr_initialised = 0;
  }
  // Lower zones are always populated, for address-constrained allocations.
  if (zone_end < pgdat.node_end_pfn()) return true;
  if (count.stop_once_deferred && pgdat.first_deferred_pfn != ULONG_MAX_PFN) return false;
  std::uint64_t& nr_initialised = count.nr_initialised;
  nr_initialised++;
  if (nr_initialised > pgdat.static_init_pgcnt && (pfn & (PAGES_PER_SECTION - 1)) == 0) {
    pgdat.first_deferred_pfn = pfn;
    return false;
  }
  nr_initialised += n - 1;  // the others pass: deferring starts at a section only
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
                                pfn_t defer_end, bool check_each_pfn, DeferInitCount& count)
{
  const pfn_t pageblock = k.mm.pageblock_nr_pages();
  std::uint64_t done = 0;
  PfnNidCache nid_cache;
  // The pfns go by in pieces that the per-pfn checks treat alike: within
  // one section, and within one memblock range (or hole) for early_pfn_in_nid().
  for (pfn_t pfn = start; pfn < end;) {
    const pfn_t section_end = std::min(end, round_up(pfn + 1, PAGES_PER_SECTION));
    // early_pfn_valid(): a section without memmap is skipped whole.
    if (!k.mm.pfn_valid(pfn)) {
      pfn = section_end;
      continue;
    }
    pfn_t piece_end = section_end;
    if (check_each_pfn) {
      // early_pfn_in_nid(): a pfn memblock gives to another node is that node's to init.
      const int owner = nid_cache.lookup(k.mem_ranges, pfn);
      piece_end = std::min(section_end, nid_cache.end);
      if (owner >= 0 && owner != pgdat.node_id) {
        pfn = piece_end;
        continue;
      }
    }
    if (!update_defer_init(k, pgdat, pfn, defer_end, count, piece_end - pfn)) break;
    __init_single_page_range(k.mm, pfn, piece_end, static_cast<unsigned>(zone_idx), pgdat.node_id, InitPhase::early);
    for (pfn_t pb = round_up(pfn, pageblock); pb < piece_end; pb += pageblock)
      set_pageblock_migratetype(k.mm, pb, MIGRATE_MOVABLE);
    done += piece_end - pfn;
    pfn = piece_end;
  }
  return done;
}

}  // namespace

std::uint64_t memmap_init_zone(Kernel& k, pglist_data& pgdat, int zone_idx)
{
  KernelFrame frame(k.stack, "memmap_init_zone");
  const zone& z = pgdat.node_zones[static_cast<std::size_t>(zone_idx)];
  std::uint64_t done = 0;
  if (k.version().memmap_init == MemmapInitWalk::zone_span) {
    // The whole zone span, pfn by pfn: holes inside it get struct pages too.
    DeferInitCount count;
    done = memmap_init_range(k, pgdat, zone_idx, z.zone_start_pfn, z.zone_end_pfn(), z.zone_end_pfn(), true, count);
  } else {
    // v5.8 memmap_init() (73a6e474cb37): only the node's memblock ranges,
    // clamped to the zone; holes keep what init_unavailable_mem() made of
    // them. defer_init() sees each range's end as the zone's.
    for (const pfn_range& r : k.mem_ranges) {
      if (r.nid != pgdat.node_id) continue;
      const pfn_t s = std::clamp(r.start_pfn, z.zone_start_pfn, z.zone_end_pfn());
      const pfn_t e = std::clamp(r.end_pfn, z.zone_start_pfn, z.zone_end_pfn());
      DeferInitCount count;
      if (s < e) done += memmap_init_range(k, pgdat, zone_idx, s, e, e, false, count);
    }
  }
  k.advance_clock(k.clock.cost().ns(done, 0, 1));
  k.observer.on_pages_initialized(k, done);
  return done;
}

// 6.1 memmap_init(): once, after every node is set up. Each memblock range,
// in address order, is initialized zone by zone (memmap_init_zone_range());
// the gap before it goes to init_unavailable_range() with the zone and node
// of the first zone the range has pages in, and what follows the last range
// up to its section's end with the last node's highest populated zone.
void memmap_init_ranges_then_holes(Kernel& k, std::vector<pglist_data>& nodes)
{
  KernelFrame frame(k.stack, "memmap_init");
  DeferInitCount count;
  count.stop_once_deferred = true;
  std::uint64_t done = 0;
  pfn_t hole_pfn = 0;
  unsigned zone_id = 0;
  int nid = 0;
  pfn_t end_pfn = 0;
  const auto unavailable = [&k](pfn_t spfn, pfn_t epfn, unsigned zid, int node) {
    const std::uint64_t pgcnt = init_unavailable_range(k.mm, spfn, epfn, zid, node);
    if (pgcnt != 0)
      k.log.printk(LogLevel::info, fmt::format("On node {}, zone {}: {} pages in unavailable ranges", node,
                                               zone_name(k.zones.types[zid]), pgcnt));
  };
  for (const pfn_range& r : k.mem_ranges) {
    nid = r.nid;
    end_pfn = r.end_pfn;
    // NODE_DATA(nid); a node too small to go online has no populated zone.
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&r](const pglist_data& p) { return p.node_id == r.nid; });
    if (it == nodes.end()) continue;
    pglist_data* pgdat = &*it;
    for (std::size_t j = 0; j < pgdat->node_zones.size(); j++) {
      const zone& z = pgdat->node_zones[j];
      if (!z.populated()) continue;
      // memmap_init_zone_range(): the range clamped to the zone; defer_init()
      // compares the zone's end with the node's.
      const pfn_t s = std::clamp(r.start_pfn, z.zone_start_pfn, z.zone_end_pfn());
      const pfn_t e = std::clamp(r.end_pfn, z.zone_start_pfn, z.zone_end_pfn());
      zone_id = static_cast<unsigned>(j);
      if (s >= e) continue;
      done += memmap_init_range(k, *pgdat, static_cast<int>(j), s, e, z.zone_end_pfn(), false, count);
      if (hole_pfn < s) unavailable(hole_pfn, s, static_cast<unsigned>(j), r.nid);
      hole_pfn = e;
    }
  }
  // The tail of the last section ("[memory_end, section_end]"): SPARSEMEM only.
  if (k.mm.kind() != MemoryModelKind::flatmem) end_pfn = round_up(end_pfn, PAGES_PER_SECTION);
  if (hole_pfn < end_pfn) unavailable(hole_pfn, end_pfn, zone_id, nid);
  k.advance_clock(k.clock.cost().ns(done, 0, 1));
  k.observer.on_pages_initialized(k, done);
}

namespace {

// v5.12 memmap_init_zone()'s statics: hole_pfn, and defer_init()'s count.
struct ZoneHolesState {
  pfn_t hole_pfn = 0;
  DeferInitCount count{.stop_once_deferred = true};
};

// v5.12 memmap_init_zone() (0740a50b9baa), called per zone from
// free_area_init_core(): the node's ranges clamped to the zone; the gap
// before each range, and what follows the last up to the zone end's
// section end, go to init_unavailable_range() with this zone and node,
// whatever node owns those pfns. hole_pfn carries over between calls.
void memmap_init_zone_ranges_then_holes(Kernel& k, pglist_data& pgdat, int zone_idx, ZoneHolesState& st)
{
  KernelFrame frame(k.stack, "memmap_init_zone");
  const zone& z = pgdat.node_zones[static_cast<std::size_t>(zone_idx)];
  const unsigned zid = static_cast<unsigned>(zone_idx);
  std::uint64_t done = 0;
  std::uint64_t pgcnt = 0;
  for (const pfn_range& r : k.mem_ranges) {
    if (r.nid != pgdat.node_id) continue;
    const pfn_t s = std::clamp(r.start_pfn, z.zone_start_pfn, z.zone_end_pfn());
    const pfn_t e = std::clamp(r.end_pfn, z.zone_start_pfn, z.zone_end_pfn());
    if (e > s) done += memmap_init_range(k, pgdat, zone_idx, s, e, z.zone_end_pfn(), false, st.count);
    if (st.hole_pfn < s) pgcnt += init_unavailable_range(k.mm, st.hole_pfn, s, zid, pgdat.node_id);
    st.hole_pfn = e;
  }
  // "Initialize the hole in the range [zone_end_pfn, section_end]": SPARSEMEM only.
  const pfn_t end = round_up(z.zone_end_pfn(), PAGES_PER_SECTION);
  if (k.mm.kind() != MemoryModelKind::flatmem && st.hole_pfn < end)
    pgcnt += init_unavailable_range(k.mm, st.hole_pfn, end, zid, pgdat.node_id);
  if (pgcnt != 0)
    k.log.printk(LogLevel::info, fmt::format("  {} zone: {} pages in unavailable ranges", z.name(), pgcnt));
  k.advance_clock(k.clock.cost().ns(done, 0, 1));
}

}  // namespace

FreeAreaInitHooks early_init_hooks(Kernel& k)
{
  FreeAreaInitHooks hooks;
  switch (k.version().zero_unavail.when) {
    case UnavailableRule::When::before_nodes: hooks.before_nodes = [&k] { zero_resv_unavail(k); }; break;
    case UnavailableRule::When::after_nodes:
      hooks.after_nodes = [&k](std::vector<pglist_data>&) { zero_resv_unavail(k); };
      break;
    case UnavailableRule::When::in_memmap_init: break;
  }
  hooks.node_prepared = [&k](pglist_data& pgdat) {
    if (k.mm.kind() == MemoryModelKind::flatmem) {
      KernelFrame f(k.stack, "free_area_init_node");
      alloc_node_mem_map(k.mm, k.memblock, pgdat);
    }
    reset_deferred_meminit(k, pgdat);
  };
  if (k.version().memmap_init == MemmapInitWalk::ranges_then_holes) {
    hooks.after_nodes = [&k](std::vector<pglist_data>& nodes) { memmap_init_ranges_then_holes(k, nodes); };
  } else if (k.version().memmap_init == MemmapInitWalk::zone_ranges_then_holes) {
    k.reinits_section_tails = true;
    auto state = std::make_shared<ZoneHolesState>();
    hooks.memmap_init = [&k, state](pglist_data& pgdat, int zone_idx) {
      memmap_init_zone_ranges_then_holes(k, pgdat, zone_idx, *state);
    };
  } else {
    hooks.memmap_init = [&k](pglist_data& pgdat, int zone_idx) { memmap_init_zone(k, pgdat, zone_idx); };
  }
  return hooks;
}

}  // namespace pginit
