// SPDX-License-Identifier: MIT
// percpu.h - the per-cpu first chunk and per_cpu_ptr_to_phys() (mm/percpu.c,
// mm/percpu-km.c, arch/x86/kernel/setup_percpu.c, v4.17).
//
// Which allocator builds the first chunk decides whether translating a
// per-cpu address reads a struct page:
//  - !SMP (NEED_PER_CPU_KM): the UP setup_per_cpu_areas() allocates a chunk
//    from memblock, but static per-cpu variables (gdt_page) stay in the
//    kernel image; per_cpu_ptr_to_phys() on them takes the "not in the first
//    chunk" path: page_to_phys(virt_to_page(addr)).
//  - SMP, embed (the x86_64 default): the chunk is in the direct map and the
//    per-cpu copies live in it; per_cpu_ptr_to_phys() is __pa().
//  - SMP, percpu_alloc=page: the chunk is vmalloc-mapped from pages
//    allocated one by one from memblock; per_cpu_ptr_to_phys() is
//    page_to_phys(vmalloc_to_page(addr)).
#pragma once

#include "kernel/kernel.h"

namespace pginit {

void setup_per_cpu_areas(Kernel& k);

// The physical address of a per-cpu address, as the kernel computes it (a
// fault is a Translation without a value). Records what was wrong with it
// on the checker's violations of this call.
Translation per_cpu_ptr_to_phys(Kernel& k, kva_t addr);

// The address of cpu's gdt_page: per_cpu_ptr(&gdt_page, cpu).
kva_t per_cpu_gdt_page(const Kernel& k, unsigned cpu);
unsigned nr_possible_cpus(const Kernel& k);

}  // namespace pginit
