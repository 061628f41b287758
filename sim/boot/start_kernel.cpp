// SPDX-License-Identifier: MIT
#include "boot/start_kernel.h"

#include <fmt/format.h>

#include "boot/percpu.h"
#include "boot/setup_arch.h"
#include "boot/traps.h"
#include "phases/deferred_init.h"
#include "phases/mm_init.h"
#include "phases/page_alloc.h"

namespace pginit {

namespace {

void run_allocations(BootState& st, AllocationSpec::At at)
{
  for (const AllocationSpec& a : st.scenario.boot.allocations) {
    if (a.at != at) continue;
    for (std::uint64_t i = 0; i < a.count; i++)
      if (!alloc_pages_node(st, a.nid, a.order)) break;  // one warning per request is enough
  }
}

}  // namespace

void build_all_zonelists(BootState& st)
{
  KernelFrame frame(st.stack, "build_all_zonelists");
  // nr_free_pagecache_pages(): managed pages above the high watermark, which is 0 this early.
  std::uint64_t total = 0;
  for (const pglist_data& pgdat : st.nodes)
    for (const zone& z : pgdat.node_zones) total += z.managed_pages;
  const bool grouping = total >= st.mm.pageblock_nr_pages() * MIGRATE_TYPES;
  st.log.printk(LogLevel::info, fmt::format("Built {} zonelists, mobility grouping {}.  Total pages: {}",
                                            st.online_nodes.size(), grouping ? "on" : "off", total));
}

void start_kernel(BootState& st)
{
  KernelFrame frame(st.stack, "start_kernel");
  setup_arch(st);
  st.snapshot("after the early phase (setup_arch)");
  setup_per_cpu_areas(st);
  build_all_zonelists(st);
  trap_init(st);
  {
    KernelFrame f(st.stack, "mm_init");
    mem_init(st);
  }
  st.snapshot("after mm_init (free_all_bootmem)");
  run_allocations(st, AllocationSpec::At::mm_init);
  KernelFrame rest(st.stack, "rest_init");
  KernelFrame init(st.stack, "kernel_init");
  KernelFrame freeable(st.stack, "kernel_init_freeable");
  // smp_init(): the secondary CPUs are up; kernel threads may allocate.
  run_allocations(st, AllocationSpec::At::smp_init);
  page_alloc_init_late(st);
  st.snapshot("at the end (after page_alloc_init_late)");
}

}  // namespace pginit
