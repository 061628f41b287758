// SPDX-License-Identifier: MIT
#include "boot/boot_state.h"

#include <algorithm>
#include <utility>

#include "memmap_alloc.h"

namespace pginit {

BootState::BootState(const Scenario& s, KernelLog& l)
    : scenario(s),
      log(l),
      memblock(s.max_numnodes(), l, &stack),
      vm(VirtualLayout::for_kernel_at(s.boot.kernel_start)),
      zones(ZoneConfig::from_config(s.config)),
      mm(memory_model_from_config(s.config), PageFlagsLayout::from_config(s.config), vm,
         kconfig_enabled(s.config, "PAGE_EXTENSION"))
{
  e820.max_entries = e820_max_entries(s.max_numnodes());
  e820_firmware.max_entries = e820.max_entries;
  policy = find_init_policy(s.policy.empty() ? s.kernel->init_policy : s.policy);
  deferred_struct_page_init = kconfig_enabled(s.config, "DEFERRED_STRUCT_PAGE_INIT");
  mm.observer = &checker;
}

void BootState::advance_clock(std::uint64_t ns)
{
  clock_ns += ns;
  log.set_time_ns(clock_ns);
}

pglist_data* BootState::node_data(int nid)
{
  auto it = std::lower_bound(nodes.begin(), nodes.end(), nid,
                             [](const pglist_data& p, int n) { return p.node_id < n; });
  return it != nodes.end() && it->node_id == nid ? &*it : nullptr;
}

int BootState::early_pfn_to_nid(pfn_t pfn) const
{
  auto it = std::upper_bound(mem_ranges.begin(), mem_ranges.end(), pfn,
                             [](pfn_t p, const pfn_range& r) { return p < r.start_pfn; });
  if (it != mem_ranges.begin() && pfn < std::prev(it)->end_pfn) return std::prev(it)->nid;
  return online_nodes.empty() ? 0 : online_nodes.front();
}

bool BootState::early_page_uninitialised(pfn_t pfn)
{
  const pglist_data* pgdat = node_data(early_pfn_to_nid(pfn));
  return pgdat != nullptr && pfn >= pgdat->first_deferred_pfn;
}

void BootState::snapshot(const std::string& label)
{
  if (!record_report) return;
  Snapshot snap{label, clock_ns, {}};
  std::size_t r = 0;
  for (std::uint64_t sec : mm.memmap_sections()) {
    SectionState s;
    s.section = sec;
    const pfn_t start = section_nr_to_pfn(sec);
    s.nid = early_pfn_to_nid(start);
    for (pfn_t pfn = start; pfn < start + PAGES_PER_SECTION; pfn++) {
      const PageShadow* sh = mm.shadow(pfn);
      while (r < mem_ranges.size() && mem_ranges[r].end_pfn <= pfn) r++;
      const bool memory = r < mem_ranges.size() && mem_ranges[r].start_pfn <= pfn;
      if (memory) s.by_phase[static_cast<std::size_t>(sh->phase)]++;
      else if (sh->zeroed) s.zeroed++;
      else if (!sh->initialized()) s.holes++;
      else s.by_phase[static_cast<std::size_t>(sh->phase)]++;
    }
    for (const memblock_region& reg : memblock.reserved.regions) {
      const pfn_t a = std::max(PFN_DOWN(reg.base), start);
      const pfn_t b = std::min(PFN_UP(reg.end()), start + PAGES_PER_SECTION);
      if (reg.size != 0 && a < b) s.reserved += static_cast<std::uint32_t>(b - a);
    }
    snap.sections.push_back(s);
  }
  snapshots.push_back(std::move(snap));
}

std::uint64_t memmap_host_bytes(const Scenario& s)
{
  const std::uint64_t shadow_per_section = PAGES_PER_SECTION * sizeof(PageShadow);
  // The sections that hold RAM, as merged [first, last] intervals.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  pfn_t end_pfn = 0;
  for (const e820_entry& e : s.machine.e820) {
    if (e.type != E820_TYPE_RAM || e.size == 0) continue;
    end_pfn = std::max(end_pfn, PFN_DOWN(e.end()));
    spans.emplace_back(pfn_to_section_nr(PFN_DOWN(e.addr)), pfn_to_section_nr(PFN_DOWN(e.end() - 1)));
  }
  if (memory_model_from_config(s.config) == MemoryModelKind::flatmem) {
    const pfn_t pages = round_up(end_pfn, 1024);
    return pages * sizeof(page) + round_up(pages, PAGES_PER_SECTION) / PAGES_PER_SECTION * shadow_per_section;
  }
  std::sort(spans.begin(), spans.end());
  std::uint64_t sections = 0;
  std::uint64_t next = 0;  // first section not yet counted
  for (const auto& [first, last] : spans) {
    const std::uint64_t from = std::max(first, next);
    if (from <= last) sections += last - from + 1;
    next = std::max(next, last + 1);
  }
  return sections * (PAGES_PER_SECTION * sizeof(page) + shadow_per_section);
}

}  // namespace pginit
