// SPDX-License-Identifier: MIT
// numa.cpp - SRAT parsing, numa_cleanup_meminfo and numa_register_memblks as
// they shape memblock in v4.17 (arch/x86/mm/numa.c, srat.c).
#include "boot/numa.h"

#include <algorithm>

#include "mm/page_alloc.h"

namespace pginit {

namespace {

bool memblock_overlaps_memory(const memblock& mb, u64 start, u64 end)
{
  return std::any_of(mb.memory.regions.begin(), mb.memory.regions.end(), [&](const memblock_region& r) {
    return r.size != 0 && start < r.end() && r.base < end;
  });
}

// The node memblock.memory gives `pa`, for alloc_node_data()'s check
// (early_pfn_to_nid() before the kernel's pfn ranges exist); a hole goes to
// the first online node, as early_pfn_to_nid() does.
int memblock_nid_of(const Kernel& k, phys_addr_t pa)
{
  for (const memblock_region& r : k.memblock.memory.regions)
    if (r.size != 0 && r.base <= pa && pa < r.end()) return r.nid;
  return k.online_nodes.empty() ? 0 : k.online_nodes.front();
}

// alloc_node_data(): the node's pg_data_t, from its own memory if it can
// (memblock_phys_alloc_try_nid, top-down below the direct map's end).
// Returns false when there is no room anywhere: the node stays offline.
bool alloc_node_data(Kernel& k, int nid)
{
  KernelFrame frame(k.stack, "alloc_node_data");
  const phys_addr_t nd_size = round_up(k.version().pglist_data_size, PAGE_SIZE);
  const phys_addr_t pa = memblock_phys_alloc_try_nid(k.memblock, nd_size, SMP_CACHE_BYTES, nid);
  if (pa == 0) {
    k.log.printk(LogLevel::err, fmt::format("Cannot find {} bytes in any node (initial node: {})", nd_size, nid));
    return false;
  }
  k.node_data_phys[nid] = pa;
  k.log.printk(LogLevel::info,
               fmt::format("NODE_DATA({}) allocated [mem {}-{}]", nid, fmt_x10(pa), fmt_x10(pa + nd_size - 1)));
  const int tnid = memblock_nid_of(k, pa);
  if (tnid != nid) k.log.printk(LogLevel::info, fmt::format("    NODE_DATA({}) on node {}", nid, tnid));
  return true;
}

// ZONE_ALIGN (3.x arch/x86/mm/numa.c): 1 << (MAX_ORDER + PAGE_SHIFT - 1), 4 MiB.
constexpr u64 ZONE_ALIGN = u64{1} << (MAX_ORDER - 1 + PAGE_SHIFT);

// setup_node_data() until 3.17: the node's NUMA range (its start rounded up
// to ZONE_ALIGN), printed before the zones are set up. Its "  NODE_DATA
// [mem ...]" line is not printed: where the pg_data_t lands depends on a
// build's sizeof(pg_data_t), which pginit knows only for v6.1.
void setup_node_data(Kernel& k, const std::vector<numa_memblk>& blks, int nid)
{
  u64 start = ~u64{0};
  u64 end = 0;
  for (const numa_memblk& b : blks) {
    if (b.nid != nid) continue;
    start = std::min(start, b.start);
    end = std::max(end, b.end);
  }
  if (start >= end || end - start < k.version().node_min_size) return;
  start = round_up(start, ZONE_ALIGN);
  k.log.printk(LogLevel::info, fmt::format("Initmem setup node {} [mem {}-{}]", nid, fmt_x10(start), fmt_x10(end - 1)));
}

// numa_register_memblks(): node ids for memory, and (through
// numa_clear_kernel_node_hotplug) for what is reserved so far, a pg_data_t
// per node with memory, then the dump.
void numa_register_memblks(Kernel& k, const std::vector<numa_memblk>& blks)
{
  KernelFrame frame(k.stack, "numa_register_memblks");
  for (const numa_memblk& b : blks) memblock_set_node(k.memblock, b.start, b.end - b.start, k.memblock.memory, b.nid);
  {
    KernelFrame f(k.stack, "numa_clear_kernel_node_hotplug");
    for (const numa_memblk& b : blks)
      memblock_set_node(k.memblock, b.start, b.end - b.start, k.memblock.reserved, b.nid);
  }

  // Nodes get a pg_data_t and go online only with at least NODE_MIN_SIZE of
  // span (no minimum in 6.1), in nid order.
  k.online_nodes.clear();
  for (int nid = 0; nid < k.memblock.max_numnodes; nid++) {
    pfn_t start = 0;
    pfn_t end = 0;
    get_pfn_range_for_nid(k.memblock, nid, start, end);
    if (start >= end || PFN_PHYS(end - start) < k.version().node_min_size) continue;
    if (k.version().initmem_in_numa) setup_node_data(k, blks, nid);
    if (k.version().models_direct_map_tables && !alloc_node_data(k, nid)) continue;
    k.online_nodes.push_back(nid);
  }
  memblock_dump_all(k.memblock);
}

// Pages of [start_pfn, end_pfn) that memblock.memory covers.
pfn_t memory_pages_in_range(const memblock& mb, pfn_t start_pfn, pfn_t end_pfn)
{
  pfn_t pages = 0;
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes)) {
    const pfn_t s = std::max(r.start_pfn, start_pfn);
    const pfn_t e = std::min(r.end_pfn, end_pfn);
    if (s < e) pages += e - s;
  }
  return pages;
}

