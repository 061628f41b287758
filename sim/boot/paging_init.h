// SPDX-License-Identifier: MIT
// paging_init.h - from memblock to nodes, zones and a memmap: x86_64's
// memblock_find_dma_reserve() (arch/x86/mm/init.c) and paging_init()
// (arch/x86/mm/init_64.c): sparse_init(), then zone_sizes_init() ->
// free_area_init_nodes().
#pragma once

#include "kernel/kernel.h"

namespace pginit {

// Pages below 16 MiB that memblock has already handed out: dma_reserve.
void memblock_find_dma_reserve(Kernel& k);
void paging_init(Kernel& k);

}  // namespace pginit
