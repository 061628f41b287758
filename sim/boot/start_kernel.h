// SPDX-License-Identifier: MIT
// start_kernel.h - the boot, in v4.17's order (init/main.c), as far as
// struct pages are concerned: setup_arch (memblock, memmap, early init),
// build_all_zonelists, mm_init (mem_init), the scenario's allocations,
// rest_init -> kernel_init -> smp_init -> page_alloc_init_late.
#pragma once

#include "boot/boot_state.h"

namespace pginit {

void start_kernel(BootState& st);
void build_all_zonelists(BootState& st);

}  // namespace pginit