// numa_meminfo_cover_memory(): the SRAT must cover all RAM but for less than
// 1 MiB, else the kernel drops it and fakes a single node.
bool numa_meminfo_cover_memory(const Kernel& k, const std::vector<numa_memblk>& blks)
{
  pfn_t numaram = 0;
  for (const numa_memblk& b : blks) numaram += memory_pages_in_range(k.memblock, PFN_DOWN(b.start), PFN_UP(b.end));
  const pfn_t e820ram = memory_pages_in_range(k.memblock, 0, k.max_pfn);
  if (e820ram > numaram && e820ram - numaram >= (pfn_t{1} << (20 - PAGE_SHIFT))) {
    k.log.printk(LogLevel::err, fmt::format("NUMA: nodes only cover {}MB of your {}MB e820 RAM. Not used.",
                                             (numaram << PAGE_SHIFT) >> 20, (e820ram << PAGE_SHIFT) >> 20));
    return false;
  }
  return true;
}

std::vector<numa_memblk> dummy_numa_init(Kernel& k)
{
  k.log.printk(LogLevel::info, "No NUMA configuration found");
  k.log.printk(LogLevel::info,
                fmt::format("Faking a node at [mem {:#018x}-{:#018x}]", 0, PFN_PHYS(k.max_pfn) - 1));
  return {numa_memblk{0, PFN_PHYS(k.max_pfn), 0}};
}

}  // namespace

void numa_cleanup_meminfo(std::vector<numa_memblk>& blks, const memblock& mb, pfn_t max_pfn, Printk& log)
{
  const u64 low = 0;
  const u64 high = PFN_PHYS(max_pfn);
  for (std::size_t i = 0; i < blks.size(); i++) {
    numa_memblk& bi = blks[i];
    bi.start = std::max(bi.start, low);
    bi.end = std::min(bi.end, high);
    if (bi.start >= bi.end || !memblock_overlaps_memory(mb, bi.start, bi.end)) {
      blks.erase(blks.begin() + static_cast<std::ptrdiff_t>(i));
      i--;
    }
  }
  for (std::size_t i = 0; i < blks.size(); i++) {
    for (std::size_t j = i + 1; j < blks.size(); j++) {
      numa_memblk& bi = blks[i];
      const numa_memblk bj = blks[j];
      if (bi.nid != bj.nid) continue;
      const u64 start = std::min(bi.start, bj.start);
      const u64 end = std::max(bi.end, bj.end);
      // Merge only if no other node has memory inside the merged hull.
      const bool blocked = std::any_of(blks.begin(), blks.end(), [&](const numa_memblk& bk) {
        return bk.nid != bi.nid && start < bk.end && end > bk.start;
      });
      if (blocked) continue;
      log.printk(LogLevel::info,
                 fmt::format("NUMA: Node {} [mem {}-{}] + [mem {}-{}] -> [mem {}-{}]", bi.nid, fmt_x10(bi.start),
                             fmt_x10(bi.end - 1), fmt_x10(bj.start), fmt_x10(bj.end - 1), fmt_x10(start),
                             fmt_x10(end - 1)));
      bi.start = start;
      bi.end = end;
      blks.erase(blks.begin() + static_cast<std::ptrdiff_t>(j));
      j--;
    }
  }
}

void x86_numa_init(Kernel& k)
{
  if (!k.config("NUMA")) {
    // initmem_init() without CONFIG_NUMA: everything is node 0.
    memblock_set_node(k.memblock, 0, PHYS_ADDR_MAX, k.memblock.memory, 0);
    k.online_nodes = {0};
    k.possible_nodes = {0};
    return;
  }

  KernelFrame frame(k.stack, "x86_numa_init");
  std::vector<numa_memblk> blks;
  // numa=off: not even the SRAT is read; one faked node.
  if (k.scenario().machine.nodes.empty() || k.scenario().boot.cmdline.numa_off) {
    blks = dummy_numa_init(k);
  } else {
    // acpi_numa_memory_affinity_init(): one line per SRAT memory affinity entry.
    for (const NodeSpec& n : k.scenario().machine.nodes) {
      const int pxm = n.pxm >= 0 ? n.pxm : n.nid;
      for (const PhysRange& r : n.ranges) {
        k.log.printk(LogLevel::info, fmt::format("{}SRAT: Node {} PXM {} [mem {}-{}]",
                                                  k.version().srat_acpi_prefix ? "ACPI: " : "", n.nid, pxm,
                                                  fmt_x10(r.start), fmt_x10(r.end - 1)));
        blks.push_back(numa_memblk{r.start, r.end, n.nid});
      }
    }
  }
  // numa_nodes_parsed, which becomes node_possible_map: the SRAT's nodes,
  // including those numa_cleanup_meminfo() is about to drop (mem= above them).
  std::vector<int> parsed;
  for (const numa_memblk& b : blks) parsed.push_back(b.nid);
  numa_cleanup_meminfo(blks, k.memblock, k.max_pfn, k.log);
  if (!numa_meminfo_cover_memory(k, blks)) {
    blks = dummy_numa_init(k);
    numa_cleanup_meminfo(blks, k.memblock, k.max_pfn, k.log);
    parsed = {0};
  }
  std::sort(parsed.begin(), parsed.end());
  parsed.erase(std::unique(parsed.begin(), parsed.end()), parsed.end());
  k.possible_nodes = parsed;
  numa_register_memblks(k, blks);
}

}  // namespace pginit
