// SPDX-License-Identifier: MIT
#include "run/report_recorder.h"

#include <algorithm>

#include "kernel/kernel.h"

namespace pginit {

std::vector<SectionState> section_states(const KernelState& k)
{
  std::vector<SectionState> out;
  std::size_t r = 0;
  for (std::uint64_t sec : k.mm.memmap_sections()) {
    SectionState s;
    s.section = sec;
    const pfn_t start = section_nr_to_pfn(sec);
    s.nid = k.early_pfn_to_nid(start);
    k.mm.for_each_shadow(start, start + PAGES_PER_SECTION, [&](pfn_t a, pfn_t b, const PageShadow& sh) {
      // Split [a, b) where memory (memblock.memory) starts or ends.
      for (pfn_t pfn = a; pfn < b;) {
        while (r < k.mem_ranges.size() && k.mem_ranges[r].end_pfn <= pfn) r++;
        const bool memory = r < k.mem_ranges.size() && k.mem_ranges[r].start_pfn <= pfn;
        const pfn_t next = r == k.mem_ranges.size() ? b
                           : memory             ? std::min(b, k.mem_ranges[r].end_pfn)
                                                : std::min(b, k.mem_ranges[r].start_pfn);
        const auto n = static_cast<std::uint32_t>(next - pfn);
        if (memory) s.by_phase[static_cast<std::size_t>(sh.phase)] += n;
        else if (sh.zeroed) s.zeroed += n;
        else if (!sh.initialized()) s.holes += n;
        else s.by_phase[static_cast<std::size_t>(sh.phase)] += n;
        pfn = next;
      }
    });
    for (const memblock_region& reg : k.memblock.reserved.regions) {
      const pfn_t a = std::max(PFN_DOWN(reg.base), start);
      const pfn_t b = std::min(PFN_UP(reg.end()), start + PAGES_PER_SECTION);
      if (reg.size != 0 && a < b) s.reserved += static_cast<std::uint32_t>(b - a);
    }
    out.push_back(s);
  }
  return out;
}

void ReportRecorder::on_call(const Kernel& k, std::size_t depth, const char* fn)
{
  if (depth == 2) timeline_.push_back({fn, k.clock.now_ns()});  // start_kernel's own steps
}

void ReportRecorder::on_milestone(const Kernel& k, std::string_view label)
{
  if (!memmap_snapshots_) return;
  snapshots_.push_back(MemmapSnapshot{std::string(label), k.clock.now_ns(), section_states(k)});
}

void ReportRecorder::on_deferred_node(const Kernel&, const DeferredNodeRun& run) { deferred_runs_.push_back(run); }

}  // namespace pginit
