// SPDX-License-Identifier: MIT
// traps.h - trap_init() as far as struct pages go (arch/x86/kernel/traps.c,
// arch/x86/mm/cpu_entry_area.c): setup_cpu_entry_areas() builds each
// possible CPU's entry area, mapping pages of the CPU's per-cpu objects -
// its GDT (get_cpu_gdt_paddr()), entry stack, TSS, exception stacks and, on
// Intel, the perf debug store (cea_map_percpu_pages()) - and finds each
// page's physical address with per_cpu_ptr_to_phys(), in the kernel's order
// (the version's CpuEntryAreaLayout). In v4.17 this runs before mm_init(),
// while deferred struct pages are not initialized.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

void trap_init(Kernel& k);

}  // namespace pginit
