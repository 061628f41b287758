// SPDX-License-Identifier: MIT
#include "run/page_runs.h"

#include <algorithm>

#include "kernel/kernel_state.h"

namespace pginit {

std::vector<PageRun> page_runs(const KernelState& k)
{
  std::vector<PageRun> out;
  // memblock.memory itself: k.mem_ranges is set only inside free_area_init_nodes().
  const std::vector<pfn_range> ranges = mem_pfn_ranges(k.memblock, k.memblock.max_numnodes);
  std::size_t mem = 0;
  std::size_t res = 0;
  const auto& reserved = k.memblock.reserved.regions;  // ascending, as memblock keeps them
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    const pfn_t start = section_nr_to_pfn(sec);
    const std::size_t first_run = out.size();
    // The section's struct pages and shadows are each one array: no lookup per pfn.
    const MemoryModel::SectionPages pages = k.mm.section_pages(sec);
    const PageShadow* shadows = k.mm.shadow(start);
    for (pfn_t pfn = start; pfn < start + PAGES_PER_SECTION; pfn++) {
      const PageShadow* sh = &shadows[pfn - start];
      while (mem < ranges.size() && ranges[mem].end_pfn <= pfn) mem++;
      while (res < reserved.size() && PFN_UP(reserved[res].end()) <= pfn) res++;
      const bool memory = mem < ranges.size() && ranges[mem].start_pfn <= pfn;
      // section_states()'s categories: memory by phase (none: never initialized);
      // a hole by phase when something initialized it, else zeroed or untouched.
      std::uint8_t state = static_cast<std::uint8_t>(sh->phase);
      if (!memory && !sh->initialized())
        state = static_cast<std::uint8_t>(sh->zeroed ? PageState::zeroed : PageState::untouched_hole);
      const bool in_reserved = res < reserved.size() && reserved[res].size != 0 && PFN_DOWN(reserved[res].base) <= pfn;
      const std::uint64_t flags = pfn - start < pages.count ? pages.first[pfn - start].flags : 0;
      if (out.size() > first_run) {
        PageRun& last = out.back();
        if (last.state == state && last.reserved == in_reserved && last.flags == flags) {
          last.count++;
          continue;
        }
      }
      out.push_back(PageRun{pfn, 1, state, in_reserved, flags});
    }
  }
  return out;
}

}  // namespace pginit
