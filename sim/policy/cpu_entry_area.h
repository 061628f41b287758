// SPDX-License-Identifier: MIT
// cpu_entry_area.h - what setup_cpu_entry_area(cpu) (arch/x86/mm/cpu_entry_area.c)
// hands per_cpu_ptr_to_phys(), and where those per-cpu objects sit in the
// per-cpu section, per kernel version (x86_64).
//
// setup_cpu_entry_area() maps every page of a CPU's entry area from the
// per-cpu object behind it. Each page is one per_cpu_ptr_to_phys() call:
// the GDT through get_cpu_gdt_paddr(), the rest through
// cea_map_percpu_pages(), which loops over the pages. The entry trampoline
// (__pa_symbol()) and the debug store buffers (pa 0, PAGE_NONE) do not go
// through it. docs/bug-per-cpu-km.md §4 and docs/kernel-versions.md give the
// sources of each number.
#pragma once

#include <string_view>
#include <vector>

namespace pginit {

// A page-aligned static per-cpu object of .data..percpu (or, on UP, of
// .data..page_aligned in the image).
struct PercpuObject {
  std::string_view symbol{};
  unsigned pages = 1;               // its size in pages without KASAN
  bool kasan_doubles = false;       // sized by KASAN_STACK_ORDER (IRQ and exception stacks)
  bool needs_cpu_sup_intel = false; // defined in arch/x86/events/intel/ds.c, built with CONFIG_CPU_SUP_INTEL
};

// One call in setup_cpu_entry_area() that translates per-cpu pages.
struct CeaPercpuMap {
  std::string_view via{};       // the helper between setup_cpu_entry_area() and the call, "" if none
  std::string_view caller{};    // "get_cpu_gdt_paddr" or "cea_map_percpu_pages"
  std::string_view symbol{};    // the PercpuObject the pages belong to
  std::string_view member{};    // the member of it that is mapped ("DF_stack"), "" for the whole object
  unsigned first_page = 0;      // where in the object, without KASAN
  unsigned pages = 1;           // how many, without KASAN (both double when the object's size does)
  bool intel_only = false;      // percpu_setup_debug_store(): CONFIG_CPU_SUP_INTEL and an Intel boot CPU
};

struct CpuEntryAreaLayout {
  std::string_view name;
  // The DEFINE_PER_CPU_FIRST object at per-cpu offset 0 (its pages, rounded
  // up: the page-aligned objects follow at the next page boundary).
  PercpuObject first;
  // .data..percpu..page_aligned in link order (arch/x86/events/, then
  // arch/x86/kernel/, then arch/x86/mm/), as System.map shows it.
  std::vector<PercpuObject> page_aligned;
  // setup_cpu_entry_area()'s calls, in its order.
  std::vector<CeaPercpuMap> maps;
};

namespace cpu_entry_area {

// Before v4.15 there is no cpu_entry_area (it came with KPTI). 4.12-4.14's
// cpu_init() -> setup_fixmap_gdt() -> get_cpu_gdt_paddr() translation of
// each CPU's GDT, as it comes online, is not modelled: no translations.
extern const CpuEntryAreaLayout none;

// v4.15-v4.19: one exception_stacks array (3 EXCEPTION_STKSZ stacks and a
// DEBUG_STKSZ one), irq_stack_union first, a 3-page TSS.
extern const CpuEntryAreaLayout v4_15;
// v5.2: struct exception_stacks, each stack mapped by itself (DF, NMI, DB1,
// DB, MCE); fixed_percpu_data first and the IRQ stack its own object.
extern const CpuEntryAreaLayout v5_2;
// v5.8: no DB1 stack; the TSS has two I/O bitmaps (5 pages, since v5.5).
extern const CpuEntryAreaLayout v5_8;
// 6.1: EXCEPTION_STKSZ is two pages (EXCEPTION_STACK_ORDER 1).
extern const CpuEntryAreaLayout v6_1;

}  // namespace cpu_entry_area

}  // namespace pginit
