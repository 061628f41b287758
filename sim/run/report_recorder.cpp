// SPDX-License-Identifier: MIT
#include "run/report_recorder.h"

#include <algorithm>

#include <fmt/format.h>

#include "kernel/kernel.h"

namespace pginit {

std::vector<SectionState> section_states(const std::vector<PageRun>& runs, const KernelState& k)
{
  std::vector<SectionState> out;
  for (const PageRun& run : runs) {
    const std::uint64_t sec = pfn_to_section_nr(run.start);
    if (out.empty() || out.back().section != sec) {
      out.push_back(SectionState{});
      out.back().section = sec;
      out.back().nid = k.early_pfn_to_nid(section_nr_to_pfn(sec));
    }
    SectionState& s = out.back();
    if (run.state == static_cast<std::uint8_t>(PageState::zeroed)) s.zeroed += run.count;
    else if (run.state == static_cast<std::uint8_t>(PageState::untouched_hole)) s.holes += run.count;
    else s.by_phase[run.state] += run.count;
    if (run.reserved) s.reserved += run.count;
  }
  return out;
}

std::string read_moment(std::string_view what) { return fmt::format("when per_cpu_ptr_to_phys({}) reads it", what); }

void ReportRecorder::on_call(const Kernel& k, std::size_t depth, const char* fn)
{
  if (depth == 2) timeline_.push_back({fn, k.clock.now_ns()});  // start_kernel's own steps
  if (memmap_snapshots_ && !before_init_taken_ && starts_memmap_init(fn)) {
    before_init_taken_ = true;
    snapshot(k, BEFORE_MEMMAP_INIT);
  }
}

void ReportRecorder::update_marks(const Kernel& k)
{
  // first_deferred_pfn is reset to ULONG_MAX once deferred_init_memmap() is
  // done: keep the value each node had when first seen.
  for (const pglist_data& pgdat : k.nodes) {
    if (pgdat.first_deferred_pfn == ULONG_MAX_PFN) continue;
    const auto seen = std::find_if(marks_.first_deferred_pfn.begin(), marks_.first_deferred_pfn.end(),
                                   [&](const auto& m) { return m.first == pgdat.node_id; });
    if (seen == marks_.first_deferred_pfn.end()) marks_.first_deferred_pfn.emplace_back(pgdat.node_id, pgdat.first_deferred_pfn);
  }
  // The first chunk, once setup_per_cpu_areas() has built it: each unit in
  // the direct map (km, embed), or the pages behind a vmalloc'd one (page).
  if (marks_.percpu_chunk.empty() && !k.percpu.unit_base.empty() && k.percpu.unit_size != 0) {
    if (k.percpu.kind == PercpuFirstChunk::Kind::page) {
      for (phys_addr_t pa : k.percpu.page_phys) marks_.percpu_chunk.emplace_back(PFN_DOWN(pa), PFN_DOWN(pa) + 1);
    } else {
      for (kva_t base : k.percpu.unit_base) {
        const pfn_t start = PFN_DOWN(k.vm.__pa(base));
        marks_.percpu_chunk.emplace_back(start, start + PFN_UP(k.percpu.unit_size));
      }
    }
    std::sort(marks_.percpu_chunk.begin(), marks_.percpu_chunk.end());
    // Adjacent units (and pages) as one range.
    std::vector<std::pair<pfn_t, pfn_t>> merged;
    for (const auto& r : marks_.percpu_chunk) {
      if (!merged.empty() && merged.back().second >= r.first) merged.back().second = std::max(merged.back().second, r.second);
      else merged.push_back(r);
    }
    marks_.percpu_chunk = std::move(merged);
  }
}

void ReportRecorder::on_translation(const Kernel& k, const TranslationEvent& t)
{
  if (!memmap_snapshots_) return;
  const auto& frames = k.stack.frames();
  reads_.push_back(StructPageRead{t.expected_pfn, k.clock.now_ns(), std::string(t.what),
                                  frames.size() >= 2 ? frames[1] : k.stack.current()});
  marked_pages_.push_back(copy_page(k, t.expected_pfn, read_moment(t.what)));
}

void ReportRecorder::on_milestone(const Kernel& k, std::string_view label)
{
  if (memmap_snapshots_) snapshot(k, label);
}

void ReportRecorder::snapshot(const Kernel& k, std::string_view label)
{
  update_marks(k);
  std::vector<pfn_t> marked;
  for (const auto& [nid, pfn] : marks_.first_deferred_pfn) marked.push_back(pfn);
  if (!marks_.percpu_chunk.empty()) marked.push_back(marks_.percpu_chunk.front().first);
  for (const StructPageRead& r : reads_) marked.push_back(r.pfn);
  std::sort(marked.begin(), marked.end());
  marked.erase(std::unique(marked.begin(), marked.end()), marked.end());
  for (pfn_t pfn : marked) marked_pages_.push_back(copy_page(k, pfn, std::string(label)));
  std::vector<PageRun> runs = memmap_runs(k);
  std::vector<SectionState> sections = section_states(runs, k);
  snapshots_.push_back(MemmapSnapshot{std::string(label), k.clock.now_ns(), std::move(sections), std::move(runs)});
}

void ReportRecorder::on_deferred_node(const Kernel&, const DeferredNodeRun& run) { deferred_runs_.push_back(run); }

}  // namespace pginit
