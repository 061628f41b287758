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
};

struct StepTime {
  std::string step;
  std::uint64_t start_ns = 0;
};

class ReportRecorder final : public BootObserver {
 public:
  explicit ReportRecorder(bool memmap_snapshots) : memmap_snapshots_(memmap_snapshots) {}
  void on_call(const Kernel& k, std::size_t depth, const char* fn) override;
  void on_milestone(const Kernel& k, std::string_view label) override;
  void on_deferred_node(const Kernel& k, const DeferredNodeRun& run) override;

  const std::vector<MemmapSnapshot>& snapshots() const { return snapshots_; }
  const std::vector<StepTime>& timeline() const { return timeline_; }
  const std::vector<DeferredNodeRun>& deferred_runs() const { return deferred_runs_; }

 private:
  bool memmap_snapshots_;
  std::vector<DeferredNodeRun> deferred_runs_;
  std::vector<MemmapSnapshot> snapshots_;
  std::vector<StepTime> timeline_;
};

// The state of every section with a memmap, as the checker's shadow and
// memblock see it now.
std::vector<SectionState> section_states(const KernelState& k);

}  // namespace pginit
