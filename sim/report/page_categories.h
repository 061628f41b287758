// SPDX-License-Identifier: MIT
// page_categories.h - what the pictures colour a struct page by, with the
// legend's words: the phase that initialized it, or, for a struct page no
// phase initialized, whether it is memory, a zeroed hole or an untouched one.
// Indexed by PageRun::state (an InitPhase, then PageState).
#pragma once

#include <cstdint>

#include "run/memmap_runs.h"

namespace pginit {

struct PageCategory {
  const char* name;
  const char* color;
};

inline constexpr int NR_PAGE_CATEGORIES = NR_INIT_PHASES + 2;
inline constexpr PageCategory PAGE_CATEGORIES[NR_PAGE_CATEGORIES] = {
    {"never initialized (memory)", "#d62728"}, {"early", "#1f77b4"},   {"mm_init", "#ff7f0e"},
    {"on-demand", "#9467bd"},                  {"deferred", "#2ca02c"}, {"device (ZONE_DEVICE)", "#8c564b"},
    {"zeroed, not initialized", "#999999"},
    {"hole, untouched (poison)", "#f2f2f2"}};

}  // namespace pginit
