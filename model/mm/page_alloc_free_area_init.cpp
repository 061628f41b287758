// SPDX-License-Identifier: MIT
// free_area_init.cpp - zone ranges, node spans, present/absent pages, memmap
// and reserved pages, and the pcp batch, with the kernel's printk lines.
#include "mm/page_alloc.h"

#include <algorithm>

#include <fmt/format.h>

#include "include/linux/mm_types.h"

namespace pginit {

namespace {

// An address as these lines print it: %#018Lx from v4.0, %#010Lx (at
// least 10 characters, wider when it needs to be) before.
std::string fmt_addr(u64 a, unsigned width) { return fmt::format("{:#0{}x}", a, width); }

std::string fmt_mem_range(pfn_t start_pfn, pfn_t end_pfn, unsigned width)
{
  return fmt::format("[mem {}-{}]", fmt_addr(PFN_PHYS(start_pfn), width), fmt_addr(PFN_PHYS(end_pfn) - 1, width));
}

pfn_t rounddown_pow_of_two(pfn_t n)
{
  pfn_t p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

// The range every zone may cover, whatever the node: arch_zone_lowest/
// highest_possible_pfn[]. Zones are stacked upward from the lowest memory
// pfn; ZONE_MOVABLE takes its pages from the others and has no range.
struct ArchZoneRanges {
  std::vector<pfn_t> lowest;
  std::vector<pfn_t> highest;
};

ArchZoneRanges arch_zone_ranges(const memblock& mb, const ZoneConfig& zones, const FreeAreaInitParams& p)
{
  ArchZoneRanges r{std::vector<pfn_t>(zones.types.size(), 0), std::vector<pfn_t>(zones.types.size(), 0)};
  // find_min_pfn_with_active_regions()
  pfn_t start_pfn = ULONG_MAX_PFN;
  for (const pfn_range& range : mem_pfn_ranges(mb, mb.max_numnodes)) start_pfn = std::min(start_pfn, range.start_pfn);
  if (start_pfn == ULONG_MAX_PFN) start_pfn = 0;
  for (std::size_t i = 0; i < zones.types.size(); i++) {
    if (zones.types[i] == ZoneType::movable) continue;
    const pfn_t end_pfn = std::max(p.max_zone_pfn[static_cast<std::size_t>(zones.types[i])], start_pfn);
    r.lowest[i] = start_pfn;
    r.highest[i] = end_pfn;
    start_pfn = end_pfn;
  }
  return r;
}

void print_zone_ranges(const ZoneConfig& zones, const ArchZoneRanges& r, const std::vector<pfn_t>& zone_movable_pfn,
                       unsigned width, Printk& log)
{
  log.printk(LogLevel::info, "Zone ranges:");
  for (std::size_t i = 0; i < zones.types.size(); i++) {
    if (zones.types[i] == ZoneType::movable) continue;
    const std::string name = fmt::format("  {:<8} ", zone_name(zones.types[i]));
    log.printk(LogLevel::info,
               name + (r.lowest[i] == r.highest[i] ? std::string("empty")
                                                   : fmt_mem_range(r.lowest[i], r.highest[i], width)));
  }
  log.printk(LogLevel::info, "Movable zone start for each node");
  for (std::size_t nid = 0; nid < zone_movable_pfn.size(); nid++)
    if (zone_movable_pfn[nid] != 0)
      log.printk(LogLevel::info, fmt::format("  Node {}: {}", nid, fmt_addr(PFN_PHYS(zone_movable_pfn[nid]), width)));
  log.printk(LogLevel::info, "Early memory node ranges");
}

// What ZONE_MOVABLE takes from a node: its start per node, and the zone its
// pages come from (find_usable_zone_for_movable()).
struct MovableLayout {
  std::vector<pfn_t> zone_movable_pfn;
  std::size_t movable_zone = 0;
};

// adjust_zone_range_for_zone_movable(): ZONE_MOVABLE spans from the node's
// movable start to its end (within the zone it takes from); the zone the
// start falls in is cut there, and a zone wholly above it becomes empty.
void adjust_zone_range_for_zone_movable(const MovableLayout& m, const ZoneConfig& zones, const ArchZoneRanges& r,
                                        int nid, std::size_t zone_idx, pfn_t node_end_pfn, pfn_t& zone_start,
                                        pfn_t& zone_end)
{
  const pfn_t zmp = m.zone_movable_pfn[static_cast<std::size_t>(nid)];
  if (zmp == 0) return;
  if (zones.types[zone_idx] == ZoneType::movable) {
    zone_start = zmp;
    zone_end = std::min(node_end_pfn, r.highest[m.movable_zone]);
  } else if (zone_start < zmp && zone_end > zmp) {
    zone_end = zmp;
  } else if (zone_start >= zmp) {
    zone_start = zone_end;
  }
}

// calculate_node_totalpages(): zone_spanned_pages_in_node() and
// zone_absent_pages_in_node() for every zone of the node.
void calculate_node_totalpages(pglist_data& pgdat, const memblock& mb, const ZoneConfig& zones,
                               const ArchZoneRanges& r, const MovableLayout& movable, pfn_t node_start_pfn,
                               pfn_t node_end_pfn, bool print, Printk& log)
{
  std::uint64_t totalpages = 0;
  std::uint64_t realtotalpages = 0;
  for (std::size_t i = 0; i < zones.types.size(); i++) {
    zone z;
    z.type = zones.types[i];
    z.node = pgdat.node_id;
    std::uint64_t size = 0;
    std::uint64_t absent = 0;
    pfn_t zone_start = 0;
    pfn_t zone_end = 0;
    // A node without memory (node_start_pfn == node_end_pfn == 0) spans nothing.
    if (node_start_pfn != 0 || node_end_pfn != 0) {
      zone_start = std::clamp(node_start_pfn, r.lowest[i], r.highest[i]);
      zone_end = std::clamp(node_end_pfn, r.lowest[i], r.highest[i]);
      adjust_zone_range_for_zone_movable(movable, zones, r, pgdat.node_id, i, node_end_pfn, zone_start, zone_end);
      if (!(zone_end < node_start_pfn || zone_start > node_end_pfn)) {
        zone_end = std::min(zone_end, node_end_pfn);
        zone_start = std::max(zone_start, node_start_pfn);
        size = zone_end - zone_start;
        absent = absent_pages_in_range(mb, pgdat.node_id, zone_start, zone_end);
      }
    }
    z.zone_start_pfn = size != 0 ? zone_start : 0;
    z.spanned_pages = size;
    z.present_pages = size - absent;
    totalpages += size;
    realtotalpages += z.present_pages;
    z.init_free_lists(static_cast<int>(i));  // init_currently_empty_zone() -> zone_init_free_lists()
    pgdat.node_zones.push_back(z);
  }
  pgdat.node_spanned_pages = totalpages;
  pgdat.node_present_pages = realtotalpages;
  if (print) log.printk(LogLevel::debug, fmt::format("On node {} totalpages: {}", pgdat.node_id, realtotalpages));
}

// free_area_init_core(): what each zone costs in memmap and reservations,
// the first estimate of managed_pages, and the pcp batch derived from it.
void free_area_init_core(pglist_data& pgdat, const FreeAreaInitParams& p, const FreeAreaInitHooks& hooks,
                         Printk& log)
{
  for (std::size_t j = 0; j < pgdat.node_zones.size(); j++) {
    zone& z = pgdat.node_zones[j];
    std::uint64_t freesize = z.present_pages;
    // Is this zone big enough to hold its own memmap? (x86_64 has no highmem.)
    const std::uint64_t memmap_pages = calc_memmap_size(z.spanned_pages, z.present_pages, p.sparsemem, p.struct_page_size);
    if (freesize >= memmap_pages) {
      freesize -= memmap_pages;
      if (memmap_pages != 0 && p.zone_lines_printed)
        log.printk(LogLevel::debug, fmt::format("  {} zone: {} pages used for memmap", z.name(), memmap_pages));
    } else {
      log.printk(LogLevel::warning,
                 fmt::format("  {} zone: {} pages exceeds freesize {}", z.name(), memmap_pages, freesize));
    }
    // Pages the arch knows are in use below MAX_DMA_PFN, charged to zone 0.
    if (j == 0 && freesize > p.dma_reserve) {
      freesize -= p.dma_reserve;
      if (p.zone_lines_printed)
        log.printk(LogLevel::debug,
                 fmt::format("  {} zone: {} pages reserved", pgdat.node_zones[0].name(), p.dma_reserve));
    }
    // An estimate until free_all_bootmem() counts what it really frees.
    z.managed_pages = freesize;
    // zone_pcp_init()
    if (z.populated() && p.zone_lines_printed)
      log.printk(LogLevel::debug, fmt::format("  {} zone: {} pages, LIFO batch:{}", z.name(), z.present_pages,
                                              zone_batchsize(z.managed_pages, p.batch_cap_bytes)));
    if (z.spanned_pages == 0) continue;
    if (hooks.memmap_init) hooks.memmap_init(pgdat, static_cast<int>(j));
  }
}

}  // namespace

void get_pfn_range_for_nid(const memblock& mb, int nid, pfn_t& start_pfn, pfn_t& end_pfn)
{
  start_pfn = ULONG_MAX_PFN;
  end_pfn = 0;
  for (const pfn_range& r : mem_pfn_ranges(mb, nid)) {
    start_pfn = std::min(start_pfn, r.start_pfn);
    end_pfn = std::max(end_pfn, r.end_pfn);
  }
  if (start_pfn == ULONG_MAX_PFN) start_pfn = 0;
}

std::uint64_t calc_memmap_size(std::uint64_t spanned_pages, std::uint64_t present_pages, bool sparsemem,
                               std::uint64_t struct_page_size)
{
  // With holes worth more than 1/16 of the zone, SPARSEMEM gives the holes no
  // memmap, so present pages are the better estimate.
  std::uint64_t pages = spanned_pages;
  if (spanned_pages > present_pages + (present_pages >> 4) && sparsemem) pages = present_pages;
  return PAGE_ALIGN(pages * struct_page_size) >> PAGE_SHIFT;
}

unsigned zone_batchsize(std::uint64_t managed_pages, std::uint64_t batch_cap_bytes)
{
  // About a quarter of a megabyte of pages per batch, at most; then clamped to
  // 2^n - 1 so that batches do not alias cache colours.
  std::uint64_t batch = managed_pages / 1024;
  if (batch * PAGE_SIZE > batch_cap_bytes) batch = batch_cap_bytes / PAGE_SIZE;
  batch /= 4;
  if (batch < 1) batch = 1;
  return static_cast<unsigned>(rounddown_pow_of_two(batch + batch / 2) - 1);
}

std::uint64_t absent_pages_in_range(const memblock& mb, int nid, pfn_t start_pfn, pfn_t end_pfn)
{
  std::uint64_t nr_absent = end_pfn - start_pfn;
  for (const pfn_range& r : mem_pfn_ranges(mb, nid)) {
    const pfn_t s = std::clamp(r.start_pfn, start_pfn, end_pfn);
    const pfn_t e = std::clamp(r.end_pfn, start_pfn, end_pfn);
    nr_absent -= e - s;
  }
  return nr_absent;
}

std::vector<pglist_data> free_area_init_nodes(const memblock& mb, const ZoneConfig& zones,
                                              const std::vector<int>& online_nodes,
                                              const std::vector<int>& possible_nodes,
                                              const FreeAreaInitParams& params, const FreeAreaInitHooks& hooks,
                                              Printk& log)
{
  const ArchZoneRanges ranges = arch_zone_ranges(mb, zones, params);
  MovableLayout movable;
  movable.zone_movable_pfn = find_zone_movable_pfns_for_nodes(mb, zones, ranges.lowest, ranges.highest, params);
  movable.movable_zone = find_usable_zone_for_movable(zones, ranges.lowest, ranges.highest);
  const unsigned width = params.mem_hex_width;
  print_zone_ranges(zones, ranges, movable.zone_movable_pfn, width, log);
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes))
    log.printk(LogLevel::info, fmt::format("  node {:>3}: {}", r.nid, fmt_mem_range(r.start_pfn, r.end_pfn, width)));
  if (hooks.before_nodes) hooks.before_nodes();

