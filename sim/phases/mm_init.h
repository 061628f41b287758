// SPDX-License-Identifier: MIT
// mm_init.h - phase 2: mem_init() -> free_all_bootmem() (mm/nobootmem.c,
// v4.17). Every reserved memblock range becomes PageReserved (its deferred
// struct pages initialized on the way, by init_reserved_page()), and the
// free ranges below each node's first_deferred_pfn go to the buddy
// allocator in the largest aligned blocks.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

void mem_init(Kernel& k);
// mem_init_print_info(): "Memory: A/TK available (... R reserved ...)", when
// the scenario knows the image's section sizes (boot.kernel_sections).
void mem_init_print_info(Kernel& k);

}  // namespace pginit
