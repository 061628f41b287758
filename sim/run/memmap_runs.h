// SPDX-License-Identifier: MIT
// memmap_runs.h - the memmap at one moment, compressed for the interactive
// report: runs of consecutive pfns whose struct pages hold the same
// page->flags and the same shadow state, and whether memblock.reserved
// covers them. A run never crosses a section, so a 256 GiB machine is a few
// thousand runs, not 64 million pages.
#pragma once

#include <cstdint>
#include <vector>

#include "include/linux/pfn.h"
#include "pginit/page_shadow.h"

namespace pginit {

struct KernelState;

// What the report colours a struct page by: the InitPhase that initialized
// it (InitPhase::none: memory whose struct page nobody initialized), or one
// of the two states of a hole's struct page.
enum class PageState : std::uint8_t { zeroed = NR_INIT_PHASES, untouched_hole };

struct PageRun {
  pfn_t start = 0;
  std::uint32_t count = 0;
  std::uint8_t state = 0;    // an InitPhase, or a PageState
  bool reserved = false;     // in memblock.reserved
  std::uint64_t flags = 0;   // page->flags of every page of the run
};

// Every section with a memmap, pfn by pfn, in runs (ascending).
std::vector<PageRun> memmap_runs(const KernelState& k);

}  // namespace pginit
