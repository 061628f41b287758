// SPDX-License-Identifier: MIT
// early_init.h - phase 1: memmap_init_zone() for every zone of every node,
// from inside free_area_init_nodes(), on the boot CPU (mm/page_alloc.c).
// With DEFERRED_STRUCT_PAGE_INIT the node's highest zone stops at
// first_deferred_pfn, where the policy says. Also zero_resv_unavail(),
// before or after, as the kernel version has it.
#pragma once

#include "mm/page_alloc.h"
#include "kernel/kernel.h"

namespace pginit {

// The hooks free_area_init_nodes() calls back into.
FreeAreaInitHooks early_init_hooks(Kernel& k);

// memmap_init_zone(MEMMAP_EARLY) of one zone; returns the pages initialized.
std::uint64_t memmap_init_zone(Kernel& k, pglist_data& pgdat, int zone_idx);

}  // namespace pginit
