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

#include <cstdint>
#include <optional>
#include <string_view>

#include "kernel/kernel.h"
#include "policy/cpu_entry_area.h"

namespace pginit {

void setup_per_cpu_areas(Kernel& k);

// The physical address of a per-cpu address, as the kernel computes it (a
// fault is a Translation without a value). Records what was wrong with it
// on the checker's violations of this call; `what` is the address as the
// caller's source writes it ("&per_cpu(cpu_tss_rw, 0) + 0x1000").
Translation per_cpu_ptr_to_phys(Kernel& k, kva_t addr, std::string_view what);

// Where a page-aligned static per-cpu object (the version's
// CpuEntryAreaLayout) starts in the per-cpu section; nullopt if this build
// has no such object (cpu_debug_store without CPU_SUP_INTEL).
std::optional<std::uint64_t> percpu_section_offset(const Kernel& k, std::string_view symbol);
// Its size in pages in this build (KASAN doubles the stacks).
std::uint64_t percpu_object_pages(const Kernel& k, const PercpuObject& o);
// The address of cpu's copy: per_cpu_ptr(&symbol, cpu). On UP (percpu-km)
// the object stays in the image's .data, placed around gdt_page
// (boot.gdt_page_offset) as the per-cpu section orders them.
kva_t per_cpu_symbol(const Kernel& k, std::string_view symbol, unsigned cpu);
unsigned nr_possible_cpus(const Kernel& k);

}  // namespace pginit
