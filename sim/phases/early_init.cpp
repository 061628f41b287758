// SPDX-License-Identifier: MIT
#include "phases/early_init.h"

#include <algorithm>

#include <fmt/format.h>

#include "memmap_alloc.h"
#include "page_init.h"

namespace pginit {

namespace {

// memblock_reserved_memory_within() as v4.16 has it: the *whole* size of
// every reserved region that touches [start, end].
std::uint64_t memblock_reserved_memory_within(const memblock& mb, phys_addr_t start, phys_addr_t end)
{
  std::uint64_t size = 0;
  for (const memblock_region& r : mb.reserved.regions) {
    if (r.size == 0 || r.base + r.size < start || r.base > end) continue;
    size += r.size;
  }
  return size;
}

// How many pages of the node's last zone memmap_init_zone() does up front.
void reset_deferred_meminit(const BootState& st, pglist_data& pgdat)
{
  pgdat.first_deferred_pfn = ULONG_MAX_PFN;
  if (!st.deferred_struct_page_init) return;
  if (st.policy->static_init == InitPolicy::StaticInit::one_section) {
    pgdat.static_init_pgcnt = std::min<std::uint64_t>(PAGES_PER_SECTION, pgdat.node_spanned_pages);
    return;
  }
  // v4.16: at least 2 GiB (or 1/256 of the node, for its hash tables), plus
  // whatever memblock already holds there (crash kernel, ...).
  std::uint64_t max_pgcnt = std::max<std::uint64_t>(2 * SZ_1G >> PAGE_SHIFT, pgdat.node_spanned_pages >> 8);
  max_pgcnt += PFN_DOWN(memblock_reserved_memory_within(st.memblock, PFN_PHYS(pgdat.node_start_pfn),
                                                        PFN_PHYS(pgdat.node_start_pfn + max_pgcnt)));
  pgdat.static_init_pgcnt = std::min(max_pgcnt, pgdat.node_spanned_pages);
}

// update_defer_init(): false once the node's highest zone has had its
// static_init_pgcnt pages and pfn starts a section.
bool update_defer_init(const BootState& st, pglist_data& pgdat, pfn_t pfn, pfn_t zone_end, std::uint64_t& nr_initialised)
{
  if (!st.deferred_struct_page_init) return true;
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

// Zeroes the struct pages of [spfn, epfn) whose pageblock has a memmap.
std::uint64_t zero_pfn_range(MemoryModel& mm, pfn_t spfn, pfn_t epfn)
{
  const pfn_t pageblock = mm.pageblock_nr_pages();
  std::uint64_t pgcnt = 0;
  for (pfn_t pfn = spfn; pfn < epfn; pfn++) {
    if (!mm.pfn_valid(round_down(pfn, pageblock))) {
      pfn = round_down(pfn, pageblock) + pageblock - 1;
      continue;
    }
    mm_zero_struct_page(mm, *mm.pfn_host_page(pfn), pfn);
    pgcnt++;
  }
  return pgcnt;
}

// zero_resv_unavail(): struct pages no init pass will reach get zeroes
// rather than garbage. Which pages, and when, depends on the version.
void zero_resv_unavail(BootState& st)
{
  KernelFrame frame(st.stack, "zero_resv_unavail");
  std::uint64_t pgcnt = 0;
  if (st.scenario.kernel->zero_unavail == KernelVersion::ZeroUnavail::all_before_init) {
    // Every gap between memblock.memory regions, and what follows the last up to max_pfn.
    phys_addr_t next = 0;
    for (const memblock_region& r : st.memblock.memory.regions) {
      if (r.size == 0) continue;
      if (next < r.base) pgcnt += zero_pfn_range(st.mm, PFN_DOWN(next), PFN_UP(r.base));
      next = r.end();
    }
    pgcnt += zero_pfn_range(st.mm, PFN_DOWN(next), st.max_pfn);
    if (pgcnt != 0)
      st.log.printk(LogLevel::info, fmt::format("Zeroed struct page in unavailable ranges: {} pages", pgcnt));
    return;
  }
  // for_each_resv_unavail_range(): reserved and not memory.
  memblock unavail = st.memblock;
  unavail.log = &null_printk();
  unavail.debug = false;
  for (const memblock_region& r : st.memblock.memory.regions)
    if (r.size != 0) memblock_remove_range(unavail, unavail.reserved, r.base, r.size);
  for (const memblock_region& r : unavail.reserved.regions) {
    if (r.size == 0) continue;
    for (pfn_t pfn = PFN_DOWN(r.base); pfn < PFN_UP(r.end()); pfn++) {
      if (!st.mm.pfn_valid(round_down(pfn, st.mm.pageblock_nr_pages()))) continue;
      mm_zero_struct_page(st.mm, *st.mm.pfn_host_page(pfn), pfn);
      pgcnt++;
    }
  }
  if (pgcnt != 0) st.log.printk(LogLevel::info, fmt::format("Reserved but unavailable: {} pages", pgcnt));
}

}  // namespace

std::uint64_t memmap_init_zone(BootState& st, pglist_data& pgdat, int zone_idx)
{
  KernelFrame frame(st.stack, "memmap_init_zone");
  const zone& z = pgdat.node_zones[static_cast<std::size_t>(zone_idx)];
  const pfn_t end_pfn = z.zone_end_pfn();
  const pfn_t pageblock_mask = st.mm.pageblock_nr_pages() - 1;
  std::uint64_t nr_initialised = 0;
  std::uint64_t done = 0;
  PfnNidCache nid_cache;
  page* p = nullptr;
  kva_t p_kva = 0;
  PageShadow* shadow = nullptr;
  std::uint64_t links = 0;
  for (pfn_t pfn = z.zone_start_pfn; pfn < end_pfn; pfn++) {
    // early_pfn_valid(): a section without memmap is skipped whole.
    if ((pfn & (PAGES_PER_SECTION - 1)) == 0 || p == nullptr) {
      if (!st.mm.pfn_valid(pfn)) {
        p = nullptr;
        pfn |= PAGES_PER_SECTION - 1;
        continue;
      }
      p = st.mm.pfn_host_page(pfn);
      p_kva = st.mm.pfn_to_page(pfn).value;
      shadow = st.mm.shadow(pfn);
      links = page_links(static_cast<unsigned>(zone_idx), pgdat.node_id, pfn, st.mm.flags_layout());
    } else {
      p++;
      p_kva += sizeof(page);
      shadow++;
    }
    // early_pfn_in_nid(): a pfn memblock gives to another node is that node's to init.
    const int owner = nid_cache.lookup(st.mem_ranges, pfn);
    if (owner >= 0 && owner != pgdat.node_id) continue;
    if (!update_defer_init(st, pgdat, pfn, end_pfn, nr_initialised)) break;
    __init_single_page_run(*p, p_kva, links, shadow, InitPhase::early);
    if ((pfn & pageblock_mask) == 0) set_pageblock_migratetype(st.mm, pfn, MIGRATE_MOVABLE);
    done++;
  }
  st.advance_clock(st.cost.ns(done, 0, 1));
  return done;
}

FreeAreaInitHooks early_init_hooks(BootState& st)
{
  FreeAreaInitHooks hooks;
  const KernelVersion::ZeroUnavail when = st.scenario.kernel->zero_unavail;
  if (when != KernelVersion::ZeroUnavail::reserved_after_init) hooks.before_nodes = [&st] { zero_resv_unavail(st); };
  else hooks.after_nodes = [&st](std::vector<pglist_data>&) { zero_resv_unavail(st); };
  hooks.node_prepared = [&st](pglist_data& pgdat) {
    if (st.mm.kind() == MemoryModelKind::flatmem) {
      KernelFrame f(st.stack, "free_area_init_node");
      alloc_node_mem_map(st.mm, st.memblock, pgdat);
    }
    reset_deferred_meminit(st, pgdat);
  };
  hooks.memmap_init = [&st](pglist_data& pgdat, int zone_idx) { memmap_init_zone(st, pgdat, zone_idx); };
  return hooks;
}

}  // namespace pginit
