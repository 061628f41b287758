// SPDX-License-Identifier: MIT
// memblock.h - the early boot memory allocator, as mm/memblock.c of v4.17.
//
// DOC: memblock overview
// Memblock describes physical memory as two collections of regions: "memory"
// (what the firmware says exists, added by e820__memblock_setup) and
// "reserved" (what is in use: the kernel image, the memmap, per-cpu areas...).
// Each collection is a sorted array of non-overlapping regions; neighbours
// merge when they touch and agree on node and flags. Allocation looks for a
// range that is in "memory" and not in "reserved", top-down by default, and
// reserves what it returns.
//
// The kernel keeps one global `struct memblock`; here it is an object passed
// explicitly, and the globals of mm/memblock.c that change its behaviour
// (memblock_can_resize, memblock_debug, system_has_some_mirror) live in it.
// Functions keep the kernel's names and return conventions (0 or -errno; a
// physical address or 0), so the code reads like mm/memblock.c.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pginit/call_stack.h"
#include "include/linux/pfn.h"
#include "include/linux/printk.h"

namespace pginit {

enum memblock_flags : unsigned long {
  MEMBLOCK_NONE = 0x0,     // no special request
  MEMBLOCK_HOTPLUG = 0x1,  // hotpluggable region
  MEMBLOCK_MIRROR = 0x2,   // mirrored region
  MEMBLOCK_NOMAP = 0x4,    // don't add to kernel direct mapping
};

inline constexpr unsigned long INIT_MEMBLOCK_REGIONS = 128;
inline constexpr phys_addr_t MEMBLOCK_ALLOC_ANYWHERE = ~phys_addr_t{0};
inline constexpr phys_addr_t MEMBLOCK_ALLOC_ACCESSIBLE = 0;
inline constexpr phys_addr_t BOOTMEM_LOW_LIMIT = 0;  // NO_BOOTMEM: "We are using top down"

// sizeof(struct memblock_region) on x86_64 v4.17: base, size, unsigned long
// flags, int nid, padded to 8 bytes. It sizes the doubled arrays.
inline constexpr phys_addr_t MEMBLOCK_REGION_BYTES = 32;

struct memblock_region {
  phys_addr_t base = 0;
  phys_addr_t size = 0;
  unsigned long flags = 0;
  int nid = 0;

  phys_addr_t end() const { return base + size; }
  bool operator==(const memblock_region&) const = default;
};

struct memblock_type {
  // regions.size() is the kernel's cnt. It never drops below 1: an empty type
  // holds a single zero-sized dummy entry, exactly as the kernel's does.
  std::vector<memblock_region> regions;
  unsigned long max = INIT_MEMBLOCK_REGIONS;
  phys_addr_t total_size = 0;
  const char* name = "";
  // Where the region array lives: 0 while it is the static array in the
  // kernel image (memblock_memory_init_regions), else its memblock allocation.
  phys_addr_t array_phys = 0;

