// SPDX-License-Identifier: MIT
// mm_init.h - phase 2: mem_init() -> free_all_bootmem() (mm/nobootmem.c,
// v4.17). Every reserved memblock range becomes PageReserved (its deferred
// struct pages initialized on the way, by init_reserved_page()), and the
// free ranges below each node's first_deferred_pfn go to the buddy
// allocator in the largest aligned blocks.
#pragma once

#include "boot/boot_state.h"

namespace pginit {

void mem_init(BootState& st);

// The zone of `pgdat` spanning pfn (the first one, as init_reserved_page()
// and __free_pages_boot_core()'s page_zone() find it); nullptr if none does.
zone* zone_of_pfn(pglist_data& pgdat, pfn_t pfn, unsigned* zid = nullptr);

}  // namespace pginit