  // Every possible node in id order (6.1), or only the online ones.
  std::vector<int> walk = online_nodes;
  if (params.inits_memoryless_nodes) {
    walk = possible_nodes;
    for (int nid : online_nodes)
      if (std::find(walk.begin(), walk.end(), nid) == walk.end()) walk.push_back(nid);
    std::sort(walk.begin(), walk.end());
  }
  std::vector<pglist_data> nodes;
  for (int nid : walk) {
    const bool online = std::find(online_nodes.begin(), online_nodes.end(), nid) != online_nodes.end();
    pglist_data memoryless;
    pglist_data& pgdat = online ? nodes.emplace_back() : memoryless;
    pgdat.node_id = nid;
    pfn_t start_pfn = 0;
    pfn_t end_pfn = 0;
    if (online) {
      get_pfn_range_for_nid(mb, nid, start_pfn, end_pfn);
      if (end_pfn == 0) log.printk(LogLevel::warning, fmt::format("Could not find start_pfn for node {}", nid));
    } else {
      // Not online: a pg_data_t from memblock now, kept out of the online
      // nodes (no N_MEMORY, no zonelist, no deferred init) until hotplug.
      log.printk(LogLevel::info, fmt::format("Initializing node {} as memoryless", nid));
      if (hooks.alloc_memoryless_node) hooks.alloc_memoryless_node(nid);
    }
    pgdat.node_start_pfn = start_pfn;  // find_min_pfn_for_node()
    if (!params.initmem_printed_by_node) {
      // 3.x: the NUMA code printed it already.
    } else if (start_pfn != end_pfn || !params.inits_memoryless_nodes) {
      log.printk(LogLevel::info,
                 fmt::format("Initmem setup node {} [mem {}-{}]", nid, fmt_addr(PFN_PHYS(start_pfn), width),
                             fmt_addr(end_pfn != 0 ? PFN_PHYS(end_pfn) - 1 : 0, width)));
    } else {
      log.printk(LogLevel::info, fmt::format("Initmem setup node {} as memoryless", nid));
    }
    calculate_node_totalpages(pgdat, mb, zones, ranges, movable, start_pfn, end_pfn, params.zone_lines_printed, log);
    if (!online) continue;
    if (hooks.node_prepared) hooks.node_prepared(pgdat);
    free_area_init_core(pgdat, params, hooks, log);
  }
  if (hooks.after_nodes) hooks.after_nodes(nodes);
  return nodes;
}

}  // namespace pginit