  unsigned long cnt() const { return static_cast<unsigned long>(regions.size()); }
  bool empty() const { return regions.size() == 1 && regions[0].size == 0; }
};

// A free or memory range as the kernel's iterators return it: [start, end).
struct mem_range {
  phys_addr_t start = 0;
  phys_addr_t end = 0;
  int nid = 0;
  bool operator==(const mem_range&) const = default;
};

// What one kernel version's mm/memblock.c prints under memblock=debug, and
// the names of its entry points (the `__func__` of each memblock_dbg() line).
// One table per version (memblock_debug.cpp); sim/policy/kernel_version.cpp
// hands the version's table to the memblock, so nothing here asks which
// version runs. Read in the trees listed in docs/kernel-versions.md.
struct memblock_dialect {
  const char* name;  // the first version the table is for: "v4.15"
  // memblock_double_array(): "[%#010llx-%#010llx]" until v4.18, "[%pa-%pa]" from v4.19.
  bool double_array_pa;
  // memblock_remove() has a memblock_dbg() line (not in the v4.15 and v4.17 trees; in v4.18).
  bool remove_dbg;
  // from=/max_addr= of the nid allocators: "0x%llx" until v4.18, "%pa" from v4.19.
  bool alloc_range_pa;
  // The nid allocators: memblock_virt_alloc_try_nid{,_raw,_nopanic} until
  // v4.19, memblock_alloc_try_nid{,_raw} after (v4.20 dropped "_virt"; v5.1
  // dropped the _nopanic variants, whose callers use memblock_alloc_try_nid).
  const char* alloc_try_nid;
  const char* alloc_try_nid_raw;
  const char* alloc_try_nid_nopanic;
  // memblock_alloc_exact_nid_raw() (in the 5.7.14 tree, not in 5.2.1); nullptr: none.
  const char* alloc_exact_nid_raw;
  // The function whose memblock_reserve() call a successful nid allocation
  // makes: memblock_virt_alloc_internal until v4.19, memblock_alloc_range_nid
  // from v5.2 (the reserve line's %pS; compare names only, see docs).
  const char* alloc_reserver;
  // memblock_free()'s line: "   memblock_free" (three spaces) until v5.2,
  // "memblock_free" (__func__) in v5.7/v5.8, "memblock_phys_free" from v5.16.
  const char* phys_free;
  // memblock_free_early(): __memblock_free_early() with its own line until
  // v4.19 (nullptr: an inline memblock_free(), v4.20 on; gone by 6.1).
  const char* free_early;
  // __memblock_free_early's range: "[%#016llx-%#016llx]" until v4.18, %pa in v4.19.
  bool free_early_pa;
  // memblock_free() takes a virtual pointer and calls memblock_phys_free()
  // (v5.16), so a free's line names memblock_free as its caller.
  bool free_takes_pointer;
  // memblock_phys_alloc_range() has its own line (b5cf2d6c8148, v5.11).
  bool phys_alloc_range_dbg;
};

extern const memblock_dialect memblock_dialect_v4_15;  // v4.15 - v4.17
extern const memblock_dialect memblock_dialect_v4_18;
extern const memblock_dialect memblock_dialect_v4_19;
extern const memblock_dialect memblock_dialect_v5_2;
extern const memblock_dialect memblock_dialect_v5_8;
extern const memblock_dialect memblock_dialect_v6_1;

struct memblock {
  explicit memblock(int max_numnodes = 1 << NODES_SHIFT_DEFAULT, Printk& log = null_printk(),
                    CallStack* stack = nullptr);

  bool bottom_up = false;  // is bottom up direction?
  phys_addr_t current_limit = MEMBLOCK_ALLOC_ANYWHERE;
  memblock_type memory;
  memblock_type reserved;

  // Globals of mm/memblock.c and the arch, gathered with the state they steer.
  bool can_resize = false;              // memblock_can_resize
  bool debug = false;                   // memblock_debug: the memblock=debug boot option
  bool system_has_some_mirror = false;  // set by memblock_mark_mirror
  bool movable_node = false;            // movable_node_is_enabled()
  bool slab_available = false;          // slab_is_available(): always false this early
  int max_numnodes;                     // MAX_NUMNODES = 1 << NODES_SHIFT
  phys_addr_t kernel_end = 0;           // __pa_symbol(_end), for bottom-up allocation

  Printk* log;
  CallStack* stack;
  // This version's memblock=debug lines and allocator names (v4.17 by default).
  const memblock_dialect* dialect = &memblock_dialect_v4_15;
};

// --- adding, removing, isolating (memblock.cpp) ---
int memblock_add_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size,
                       int nid, unsigned long flags);
