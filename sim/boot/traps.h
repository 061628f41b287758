// SPDX-License-Identifier: MIT
// traps.h - trap_init() as far as struct pages go (arch/x86/kernel/traps.c,
// arch/x86/mm/cpu_entry_area.c): each possible CPU's entry area maps the
// CPU's GDT read-only, and finds its physical address with
// get_cpu_gdt_paddr() -> per_cpu_ptr_to_phys(). In v4.17 this runs before
// mm_init(), while deferred struct pages are not initialized.
#pragma once

#include "kernel/kernel.h"

namespace pginit {

void trap_init(Kernel& k);

}  // namespace pginit
