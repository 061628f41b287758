// SPDX-License-Identifier: MIT
#include "kernel/kernel.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace pginit {

pglist_data* KernelState::node_data(int nid)
{
  auto it = std::lower_bound(nodes.begin(), nodes.end(), nid,
                             [](const pglist_data& p, int n) { return p.node_id < n; });
  return it != nodes.end() && it->node_id == nid ? &*it : nullptr;
}

const pglist_data* KernelState::node_data(int nid) const { return const_cast<KernelState*>(this)->node_data(nid); }

int KernelState::early_pfn_to_nid(pfn_t pfn) const
{
  auto it = std::upper_bound(mem_ranges.begin(), mem_ranges.end(), pfn,
                             [](pfn_t p, const pfn_range& r) { return p < r.start_pfn; });
  if (it != mem_ranges.begin() && pfn < std::prev(it)->end_pfn) return std::prev(it)->nid;
  return online_nodes.empty() ? 0 : online_nodes.front();
}

const dev_pagemap* KernelState::find_dev_pagemap(kva_t pgmap) const
{
  for (const dev_pagemap& d : dev_pagemaps)
    if (d.kva == pgmap) return &d;
  return nullptr;
}

bool KernelState::early_page_uninitialised(pfn_t pfn) const
{
  const pglist_data* pgdat = node_data(early_pfn_to_nid(pfn));
  return pgdat != nullptr && pfn >= pgdat->first_deferred_pfn;
}

KernelState::KernelState(int max_numnodes, const VirtualLayout& layout, const ZoneConfig& zone_config,
                         MemoryModel memory_model)
    : memblock(max_numnodes), vm(layout), zones(zone_config), mm(std::move(memory_model))
{
  e820.max_entries = e820_max_entries(max_numnodes);
  e820_firmware.max_entries = e820.max_entries;
}

namespace {

// Host work only, invisible to the simulated clock: a new memmap's poison
// (sparse_init() on a 1 TiB machine backs 16 GiB) written 2 MiB, one huge
// page, per task, so every worker faults in and fills its own share.
void fill_in_parallel(const Executor& executor, std::byte* data, std::size_t size, std::byte fill)
{
  constexpr std::size_t CHUNK = std::size_t{2} << 20;
  if (size <= CHUNK) {
    std::memset(data, std::to_integer<int>(fill), size);
    return;
  }
  executor.for_each_index((size + CHUNK - 1) / CHUNK, [=](std::size_t i) {
    std::memset(data + i * CHUNK, std::to_integer<int>(fill), std::min(CHUNK, size - i * CHUNK));
  });
}

}  // namespace

Kernel::Kernel(const KernelParams& p, KernelLog& l, SimClock& c, const Executor& e, BootObserver& o)
    : KernelState(p.scenario.max_numnodes(), VirtualLayout::for_kernel_at(p.scenario.boot.kernel_start),
                  ZoneConfig::from_config(p.scenario.config),
                  MemoryModel(memory_model_from_config(p.scenario.config), PageFlagsLayout::from_config(p.scenario.config),
                              VirtualLayout::for_kernel_at(p.scenario.boot.kernel_start),
                              kconfig_enabled(p.scenario.config, "PAGE_EXTENSION"),
                              SectionFlags::of(p.scenario.kernel->sparse.section_flags,
                                               kconfig_enabled(p.scenario.config, "ZONE_DEVICE")))),
      params(p),
      log(l),
      clock(c),
      executor(e),
      observer(o),
      deferred_struct_page_init_(kconfig_enabled(p.scenario.config, "DEFERRED_STRUCT_PAGE_INIT"))
{
  if (p.scale_mode) mm.use_page_runs();
  mm.set_host_fill([&ex = executor](std::byte* data, std::size_t size, std::byte fill) {
    fill_in_parallel(ex, data, size, fill);
  });
  memblock.log = &log;
  memblock.stack = &stack;
  memblock.dialect = &p.version.memblock_dbg;
  stack.on_push = [this](std::size_t depth, const char* fn) { observer.on_call(*this, depth, fn); };
}

bool Kernel::config(const char* symbol) const { return kconfig_enabled(params.scenario.config, symbol); }

void Kernel::advance_clock(std::uint64_t ns)
{
  clock.advance(ns);
  log.set_time_ns(clock.now_ns());
}

}  // namespace pginit
