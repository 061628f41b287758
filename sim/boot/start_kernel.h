// SPDX-License-Identifier: MIT
// start_kernel.h - the boot, in v4.17's order (init/main.c), as far as
// struct pages are concerned: setup_arch (memblock, memmap, early init),
// build_all_zonelists, mm_init (mem_init), the scenario's allocations,
// rest_init -> kernel_init -> smp_init -> page_alloc_init_late.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// Where a boot can stop, for a test or benchmark that needs only part of it.
enum class Stage {
  setup_arch,  // memblock, memmap, nodes and zones, the early phase
  mm_init,     // + per-cpu areas, zonelists, trap_init, mem_init, the mm_init allocations
  end,         // + smp_init's allocations and page_alloc_init_late
};

void start_kernel(Kernel& k, Stage until = Stage::end);
void build_all_zonelists(Kernel& k);

}  // namespace pginit
