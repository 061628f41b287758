// SPDX-License-Identifier: MIT
// kernel_version.h - the kernel versions pginit models, by name.
//
// Everything that differs between kernel versions is a field here (or, for
// whole behaviours, a named policy built from it), never an `if (version...)`
// in the engine. A scenario's `kernel:` and `--kernel` pick one entry.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "include/linux/memblock.h"
#include "kconfig/kconfig_rules.h"
#include "policy/cpu_entry_area.h"
#include "mm/sparse.h"
#include "policy/unavailable.h"

namespace pginit {

// memmap_init(): which pfns the early pass walks, when, and how defer_init()
// counts (mm/page_alloc.c).
enum class MemmapInitWalk {
  // Until v5.7: memmap_init_zone() per zone, inside free_area_init_node(),
  // over the whole zone span pfn by pfn (holes inside a zone included).
  zone_span,
  // v5.8 (73a6e474cb37): per zone, only the node's memblock ranges;
  // defer_init() compares each range's end with the node's, so every range
  // but the last is fully initialized.
  node_ranges,
  // 6.1: once, after every node: all memblock ranges in order, each clamped
  // to each populated zone; defer_init() compares the zone's end, and stops
  // the node for good once it deferred; every gap (and the tail of the last
  // section) goes to init_unavailable_range() with its own
  // "On node N, zone Z: P pages in unavailable ranges" line.
  ranges_then_holes,
  // v5.12 memmap_init_zone() (0740a50b9baa): per zone, inside
  // free_area_init_core(), the node's memblock ranges clamped to the zone;
  // the gap before each range goes to init_unavailable_range() with this
  // zone and node, and so does [hole_pfn, round_up(zone end, section)).
  // hole_pfn is static: it carries over from zone to zone and node to node.
  // defer_init() as in 6.1. A node below the one initialized before it gets
  // its section tail written over the other node's pages (fixed by
  // 122e093c1734, v5.14: ranges_then_holes).
  zone_ranges_then_holes,
};

// warn_alloc()'s first line (mm/page_alloc.c): "order:%d, mode:0x%x" in
// 3.10 (warn_alloc_failed()); the flag names "(%pGg)" by 4.9; ",
// nodemask=(null)" by 4.14 (the 3.10.99, 4.9.115 and 4.14.5 trees).
enum class WarnAllocFormat { hex_mode, flag_names, nodemask };

// dump_page() (mm/debug.c) as each version prints a struct page
// (../shared/docs/later-bugs.md §1): "count:" until v4.17, which has no
// poison check; "page:%px is uninitialized and poisoned" from v4.18
// (fc36def997cf); "refcount:" by v5.2; 6.1's "pfn:" on the first line, %pGp
// with the value first and node=/zone= fields, no hex dump of a poisoned page.
enum class DumpPageFormat { v4_17, v4_18, v5_2, v6_1 };

// build_all_zonelists()'s "Built N zonelists in %s order" word (mm/page_alloc.c).
enum class ZonelistOrderText {
  // Until 3.17 (and RHEL 7): default_zonelist_order()'s heuristic, "Node"
  // when some node lacks ZONE_NORMAL or DMA/DMA32 is big, else "Zone".
  heuristic,
  // 3.18-4.13: "Node" on every 64-bit NUMA kernel (the first release is
  // inferred from the 3.17.0 and 4.9.115 trees; "Zone" without NUMA).
  node_on_64bit,
  // v4.14 on: "Built N zonelists, mobility grouping ..." without an order.
  none,
};

// What reading /sys/devices/system/memory/memoryN/valid_zones of an online
// block reads (drivers/base/memory.c, mm/memory_hotplug.c).
enum class ValidZonesRead {
  // test_pages_in_a_zone() takes page_zone() of every MAX_ORDER_NR_PAGES-th
  // pfn of the block's present sections, past the zone's end too (the 4.17,
  // 4.19 and 4.20 trees).
  whole_block,
  // The same, but it stops at the first pfn its zone does not span
  // (zone_spans_pfn(); in the 5.2.1, 5.8.1 and 5.12.9 trees: "mm,
  // memory_hotplug: test_pages_in_a_zone do not pass the end of zone", v5.0).
  to_zone_end,
  // No struct page read: the block's zone is known (6.1's memory.c has no
  // test_pages_in_a_zone() call; commit not identified).
  block_zone,
};

// How device memory (ZONE_DEVICE) gets its struct pages in memremap_pages()
// (docs/kernel-versions.md, "Device memory").
enum class DeviceMemmapInit {
  // v4.3 - v4.19: move_pfn_range_to_zone() -> memmap_init_zone(MEMMAP_HOTPLUG)
  // initializes every pfn past altmap->reserve (PG_reserved, MIGRATE_MOVABLE
  // pageblocks) under the hotplug lock, then devm_memremap_pages() (or HMM's
  // hmm_devmem_pages_create()) walks the pages again setting page->pgmap.
  hotplug_then_pgmap_loop,
  // v4.20 on (966cf44f637e): memmap_init_zone() initializes only the altmap's
  // memmap pages; memmap_init_zone_device() does the rest in one pass, outside
  // the hotplug lock, so devices on different nodes initialize in parallel.
  memmap_init_zone_device,
};

// The line memmap_init_zone_device() prints when it is done.
enum class DeviceInitLine {
  none,       // before v4.20 nothing; 6.1 pr_debug()
  dev_name,   // v4.20 - v5.x: pr_info("%s initialised, %lu pages in %ums", dev_name(pgmap->dev), ...)
  func_name,  // 5.8 tree: pr_info("%s initialised %lu pages in %ums", __func__, ...)
};

struct KernelVersion {
  std::string_view name;     // what scenarios and --kernel say: "v4.17"
  std::string_view release;  // what `uname -r` would start with
  std::string_view summary;  // why this version is modelled
  // "e820: BIOS-provided physical RAM map:" until v4.17; the prefix is gone
  // in v4.18-based logs (see docs/kernel-versions.md).
  bool e820_prefixed_map_header;
  // zone_batchsize() caps a zone's pcp batch at this many bytes of pages:
  // 512 KiB (LIFO batch 31) until d8a759b57035 doubled it in v4.19 (63).
  unsigned long zone_batch_cap_bytes;
  // The struct page init policy this version uses by default (init_policy.h).
  std::string_view init_policy;
  // zero_resv_unavail(): which pfns, when, and the line (unavailable.h;
  // kernel-v4.17.md §3.5, §8).
  const UnavailableRule& zero_unavail;
  // Which mm/Kconfig rules resolve a config of this version.
  KconfigRules kconfig_rules;
  // How memmap_init() walks the pfns it initializes (MemmapInitWalk).
  MemmapInitWalk memmap_init;
  // e820__memblock_setup() also reserves gaps and !RAM entries (124049decbb1,
  // v4.18 and v4.19; reverted by 9fd61bc95130 in v4.20).
  bool e820_reserves_non_ram;
  // GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS) as warn_alloc() prints
  // it: the ___GFP_* bits moved in v4.18 and again in v5.1 ("mm: shuffle
  // GFP_* flags"): include/linux/gfp.h.
  unsigned gfp_kernel;
  // What %p prints before the pointer-hashing key exists (lib/vsprintf.c
  // ptr_to_id()): "(ptrval)" right-justified in 16 columns until v4.17,
  // "(____ptrval____)" from v4.18. Empty: %p is not hashed (before v4.15),
  // the pointer itself is printed.
  std::string_view ptrval;
  // What setup_cpu_entry_area() translates with per_cpu_ptr_to_phys(), and
  // where those per-cpu objects sit (cpu_entry_area.h): one exception_stacks
  // call until v5.1, one per stack from v5.2; DB1 gone by v5.8; a 5-page TSS
  // from v5.5; 2-page exception stacks by 6.1.
  const CpuEntryAreaLayout& cpu_entry_area;
  // memblock=debug: each memblock_dbg() line's format and the allocators'
  // names (model/mm/memblock_debug.cpp: one table per version).
  const memblock_dialect& memblock_dbg;
  // reserve_real_mode() reserves all of [0, 1 MiB) after placing the
  // trampoline (f1d4d47c5851 "x86/setup: Always reserve the first 1M of RAM",
  // v5.13): memblock_find_dma_reserve() then counts every low page.
  bool reserves_first_mib = false;
  // real_mode_size_needed(): the trampoline blob, 6 pages on 4.x/5.x builds,
  // 7 in Debian's 6.1 (its memblock=debug log allocates 28672 bytes).
  phys_addr_t real_mode_size = 24576;
  // set_real_mode_mem() prints "Base memory trampoline at [%p] %lx size %zu"
  // (KERN_DEBUG) in v4.15-v4.20; the v5.0, v5.2, v5.8 and 6.1 trees have no
  // such line (the removing commit is not identified yet).
  bool prints_trampoline_base = true;
  // The per-zone accounting lines of free_area_init_core()/zone_pcp_init()
  // ("On node N totalpages:", "  DMA zone: N pages used for memmap", ...)
  // print at KERN_DEBUG; they are pr_debug() in 6.1 and absent from its logs.
  bool zone_lines_printed = true;
  // free_area_init() walks every possible node, and one without memory gets a
  // pg_data_t from memblock_alloc() and "Initializing node N as memoryless" /
  // "Initmem setup node N as memoryless" (6.1 mm/page_alloc.c); older kernels
  // walk only the online nodes.
  bool inits_memoryless_nodes = false;
  // sizeof(pg_data_t), which depends on the build (MAX_NUMNODES sizes its
  // zonelists): 174208 bytes in Debian's 6.1 (NODES_SHIFT 10), as its
  // memblock=debug log shows for a memoryless node's memblock_alloc().
  phys_addr_t pglist_data_size = 0;
  // init_mem_mapping()'s page tables (alloc_low_pages() taking memblock
  // pages once the brk buffer is used up or must not be used) and
  // alloc_node_data()'s "NODE_DATA(n) allocated [mem ...]" lines are
  // modelled: checked against the 13 real 6.1 logs of tests/data/oracle.
  // Older versions have the same code, but pginit knows neither their
  // sizeof(pg_data_t) nor a log to check the placement against; they keep
  // memblock.reserved without the tables and print no NODE_DATA line.
  bool models_direct_map_tables = false;
  // numa_register_memblks() onlines (and gives a pg_data_t to) only nodes
  // that span at least NODE_MIN_SIZE (4 MiB, arch/x86/include/asm/numa.h);
  // Debian's 6.1.192 has no such minimum (0: any node with memory): the
  // stable backport of a1e2b8b36820 ("x86/mm/numa: no need to check node min size").
  phys_addr_t node_min_size = 4 << 20;
  // INIT_PGD_PAGE_COUNT, the brk page-table buffer, counts a fourth table
  // level with CONFIG_X86_5LEVEL (v5.12; 6 or 12 pages before, whatever
  // X86_5LEVEL said): arch/x86/mm/init.c.
  bool pgt_buf_counts_5level = false;
  // Kconfig defaults of this version's arch/x86/Kconfig that differ from
  // pginit's x86_64 table (model/kconfig), for symbols a scenario leaves out.
  std::vector<std::pair<std::string_view, std::string_view>> kconfig_defaults{};
  // kernelcore= and movablecore= accept "N%" (a5c6d6509342, v4.17-rc1);
  // before, memparse() reads "25%" as 25 bytes, i.e. no pages.
  bool core_percent = true;
  // find_zone_movable_pfns_for_nodes() drops a movable start at or past its
  // node's end (ddbc84f3f595, v5.18); before, it stood and the zone was empty.
  bool drops_movable_start_past_node = false;
  // The zone, movable-start, node-range and Initmem lines print addresses as
  // %#018Lx from v4.0, as %#010Lx (at least 10 characters, no more) before.
  unsigned mem_hex_width = 18;
  // Until 3.17 x86's setup_node_data() prints "Initmem setup node N [mem
  // ...]" (the node's NUMA range, start rounded up to ZONE_ALIGN) and
  // "  NODE_DATA [mem ...]" from numa_register_memblks(), before "Zone
  // ranges:"; from 3.18 (and in RHEL 7) free_area_init_node() prints it.
  bool initmem_in_numa = false;
  ZonelistOrderText zonelist_order = ZonelistOrderText::none;
  // The SRAT memory-affinity line is printed from drivers/acpi/numa.c with
  // pr_fmt "ACPI: " (4.9 tree); from arch/x86/mm/srat.c as "SRAT: ..." in
  // 3.x/4.4 (first release with the prefix not identified).
  bool srat_acpi_prefix = true;
  WarnAllocFormat warn_alloc = WarnAllocFormat::nodemask;
  // A distribution's kernel (distro_kernels.h picks it from the release
  // string); empty for upstream versions, which nearest_kernel_version() uses.
  std::string_view distro{};
  // x86_64 mem_init() -> preallocate_vmalloc_pages() (v5.9, "x86/mm:
  // Pre-allocate P4D/PUD pages for vmalloc area"; not in the 5.8.1 tree):
  // one PUD page per 512 GiB of the 32 TiB vmalloc area with 4-level paging,
  // from the buddy allocator right after memblock_free_all(), so before
  // the "Memory:" line counts the free pages. 0: none.
  unsigned vmalloc_pud_pages = 0;
  // How sparse_init() allocates the usemaps and memmaps (model/mm/sparse.h).
  sparse_init_rules sparse{};
  DumpPageFormat dump_page = DumpPageFormat::v4_17;
  // /proc/kpageflags and kpagecount end at get_max_dump_pfn() =
  // round_up(max_pfn, PAGES_PER_SECTION) with SPARSEMEM (fs/proc/page.c: in
  // the 5.8.1 and 5.12.9 trees, not in 5.2.1, which stops at max_pfn; the
  // commit is not identified, e822969cab48's series is the likely one).
  bool kpageflags_to_section_end = false;
  ValidZonesRead valid_zones = ValidZonesRead::whole_block;
  // Device memory after boot (DeviceMemmapInit, DeviceInitLine).
  DeviceMemmapInit device_memmap_init = DeviceMemmapInit::hotplug_then_pgmap_loop;
  DeviceInitLine device_init_line = DeviceInitLine::none;
  // __init_zone_device_page() sets a device-private page's refcount to 0
  // (the driver's allocator raises it to 1): in the 6.1 tree pginit checks
  // (/work/linux-6.1 mm/mm_init.c); before, ZONE_DEVICE pages keep
  // __init_single_page()'s 1, which never drops to 0.
  bool device_private_refcount_zero = false;
};

const std::vector<KernelVersion>& modelled_kernel_versions();
const KernelVersion* find_kernel_version(std::string_view name);
// The modelled version closest to a `uname -r` release ("4.18.0-147.el8.x86_64"):
// the newest one not newer than it, or the oldest when all are newer. Sets
// *note to a sentence saying so when the match is not exact. nullptr when
// the release does not start with MAJOR.MINOR.
const KernelVersion* nearest_kernel_version(std::string_view release, std::string* note);
// The row of a distribution kernel with known backports (".el7", ".el8"),
// or nullptr.
const KernelVersion* distro_kernel_version(std::string_view release);
// "v4.15, v4.16, ..." for error messages and --help.
std::string kernel_version_names();

}  // namespace pginit
