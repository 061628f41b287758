// SPDX-License-Identifier: MIT
#include "phases/page_alloc.h"

#include <algorithm>

#include <fmt/format.h>

#include "mm/page_alloc.h"

namespace pginit {

namespace {

// warn_alloc(): "%s: %pV, mode:%#x(%pGg), nodemask=%*pbl" of the current
// task, with the mask as __alloc_pages_nodemask() left it: GFP_KERNEL &
// gfp_allowed_mask, which is 0 until kernel_init_freeable() (GFP_BOOT_MASK
// clears reclaim, IO and FS). Then dump_stack() and show_mem(), whose
// first lines are modelled: dump_stack_print_info()'s "CPU: %d PID: %d
// Comm: %.20s %s %s %.*s" (the release as "X.Y.0" and "#1" stand in for the
// build's uname; the task is PID 0 in start_kernel(), PID 1 in
// kernel_init()), "Call Trace:" with the frames pginit is in, by name only
// (no System.map, so no +off/len), and show_mem()'s "Mem-Info:" header.
// Not modelled: from v5.0 the first line goes on with
// ",cpuset=...,mems_allowed=..." under CONFIG_CPUSETS; the per-zone
// counters under "Mem-Info:".
void warn_alloc(Kernel& k, unsigned order)
{
  const unsigned mode = k.gfp_allowed_mask_open ? k.version().gfp_kernel : 0;
  const std::string head = fmt::format("{}: page allocation failure: order:{}, ", k.current_comm, order);
  switch (k.version().warn_alloc) {
    case WarnAllocFormat::hex_mode: k.log.printk(LogLevel::warning, fmt::format("{}mode:{:#x}", head, mode)); break;
    case WarnAllocFormat::flag_names:
      k.log.printk(LogLevel::warning, fmt::format("{}mode:{:#x}({})", head, mode, mode != 0 ? "GFP_KERNEL" : ""));
      break;
    case WarnAllocFormat::nodemask:
      k.log.printk(LogLevel::warning,
                   fmt::format("{}mode:{:#x}({}), nodemask=(null)", head, mode, mode != 0 ? "GFP_KERNEL" : ""));
      break;
  }
  std::string release(k.version().release);
  if (std::count(release.begin(), release.end(), '.') == 1) release += ".0";
  k.log.printk(LogLevel::warning, fmt::format("CPU: 0 PID: {} Comm: {} Not tainted {} #1",
                                              k.gfp_allowed_mask_open ? 1 : 0, k.current_comm, release));
  k.log.printk(LogLevel::warning, "Call Trace:");
  k.log.printk(LogLevel::warning, " dump_stack");
  k.log.printk(LogLevel::warning, " warn_alloc");
  const auto& frames = k.stack.frames();
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) k.log.printk(LogLevel::warning, fmt::format(" {}", *it));
  k.log.printk(LogLevel::warning, "Mem-Info:");
}

}  // namespace

bool deferred_grow_zone(Kernel& k, pglist_data& pgdat, unsigned zid, unsigned order)
{
  zone& z = pgdat.node_zones[zid];
  // Only the last zone of a node may have deferred pages.
  if (z.zone_end_pfn() != pgdat.node_end_pfn()) return false;
  if (!k.deferred_pages) return true;
  const pfn_t first_init_pfn = std::max(z.zone_start_pfn, pgdat.first_deferred_pfn);
  if (first_init_pfn >= pgdat.node_end_pfn()) return false;

  KernelFrame frame(k.stack, "deferred_grow_zone");
  const GrowStep step = k.policy().growth.grow(k.mm, k.memblock, pgdat, zid, first_init_pfn, deferred_grow_quota(order));
  k.advance_clock(k.clock.cost().ns(step.work.initialized, step.work.freed, 1));
  k.observer.on_pages_initialized(k, step.work.initialized);
  return step.grew;
}

std::optional<pfn_t> alloc_pages_node(Kernel& k, int nid, unsigned order)
{
  KernelFrame frame(k.stack, "__alloc_pages_nodemask");
  // The zonelist: the node's own zones, highest first, then the other nodes' in id order.
  std::vector<int> order_of_nodes{nid};
  for (int other : k.online_nodes)
    if (other != nid) order_of_nodes.push_back(other);
  for (int n : order_of_nodes) {
    pglist_data* pgdat = k.node_data(n);
    if (pgdat == nullptr) continue;
    for (std::size_t i = pgdat->node_zones.size(); i-- > 0;) {
      zone& z = pgdat->node_zones[i];
      if (z.type == ZoneType::movable || z.type == ZoneType::device) continue;  // not for GFP_KERNEL
      KernelFrame f(k.stack, "get_page_from_freelist");
      for (;;) {
        if (std::optional<pfn_t> pfn = __rmqueue_smallest(k.mm, z, order, MIGRATE_MOVABLE)) {
          k.allocations.push_back({*pfn, order});
          return pfn;
        }
        // The zone is short: grow it if it has deferred pages, and retry.
        const bool can_grow = k.deferred_struct_page_init() && k.deferred_pages &&
                              k.policy().growth.grow != nullptr;
        if (!can_grow || !deferred_grow_zone(k, *pgdat, static_cast<unsigned>(i), order)) break;
      }
    }
  }
  warn_alloc(k, order);
  return std::nullopt;
}

}  // namespace pginit
