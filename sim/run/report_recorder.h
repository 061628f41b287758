// SPDX-License-Identifier: MIT
// report_recorder.h - what the visual report needs from a boot, recorded as
// it happens by observing it: when each step of start_kernel began, each
// node's deferred work (also in --json), and, when a picture is asked for,
// the memmap's state per section at the boot's milestones.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kernel/boot_observer.h"
#include "pginit/page_shadow.h"
#include "run/page_copy.h"
#include "run/memmap_runs.h"

namespace pginit {

struct SectionState {
  std::uint64_t section = 0;
  int nid = 0;
  std::array<std::uint32_t, NR_INIT_PHASES> by_phase{};  // memory pfns, by the phase that initialized them
  std::uint32_t zeroed = 0;    // zeroed, never initialized
  std::uint32_t holes = 0;     // not memory, untouched
  std::uint32_t reserved = 0;  // pfns in memblock.reserved
};

struct MemmapSnapshot {
  std::string label;
  std::uint64_t time_ns = 0;
  std::vector<SectionState> sections;
  std::vector<PageRun> runs;  // the same memmap, pfn by pfn, for the interactive report
};

// A per_cpu_ptr_to_phys() that went through a struct page: which one, when,
// and in which of start_kernel()'s steps (trap_init for the seed bug).
struct StructPageRead {
  pfn_t pfn = 0;
  std::uint64_t time_ns = 0;
  std::string what;
  std::string step;
};

// The pfns a student should be pointed at: where each node's deferred part
// begins, and the per-cpu first chunk.
struct BootMarks {
  std::vector<std::pair<int, pfn_t>> first_deferred_pfn;  // (nid, pgdat->first_deferred_pfn)
  std::vector<std::pair<pfn_t, pfn_t>> percpu_chunk;      // [start, end) pfn ranges of the first chunk's units
};

struct StepTime {
  std::string step;
  std::uint64_t start_ns = 0;
};

// The memmap exists (sparse_init()) and no init pass has run yet: what the
// first call of free_area_init_nodes() (free_area_init() from v5.8) sees.
inline constexpr std::string_view BEFORE_MEMMAP_INIT = "before memmap_init (as sparse_init() left it)";
inline bool starts_memmap_init(std::string_view fn) { return fn == "free_area_init_nodes" || fn == "free_area_init"; }
// The moment a translation reads a struct page, as the inspector and the report name it.
std::string read_moment(std::string_view what);

class ReportRecorder final : public BootObserver {
 public:
  explicit ReportRecorder(bool memmap_snapshots) : memmap_snapshots_(memmap_snapshots) {}
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override;
  void on_milestone(const Kernel& k, std::string_view label) override;
  void on_deferred_node(const Kernel& k, const DeferredNodeRun& run) override;
  void on_translation(const Kernel& k, const TranslationEvent& t) override;

  const std::vector<MemmapSnapshot>& snapshots() const { return snapshots_; }
  const std::vector<StepTime>& timeline() const { return timeline_; }
  const std::vector<DeferredNodeRun>& deferred_runs() const { return deferred_runs_; }
  // With memmap snapshots only: the reads, the marks, and the marked and
  // read struct pages copied at each milestone and at each read.
  const std::vector<StructPageRead>& reads() const { return reads_; }
  const BootMarks& marks() const { return marks_; }
  const std::vector<PageCopy>& marked_pages() const { return marked_pages_; }

 private:
  bool memmap_snapshots_;
  std::vector<DeferredNodeRun> deferred_runs_;
  std::vector<MemmapSnapshot> snapshots_;
  std::vector<StepTime> timeline_;
  std::vector<StructPageRead> reads_;
  BootMarks marks_;
  std::vector<PageCopy> marked_pages_;

  bool before_init_taken_ = false;

  void update_marks(const Kernel& k);
  void snapshot(const Kernel& k, std::string_view label);
};

// The state of every section with a memmap, summed from its page runs.
std::vector<SectionState> section_states(const std::vector<PageRun>& runs, const KernelState& k);

}  // namespace pginit
