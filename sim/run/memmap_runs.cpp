// SPDX-License-Identifier: MIT
#include "run/memmap_runs.h"

#include <algorithm>

#include "kernel/kernel_state.h"
#include "kernel/memory_range_cursor.h"

namespace pginit {

std::vector<PageRun> memmap_runs(const KernelState& k)
{
  std::vector<PageRun> out;
  // memblock.memory itself: k.mem_ranges is set only inside free_area_init_nodes().
  const std::vector<pfn_range> ranges = mem_pfn_ranges(k.memblock, k.memblock.max_numnodes);
  MemoryRangeCursor memory_ranges(ranges);
  std::size_t res = 0;
  const auto& reserved = k.memblock.reserved.regions;  // ascending, as memblock keeps them
  std::size_t first_run = 0;
  // [pfn, end) whose struct pages share a shadow and page->flags, split where
  // memory or memblock.reserved starts or ends.
  const auto add = [&](pfn_t pfn, pfn_t end, const PageShadow& sh, std::uint64_t flags) {
    while (pfn < end) {
      while (res < reserved.size() && PFN_UP(reserved[res].end()) <= pfn) res++;
      pfn_t next = end;
      pfn_t memory_change = 0;
      const bool memory = memory_ranges.at(pfn, &memory_change);
      next = std::min(next, memory_change);
      const bool in_reserved = res < reserved.size() && reserved[res].size != 0 && PFN_DOWN(reserved[res].base) <= pfn;
      if (res < reserved.size()) next = std::min(next, in_reserved ? PFN_UP(reserved[res].end()) : PFN_DOWN(reserved[res].base));
      next = std::max(next, pfn + 1);
      // section_states()'s categories: memory by phase (none: never initialized);
      // a hole by phase when something initialized it, else zeroed or untouched.
      std::uint8_t state = static_cast<std::uint8_t>(sh.phase);
      if (!memory && !sh.initialized())
        state = static_cast<std::uint8_t>(sh.zeroed ? PageState::zeroed : PageState::untouched_hole);
      const auto count = static_cast<std::uint32_t>(next - pfn);
      PageRun* last = out.size() > first_run ? &out.back() : nullptr;
      if (last != nullptr && last->state == state && last->reserved == in_reserved && last->flags == flags)
        last->count += count;
      else
        out.push_back(PageRun{pfn, count, state, in_reserved, flags});
      pfn = next;
    }
  };
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    const pfn_t start = section_nr_to_pfn(sec);
    first_run = out.size();  // a run never crosses a section
    if (k.mm.page_runs() != nullptr) {
      // Scale mode: one piece per run of equal struct pages.
      k.mm.for_each_shadow(start, start + PAGES_PER_SECTION, [&](pfn_t a, pfn_t b, const PageShadow& sh) {
        add(a, b, sh, k.mm.read_page(a).flags);
      });
      continue;
    }
    // The section's struct pages and shadows are each one array: no lookup per pfn.
    const MemoryModel::SectionPages pages = k.mm.section_pages(sec);
    const PageShadow* shadows = k.mm.shadow(start);
    for (pfn_t pfn = start; pfn < start + PAGES_PER_SECTION; pfn++)
      add(pfn, pfn + 1, shadows[pfn - start], pfn - start < pages.count ? pages.first[pfn - start].flags : 0);
  }
  return out;
}

}  // namespace pginit