int memblock_add_node(memblock& mb, phys_addr_t base, phys_addr_t size, int nid);
int memblock_add(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_reserve(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_remove(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_free(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_isolate_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size,
                           int* start_rgn, int* end_rgn);
int memblock_remove_range(memblock& mb, memblock_type& type, phys_addr_t base, phys_addr_t size);
int memblock_set_node(memblock& mb, phys_addr_t base, phys_addr_t size, memblock_type& type,
                      int nid);
int memblock_mark_hotplug(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_mark_mirror(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(memblock& mb, phys_addr_t base, phys_addr_t size);
int memblock_clear_nomap(memblock& mb, phys_addr_t base, phys_addr_t size);
void memblock_trim_memory(memblock& mb, phys_addr_t align);
void memblock_allow_resize(memblock& mb);
void memblock_set_bottom_up(memblock& mb, bool enable);
void memblock_set_current_limit(memblock& mb, phys_addr_t limit);
phys_addr_t memblock_phys_mem_size(const memblock& mb);
phys_addr_t memblock_reserved_size(const memblock& mb);
bool memblock_is_region_reserved(const memblock& mb, phys_addr_t base, phys_addr_t size);
bool memblock_is_memory(const memblock& mb, phys_addr_t addr);

// --- iteration and allocation (memblock_alloc.cpp) ---
// for_each_free_mem_range(nid, flags): ranges in memory and not in reserved,
// ascending; the _reverse iterator yields the same ranges descending.
std::vector<mem_range> free_mem_ranges(const memblock& mb, int nid, unsigned long flags);
// for_each_mem_pfn_range(nid): memory regions of nid (MAX_NUMNODES: all) as
// [PFN_UP(base), PFN_DOWN(end)), regions holding no whole page skipped.
struct pfn_range {
  pfn_t start_pfn = 0;
  pfn_t end_pfn = 0;
  int nid = 0;
  bool operator==(const pfn_range&) const = default;
};
std::vector<pfn_range> mem_pfn_ranges(const memblock& mb, int nid);

phys_addr_t memblock_find_in_range_node(memblock& mb, phys_addr_t size, phys_addr_t align,
                                        phys_addr_t start, phys_addr_t end, int nid,
                                        unsigned long flags);
phys_addr_t memblock_find_in_range(memblock& mb, phys_addr_t start, phys_addr_t end,
                                   phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_alloc_range_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                     phys_addr_t start, phys_addr_t end, int nid,
                                     unsigned long flags);
phys_addr_t memblock_alloc_base_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                    phys_addr_t max_addr, int nid, unsigned long flags);
phys_addr_t memblock_alloc_nid(memblock& mb, phys_addr_t size, phys_addr_t align, int nid);

// memblock_phys_alloc_try_nid() (v5.x/6.1): node `nid` first, then any node,
// then without MIRROR, below current_limit; no debug line of its own.
phys_addr_t memblock_phys_alloc_try_nid(memblock& mb, phys_addr_t size, phys_addr_t align, int nid);

// The v4.17 "virt" allocators (include/linux/bootmem.h). They return the
// *physical* address of the block (0 on failure): converting to a kernel
// virtual address is the virtual layout's business, not memblock's.
// Retry order: nid, then any node, then from address 0, then without MIRROR.
phys_addr_t memblock_virt_alloc_try_nid_raw(memblock& mb, phys_addr_t size, phys_addr_t align,
                                            phys_addr_t min_addr, phys_addr_t max_addr, int nid);
phys_addr_t memblock_virt_alloc_try_nid_nopanic(memblock& mb, phys_addr_t size,
                                                phys_addr_t align, phys_addr_t min_addr,
                                                phys_addr_t max_addr, int nid);
// The panicking variant: throws KernelPanic with the kernel's message on failure.
phys_addr_t memblock_virt_alloc_try_nid(memblock& mb, phys_addr_t size, phys_addr_t align,
                                        phys_addr_t min_addr, phys_addr_t max_addr, int nid);
// include/linux/bootmem.h shorthands (min_addr BOOTMEM_LOW_LIMIT = 0,
// max_addr BOOTMEM_ALLOC_ACCESSIBLE = current_limit).
phys_addr_t memblock_virt_alloc(memblock& mb, phys_addr_t size, phys_addr_t align);
phys_addr_t memblock_virt_alloc_node(memblock& mb, phys_addr_t size, int nid);
phys_addr_t memblock_virt_alloc_node_nopanic(memblock& mb, phys_addr_t size, int nid);
// __memblock_free_early(): give back a boot-time allocation.
void __memblock_free_early(memblock& mb, phys_addr_t base, phys_addr_t size);
// memblock_free_early() as the dialect has it: __memblock_free_early()
// (until v4.19), else memblock_free() (from v5.16 through the pointer
// taking memblock_free(), whose memblock_phys_free() line names it).
void memblock_free_early(memblock& mb, phys_addr_t base, phys_addr_t size);
// memblock_alloc_exact_nid_raw() (v5.7+): like the _raw nid allocator but
// never from another node; nullptr dialect name: the caller must not use it.
phys_addr_t memblock_alloc_exact_nid_raw(memblock& mb, phys_addr_t size, phys_addr_t align,
                                         phys_addr_t min_addr, phys_addr_t max_addr, int nid);
// memblock_phys_alloc_range() (v5.x): [start, end), any node, with its own
// debug line where the dialect has one.
phys_addr_t memblock_phys_alloc_range(memblock& mb, phys_addr_t size, phys_addr_t align, phys_addr_t start,
                                      phys_addr_t end);
// A memblock=debug range "[base-end]" in %pa (0x + 16 digits) or in the
// "%#0Nllx" width older lines used (N counts the 0x).
std::string memblock_dbg_range(phys_addr_t base, phys_addr_t size, bool pa, int width);

// --- memblock=debug output (memblock_debug.cpp) ---
void memblock_dbg(const memblock& mb, std::string_view line);
void __memblock_dump_all(const memblock& mb);
void memblock_dump_all(const memblock& mb);  // only when mb.debug
// The %pF caller symbol of the current memblock call.
std::string memblock_caller(const memblock& mb);

}  // namespace pginit
