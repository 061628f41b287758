// SPDX-License-Identifier: MIT
#include "policy/cpu_entry_area.h"

namespace pginit::cpu_entry_area {

// Sizes, from each tree's headers (no kernel code copied, the numbers only):
//  - IRQ_STACK_SIZE = PAGE_SIZE << (2 + KASAN_STACK_ORDER): 4 pages, 8 with
//    KASAN (arch/x86/include/asm/page_64_types.h).
//  - struct tss_struct is page-aligned: a 0x68-byte x86_hw_tss and an I/O
//    bitmap of IO_BITMAP_LONGS + 1 longs (8200 bytes): 3 pages until v5.4;
//    from v5.5 struct x86_io_bitmap holds two such bitmaps: 5 pages.
//  - struct debug_store is 128 bytes, __aligned(PAGE_SIZE): 1 page
//    (arch/x86/include/asm/intel_ds.h).
//  - entry_stack_storage: struct entry_stack_page, 1 page.
//  - exception stacks: EXCEPTION_STKSZ = PAGE_SIZE << (EXCEPTION_STACK_ORDER
//    + KASAN_STACK_ORDER), DEBUG_STKSZ twice that (until v5.1).
//
// Offsets: the linker script puts .data..percpu..first at 0, aligns to a
// page, then .data..percpu..page_aligned in link order. System.map files
// give that order (all without KASAN): 4.19 (Debian/Kali 4.19-amd64)
// irq_stack_union 0, cpu_debug_store 0x4000, cpu_tss_rw 0x5000, gdt_page
// 0x8000, exception_stacks 0x9000, entry_stack_storage 0xe000; 5.4
// fixed_percpu_data 0, cpu_debug_store 0x1000, irq_stack_backing_store
// 0x2000, cpu_tss_rw 0x6000, gdt_page 0x9000, exception_stacks 0xa000,
// entry_stack_storage 0xf000; 6.6 and 6.14 the same order with a 5-page TSS.
// No System.map of 4.15, 4.17, 5.2, 5.8 or 6.1 was at hand: those use the
// order of the nearest map, which their sources' link order (events/ before
// kernel/ before mm/ in arch/x86/Kbuild) agrees with [inference].

namespace {

constexpr std::string_view GDT = "get_cpu_gdt_paddr";
constexpr std::string_view MAP = "cea_map_percpu_pages";
constexpr std::string_view ESTACKS = "percpu_setup_exception_stacks";
constexpr std::string_view DS = "percpu_setup_debug_store";

const PercpuObject debug_store{.symbol = "cpu_debug_store", .pages = 1, .needs_cpu_sup_intel = true};
const PercpuObject gdt_page{.symbol = "gdt_page", .pages = 1};
const PercpuObject entry_stack{.symbol = "entry_stack_storage", .pages = 1};
const PercpuObject irq_stack_backing_store{.symbol = "irq_stack_backing_store", .pages = 4, .kasan_doubles = true};

const CeaPercpuMap map_gdt{.via = "", .caller = GDT, .symbol = "gdt_page"};
const CeaPercpuMap map_entry_stack{.via = "", .caller = MAP, .symbol = "entry_stack_storage"};
const CeaPercpuMap map_debug_store{.via = DS, .caller = MAP, .symbol = "cpu_debug_store", .intel_only = true};

CeaPercpuMap map_tss(unsigned pages) { return {.via = "", .caller = MAP, .symbol = "cpu_tss_rw", .pages = pages}; }

// cea_map_stack(name): the stack's pages of struct exception_stacks (v5.2+).
CeaPercpuMap map_stack(std::string_view member, unsigned first_page, unsigned pages)
{
  return {.via = ESTACKS, .caller = MAP, .symbol = "exception_stacks", .member = member, .first_page = first_page,
          .pages = pages};
}

}  // namespace

const CpuEntryAreaLayout none{.name = "none",
                              .first = PercpuObject{.symbol = "irq_stack_union", .pages = 4, .kasan_doubles = true},
                              .page_aligned = {gdt_page},
                              .maps = {}};

// arch/x86/mm/cpu_entry_area.c as of v4.15 (unchanged through v4.20 for what
// is modelled): GDT, entry stack, TSS (3 pages), the exception_stacks array
// in one call ((N_EXCEPTION_STACKS - 1) * EXCEPTION_STKSZ + DEBUG_STKSZ:
// 3 + 2 pages, 10 with KASAN), the trampoline (no translation), then the
// debug store on Intel CPUs.
const CpuEntryAreaLayout v4_15{
    .name = "v4.15",
    .first = {.symbol = "irq_stack_union", .pages = 4, .kasan_doubles = true},
    .page_aligned = {debug_store, {.symbol = "cpu_tss_rw", .pages = 3}, gdt_page,
                     {.symbol = "exception_stacks", .pages = 5, .kasan_doubles = true}, entry_stack},
    .maps = {map_gdt, map_entry_stack, map_tss(3),
             {.via = "", .caller = MAP, .symbol = "exception_stacks", .pages = 5}, map_debug_store},
};

// v5.2 (the x86 stack guard page series: struct exception_stacks, the IRQ
// stack split off irq_stack_union, which became fixed_percpu_data):
// percpu_setup_exception_stacks() maps DF, NMI, DB1, DB and MCE one by one
// (DB2 is a hole in the backing store), one EXCEPTION_STKSZ page each.
const CpuEntryAreaLayout v5_2{
    .name = "v5.2",
    .first = {.symbol = "fixed_percpu_data", .pages = 1},
    .page_aligned = {debug_store, irq_stack_backing_store, {.symbol = "cpu_tss_rw", .pages = 3}, gdt_page,
                     {.symbol = "exception_stacks", .pages = 5, .kasan_doubles = true}, entry_stack},
    .maps = {map_gdt, map_entry_stack, map_tss(3), map_stack("DF_stack", 0, 1), map_stack("NMI_stack", 1, 1),
             map_stack("DB1_stack", 2, 1), map_stack("DB_stack", 3, 1), map_stack("MCE_stack", 4, 1),
             map_debug_store},
};

// v5.8: DF, NMI, DB, MCE (the DB1 stack is gone); the TSS is 5 pages.
const CpuEntryAreaLayout v5_8{
    .name = "v5.8",
    .first = {.symbol = "fixed_percpu_data", .pages = 1},
    .page_aligned = {debug_store, irq_stack_backing_store, {.symbol = "cpu_tss_rw", .pages = 5}, gdt_page,
                     {.symbol = "exception_stacks", .pages = 4, .kasan_doubles = true}, entry_stack},
    .maps = {map_gdt, map_entry_stack, map_tss(5), map_stack("DF_stack", 0, 1), map_stack("NMI_stack", 1, 1),
             map_stack("DB_stack", 2, 1), map_stack("MCE_stack", 3, 1), map_debug_store},
};

// 6.1 (checked in the 6.0.19 tree): EXCEPTION_STACK_ORDER is 1, so each of
// DF, NMI, DB, MCE is 2 pages (4 with KASAN). The VC and VC2 stacks of
// CONFIG_AMD_MEM_ENCRYPT are in the backing store (after MCE) but mapped
// only in an SEV-ES guest: not modelled, so exception_stacks is 8 pages and
// entry_stack_storage follows it directly (with AMD_MEM_ENCRYPT it is 4
// pages further: the 6.6 System.map has it at 0x18000).
const CpuEntryAreaLayout v6_1{
    .name = "v6.1",
    .first = {.symbol = "fixed_percpu_data", .pages = 1},
    .page_aligned = {debug_store, irq_stack_backing_store, {.symbol = "cpu_tss_rw", .pages = 5}, gdt_page,
                     {.symbol = "exception_stacks", .pages = 8, .kasan_doubles = true}, entry_stack},
    .maps = {map_gdt, map_entry_stack, map_tss(5), map_stack("DF_stack", 0, 2), map_stack("NMI_stack", 2, 2),
             map_stack("DB_stack", 4, 2), map_stack("MCE_stack", 6, 2), map_debug_store},
};

}  // namespace pginit::cpu_entry_area
