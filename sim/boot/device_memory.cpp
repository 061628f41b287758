// SPDX-License-Identifier: MIT
#include "boot/device_memory.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "include/linux/jiffies.h"
#include "include/linux/memremap.h"
#include "include/linux/page-flags.h"
#include "mm/page_alloc.h"
#include "phases/page_alloc.h"

namespace pginit {

namespace {

// Where pginit puts each devm_kzalloc()'d struct dev_pagemap: a stand-in
// vmalloc-area address, one page apart (only its identity matters).
constexpr kva_t DEV_PAGEMAP_BASE = VMALLOC_START_L4 + 0x100000000;

memory_type type_of(DeviceMemorySpec::Type t)
{
  switch (t) {
    case DeviceMemorySpec::Type::pmem: return memory_type::MEMORY_DEVICE_HOST;
    case DeviceMemorySpec::Type::device_private: return memory_type::MEMORY_DEVICE_PRIVATE;
    case DeviceMemorySpec::Type::device_public: return memory_type::MEMORY_DEVICE_PUBLIC;
  }
  return memory_type::MEMORY_DEVICE_HOST;
}

// The Kconfig symbol the driver needs for this memory type, nullptr: none beyond ZONE_DEVICE.
const char* needed_symbol(DeviceMemorySpec::Type t)
{
  switch (t) {
    case DeviceMemorySpec::Type::pmem: return nullptr;
    case DeviceMemorySpec::Type::device_private: return "DEVICE_PRIVATE";
    case DeviceMemorySpec::Type::device_public: return "DEVICE_PUBLIC";
  }
  return nullptr;
}

// __init_single_page() in ZONE_DEVICE, PG_reserved, and the pageblock's
// MIGRATE_MOVABLE at each pageblock start: what memmap_init_zone(MEMMAP_HOTPLUG)
// and memmap_init_zone_device() both do to a page.
void init_zone_device_page(Kernel& k, pfn_t pfn, unsigned zid, int nid)
{
  page* p = k.mm.pfn_host_page(pfn);
  const kva_t kva = k.mm.pfn_to_page(pfn).value;
  __init_single_page(k.mm, *p, kva, pfn, zid, nid, InitPhase::device);
  SetPageReserved(*p);
  if ((pfn & (k.mm.pageblock_nr_pages() - 1)) == 0) set_pageblock_migratetype(k.mm, pfn, MIGRATE_MOVABLE);
}

// What one probe did: the struct pages it initialized (0: it failed), and
// how many memmap_init_zone_device() counts in its line (the device's pages
// past the altmap).
struct ProbeResult {
  std::uint64_t initialized = 0;
  std::uint64_t device_pages = 0;
};

// One device: what the driver's probe does.
ProbeResult memremap_pages(Kernel& k, const DeviceMemorySpec& spec, unsigned zid, int nid, kva_t pgmap_kva)
{
  const KernelVersion& v = k.version();
  const bool hmm_path = v.device_memmap_init == DeviceMemmapInit::hotplug_then_pgmap_loop &&
                        spec.type != DeviceMemorySpec::Type::pmem;
  const char* const probe_fn = hmm_path ? "hmm_devmem_add" : "devm_memremap_pages";
  KernelFrame probe(k.stack, probe_fn);
  dev_pagemap pgmap;
  pgmap.type = type_of(spec.type);
  pgmap.start = spec.range.start;
  pgmap.end = spec.range.end;
  pgmap.nid = nid;
  pgmap.dev_name = spec.name;
  pgmap.kva = pgmap_kva;
  if (spec.altmap)
    pgmap.altmap = vmem_altmap{.base_pfn = pgmap.start_pfn(), .reserve = spec.altmap_reserve >> PAGE_SHIFT,
                               .free = spec.altmap_free >> PAGE_SHIFT};
  const pfn_t start_pfn = pgmap.start_pfn();
  const pfn_t nr_pages = pgmap.end_pfn() - start_pfn;
  // vmemmap_alloc_block() after boot: alloc_pages_node() from the buddy allocator.
  const PageBlockAllocator alloc = [&k](int node, unsigned order) {
    const std::optional<pfn_t> pfn = alloc_pages_node(k, node, order);
    return pfn ? PFN_PHYS(*pfn) : PHYS_ADDR_MAX;
  };
  int err = 0;
  {
    // Device-private memory gets add_pages(): struct pages, no linear mapping.
    KernelFrame f(k.stack, pgmap.linear_mapping() ? "arch_add_memory" : "add_pages");
    vmem_altmap* altmap = pgmap.altmap ? &*pgmap.altmap : nullptr;
    err = __add_pages(k.mm, nid, start_pfn, nr_pages, altmap, alloc);
  }
  if (err != 0) {
    k.log.printk(LogLevel::err, fmt::format("{}: {}: failed: {}", spec.name, probe_fn, err));
    return {};
  }
  pglist_data& pgdat = *k.node_data(nid);
  {
    KernelFrame f(k.stack, "move_pfn_range_to_zone");
    move_pfn_range_to_zone(pgdat, pgdat.node_zones[zid], start_pfn, nr_pages);
  }
  const pfn_t first = pgmap.pfn_first();
  const pfn_t after_reserve = start_pfn + (pgmap.altmap ? pgmap.altmap->reserve : 0);
  const bool private_zero = v.device_private_refcount_zero && pgmap.type == memory_type::MEMORY_DEVICE_PRIVATE;
  std::uint64_t pages = 0;
  if (v.device_memmap_init == DeviceMemmapInit::hotplug_then_pgmap_loop) {
    {
      KernelFrame f(k.stack, "memmap_init_zone");  // MEMMAP_HOTPLUG: every pfn past the altmap's reserve
      for (pfn_t pfn = after_reserve; pfn < pgmap.end_pfn(); pfn++) init_zone_device_page(k, pfn, zid, nid);
    }
    const ZoneDeviceLru lru = hmm_path ? ZoneDeviceLru::pgmap_only : ZoneDeviceLru::list_del_then_pgmap;
    for (pfn_t pfn = first; pfn < pgmap.end_pfn(); pfn++)  // for_each_device_pfn()
      dev_pagemap_page_init(*k.mm.pfn_host_page(pfn), k.mm.pfn_to_page(pfn).value, pgmap, lru, 1);
    pages = pgmap.end_pfn() - after_reserve;
  } else {
    {
      KernelFrame f(k.stack, "memmap_init_zone");  // only the altmap's memmap pages
      for (pfn_t pfn = after_reserve; pfn < first; pfn++) init_zone_device_page(k, pfn, zid, nid);
    }
    KernelFrame f(k.stack, "memmap_init_zone_device");
    for (pfn_t pfn = first; pfn < pgmap.end_pfn(); pfn++) {
      init_zone_device_page(k, pfn, zid, nid);
      dev_pagemap_page_init(*k.mm.pfn_host_page(pfn), k.mm.pfn_to_page(pfn).value, pgmap, ZoneDeviceLru::data_cleared,
                            private_zero ? 0 : 1);
    }
    pages = pgmap.end_pfn() - after_reserve;
  }
  const ProbeResult result{pages, pgmap.end_pfn() - first};
  k.dev_pagemaps.push_back(std::move(pgmap));
  return result;
}

}  // namespace

void memremap_device_memory(Kernel& k)
{
  const auto& specs = k.scenario().machine.device_memory;
  if (specs.empty()) return;
  KernelFrame initcalls(k.stack, "do_initcalls");
  const int zid = k.zones.index_of(ZoneType::device);
  const bool one_pass = k.version().device_memmap_init == DeviceMemmapInit::memmap_init_zone_device;
  const auto hz = static_cast<unsigned>(kconfig_int(k.scenario().config, "HZ", 250));
  const std::uint64_t t0 = k.clock.now_ns();
  // v4.20 on: each device's init runs on its own node, outside the hotplug
  // lock, so nodes overlap; before, the probes run one after another.
  std::map<int, std::uint64_t> node_busy_until;
  std::uint64_t serial_end = t0;
  std::vector<std::pair<std::uint64_t, std::string>> done_lines;  // printed in time order at the end
  for (std::size_t i = 0; i < specs.size(); i++) {
    const DeviceMemorySpec& d = specs[i];
    const char* sym = needed_symbol(d.type);
    if (zid < 0 || (sym != nullptr && !k.config(sym))) {
      k.log.printk(LogLevel::notice,
                   fmt::format("pginit: {} ({}) not added: CONFIG_{} is not set", d.name,
                               device_memory_type_name(d.type), zid < 0 ? "ZONE_DEVICE" : sym));
      continue;
    }
    // dev_to_node(); an offline node falls back to numa_mem_id() (the boot CPU's node).
    const int nid = k.node_data(d.nid) != nullptr ? d.nid : k.online_nodes.front();
    const std::uint64_t start = one_pass ? std::max(t0, node_busy_until[nid]) : serial_end;
    k.log.set_time_ns(start);
    const ProbeResult probe = memremap_pages(k, d, static_cast<unsigned>(zid), nid, DEV_PAGEMAP_BASE + i * PAGE_SIZE);
    const std::uint64_t pages = probe.device_pages;
    const std::uint64_t ns = k.clock.cost().device_init_ns(probe.initialized, !one_pass);
    const std::uint64_t end = start + ns;
    (one_pass ? node_busy_until[nid] : serial_end) = end;
    if (probe.initialized == 0) continue;
    const std::uint64_t ms = jiffies_to_msecs(jiffies_at(end, hz) - jiffies_at(start, hz), hz);
    switch (k.version().device_init_line) {
      case DeviceInitLine::none: break;
      case DeviceInitLine::dev_name:
        done_lines.emplace_back(end, fmt::format("{} initialised, {} pages in {}ms", d.name, pages, ms));
        break;
      case DeviceInitLine::func_name:
        done_lines.emplace_back(end, fmt::format("memmap_init_zone_device initialised {} pages in {}ms", pages, ms));
        break;
    }
  }
  std::stable_sort(done_lines.begin(), done_lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [at, line] : done_lines) {
    k.log.set_time_ns(at);
    k.log.printk(LogLevel::info, line);
  }
  std::uint64_t end = serial_end;
  for (const auto& [nid, until] : node_busy_until) end = std::max(end, until);
  k.log.set_time_ns(t0);
  k.advance_clock(end - t0);
}

void replay_page_accesses(Kernel& k)
{
  for (const PageAccessSpec& a : k.scenario().boot.page_accesses) {
    const std::string_view via = a.via == PageAccessSpec::Via::kmap ? "kmap" : "page_address";
    KernelFrame f(k.stack, via == "kmap" ? "kmap" : "page_address");
    if (!k.mm.pfn_valid(a.pfn)) {
      k.log.printk(LogLevel::notice, fmt::format("pginit: {}(pfn {:#x}) not replayed: the pfn has no struct page",
                                                 via, a.pfn));
      continue;
    }
    // x86_64 has no highmem: kmap() is page_address() = __va(PFN_PHYS(page_to_pfn(page))).
    const Translation page = k.mm.pfn_to_page(a.pfn);
    k.observer.on_page_access(k, PageAccessEvent{a.pfn, page.value, k.vm.__va(PFN_PHYS(a.pfn)), via});
  }
}

}  // namespace pginit
