// SPDX-License-Identifier: MIT
#include "boot/start_kernel.h"

#include <fmt/format.h>

#include "boot/device_memory.h"
#include "boot/memblock_trace.h"
#include "boot/page_readers.h"
#include "boot/percpu.h"
#include "boot/setup_arch.h"
#include "boot/traps.h"
#include "phases/deferred_init.h"
#include "phases/mm_init.h"
#include "phases/page_alloc.h"

namespace pginit {

namespace {

void run_allocations(Kernel& k, AllocationSpec::At at)
{
  for (const AllocationSpec& a : k.scenario().boot.allocations) {
    if (a.at != at) continue;
    for (std::uint64_t i = 0; i < a.count; i++)
      if (!alloc_pages_node(k, a.nid, a.order)) break;  // one warning per request is enough
  }
}

// default_zonelist_order() until 3.17: "Node" order when a node has no
// ZONE_NORMAL, when DMA/DMA32 hold more than half of the managed pages, or
// when a node bigger than average is more than 70% DMA/DMA32; else "Zone".
bool node_order_by_heuristic(const Kernel& k)
{
  const auto is_low = [](ZoneType t) { return t == ZoneType::dma || t == ZoneType::dma32; };
  std::uint64_t low = 0;
  std::uint64_t total = 0;
  for (const pglist_data& pgdat : k.nodes) {
    for (const zone& z : pgdat.node_zones) {
      if (z.populated()) {
        if (is_low(z.type)) low += z.managed_pages;
        total += z.managed_pages;
      } else if (z.type == ZoneType::normal) {
        return true;
      }
    }
  }
  if (low == 0 || low > total / 2) return true;
  const std::uint64_t average = total / (k.nodes.size() + 1);
  for (const pglist_data& pgdat : k.nodes) {
    std::uint64_t node_low = 0;
    std::uint64_t node_total = 0;
    for (const zone& z : pgdat.node_zones) {
      if (!z.populated()) continue;
      if (is_low(z.type)) node_low += z.present_pages;
      node_total += z.present_pages;
    }
    if (node_low != 0 && node_total > average && node_low > node_total * 70 / 100) return true;
  }
  return false;
}

// " in Node order" / " in Zone order" of kernels before v4.14; "Zone"
// without CONFIG_NUMA, where there is only one way to order.
std::string zonelist_order_words(const Kernel& k)
{
  switch (k.version().zonelist_order) {
    case ZonelistOrderText::none: return "";
    case ZonelistOrderText::node_on_64bit: return k.config("NUMA") ? " in Node order" : " in Zone order";
    case ZonelistOrderText::heuristic:
      return k.config("NUMA") && node_order_by_heuristic(k) ? " in Node order" : " in Zone order";
  }
  return "";
}

}  // namespace

void build_all_zonelists(Kernel& k)
{
  KernelFrame frame(k.stack, "build_all_zonelists");
  // nr_free_pagecache_pages(): managed pages above the high watermark, which is 0 this early.
  std::uint64_t total = 0;
  for (const pglist_data& pgdat : k.nodes)
    for (const zone& z : pgdat.node_zones) total += z.managed_pages;
  const bool grouping = total >= k.mm.pageblock_nr_pages() * MIGRATE_TYPES;
  k.log.printk(LogLevel::info, fmt::format("Built {} zonelists{}, mobility grouping {}.  Total pages: {}",
                                            k.online_nodes.size(), zonelist_order_words(k), grouping ? "on" : "off",
                                            total));
}

void start_kernel(Kernel& k, Stage until)
{
  KernelFrame frame(k.stack, "start_kernel");
  setup_arch(k);
  k.milestone("after the early phase (setup_arch)");
  if (until == Stage::setup_arch) return;
  setup_per_cpu_areas(k);
  build_all_zonelists(k);
  trap_init(k);
  {
    KernelFrame f(k.stack, "mm_init");
    replay_memblock_trace(k);
    mem_init(k);
    mem_init_print_info(k);
  }
  k.milestone("after mm_init (free_all_bootmem)");
  run_allocations(k, AllocationSpec::At::mm_init);
  if (until == Stage::mm_init) return;
  // sched_init() -> init_idle(): the boot task becomes the idle task, "swapper/0" with SMP.
  if (k.config("SMP")) k.current_comm = "swapper/0";
  KernelFrame rest(k.stack, "rest_init");
  KernelFrame init(k.stack, "kernel_init");
  {
    KernelFrame freeable(k.stack, "kernel_init_freeable");
    // "Now the scheduler is fully set up and can do blocking allocations".
    k.gfp_allowed_mask_open = true;
    // smp_init(): the secondary CPUs are up; kernel threads may allocate.
    run_allocations(k, AllocationSpec::At::smp_init);
    page_alloc_init_late(k);
    // do_initcalls(): drivers hot-add their device memory, then the scenario's CPU accesses.
    memremap_device_memory(k);
    replay_page_accesses(k);
    k.milestone("at the end (after page_alloc_init_late)");
  }
  // What reads struct pages once the boot is done (boot.readers): after
  // kernel_init_freeable(), i.e. once init runs.
  run_page_readers(k);
}

}  // namespace pginit
