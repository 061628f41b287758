// SPDX-License-Identifier: MIT
// page_alloc_movable.cpp - find_zone_movable_pfns_for_nodes(): where
// kernelcore= / movablecore= put the start of ZONE_MOVABLE in each node
// (mm/page_alloc.c; the same algorithm from v4.17, where the "N%" forms came
// in with a5c6d6509342, to 6.1). kernelcore=mirror and movable_node are not
// modelled (cmdline.cpp refuses the first; scenarios cannot ask for the second).
#include "mm/page_alloc.h"

#include <algorithm>

namespace pginit {

std::size_t find_usable_zone_for_movable(const ZoneConfig& zones, const std::vector<pfn_t>& lowest,
                                         const std::vector<pfn_t>& highest)
{
  for (std::size_t i = zones.types.size(); i-- > 0;) {
    if (zones.types[i] == ZoneType::movable) continue;
    if (highest[i] > lowest[i]) return i;
  }
  return 0;
}

namespace {

pfn_t roundup(pfn_t x, pfn_t y) { return (x + y - 1) / y * y; }

}  // namespace

std::vector<pfn_t> find_zone_movable_pfns_for_nodes(const memblock& mb, const ZoneConfig& zones,
                                                    const std::vector<pfn_t>& arch_lowest,
                                                    const std::vector<pfn_t>& arch_highest,
                                                    const FreeAreaInitParams& params)
{
  std::vector<pfn_t> zone_movable_pfn(static_cast<std::size_t>(mb.max_numnodes), 0);
  // early_calculate_totalpages(): all memory, and which nodes have any (N_MEMORY).
  std::uint64_t totalpages = 0;
  std::vector<int> memory_nodes;
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes)) {
    totalpages += r.end_pfn - r.start_pfn;
    if (r.end_pfn > r.start_pfn && std::find(memory_nodes.begin(), memory_nodes.end(), r.nid) == memory_nodes.end())
      memory_nodes.push_back(r.nid);
  }
  std::sort(memory_nodes.begin(), memory_nodes.end());
  std::uint64_t usable_nodes = memory_nodes.size();
  const std::size_t movable_zone = find_usable_zone_for_movable(zones, arch_lowest, arch_highest);

  std::uint64_t required_kernelcore = params.required_kernelcore;
  std::uint64_t required_movablecore = params.required_movablecore;
  if (params.required_kernelcore_percent != 0)
    required_kernelcore = (totalpages * 100 * params.required_kernelcore_percent) / 10000;
  if (params.required_movablecore_percent != 0)
    required_movablecore = (totalpages * 100 * params.required_movablecore_percent) / 10000;

  // movablecore= is turned into the kernelcore that leaves that much (rounded
  // up to whole MAX_ORDER blocks) movable; the larger kernelcore wins.
  if (required_movablecore != 0) {
    required_movablecore = std::min<std::uint64_t>(totalpages, roundup(required_movablecore, MAX_ORDER_NR_PAGES));
    required_kernelcore = std::max(required_kernelcore, totalpages - required_movablecore);
  }
  if (required_kernelcore == 0 || required_kernelcore >= totalpages || usable_nodes == 0) return zone_movable_pfn;

  // Below this pfn memory can only be kernelcore.
  const pfn_t usable_startpfn = arch_lowest[movable_zone];

  // Spread kernelcore evenly over the nodes; a node too small for its share
  // leaves the rest to another pass over one node fewer.
  do {
    std::uint64_t kernelcore_node = required_kernelcore / usable_nodes;
    for (int nid : memory_nodes) {
      pfn_t& zmp = zone_movable_pfn[static_cast<std::size_t>(nid)];
      if (required_kernelcore < kernelcore_node) kernelcore_node = required_kernelcore / usable_nodes;
      std::uint64_t kernelcore_remaining = kernelcore_node;
      for (const pfn_range& r : mem_pfn_ranges(mb, nid)) {
        pfn_t start_pfn = std::max(r.start_pfn, zmp);
        const pfn_t end_pfn = r.end_pfn;
        if (start_pfn >= end_pfn) continue;
        if (start_pfn < usable_startpfn) {
          const std::uint64_t kernel_pages = std::min(end_pfn, usable_startpfn) - start_pfn;
          kernelcore_remaining -= std::min(kernel_pages, kernelcore_remaining);
          required_kernelcore -= std::min(kernel_pages, required_kernelcore);
          if (end_pfn <= usable_startpfn) {
            // Fully accounted: a rebalancing pass must not count it again.
            zmp = end_pfn;
            continue;
          }
          start_pfn = usable_startpfn;
        }
        const std::uint64_t size_pages = std::min<std::uint64_t>(end_pfn - start_pfn, kernelcore_remaining);
        zmp = start_pfn + size_pages;
        required_kernelcore -= std::min(required_kernelcore, size_pages);
        kernelcore_remaining -= size_pages;
        if (kernelcore_remaining == 0) break;
      }
    }
    usable_nodes--;
  } while (usable_nodes != 0 && required_kernelcore > usable_nodes);

  // ZONE_MOVABLE starts on a MAX_ORDER boundary; from v5.18 inside its node
  // or not at all.
  for (int nid = 0; nid < mb.max_numnodes; nid++) {
    pfn_t& zmp = zone_movable_pfn[static_cast<std::size_t>(nid)];
    zmp = roundup(zmp, MAX_ORDER_NR_PAGES);
    if (!params.drops_movable_start_past_node) continue;
    pfn_t start_pfn = 0;
    pfn_t end_pfn = 0;
    get_pfn_range_for_nid(mb, nid, start_pfn, end_pfn);
    if (zmp >= end_pfn) zmp = 0;
  }
  return zone_movable_pfn;
}

}  // namespace pginit
