// SPDX-License-Identifier: MIT
// The text of --explain. Facts: ../shared/docs/kernel-v4.17.md.
#include "explain/explanations.h"

#include <algorithm>
#include <array>

namespace pginit {

namespace {

constexpr std::array kExplanations{
    Explanation{"start_kernel", "init/main.c",
                "The first C function of the boot CPU. Everything that follows runs in its order: setup_arch, the "
                "per-cpu areas, trap_init, mm_init, then rest_init starts the other CPUs."},
    Explanation{"setup_arch", "arch/x86/kernel/setup.c",
                "x86 learns what RAM exists (the firmware's e820 map), hands it to memblock, reserves what is "
                "already in use, finds the NUMA nodes and builds the memmap: no struct page is usable before this."},
    Explanation{"early_reserve_initrd", "arch/x86/kernel/setup.c",
                "The initrd the boot loader placed is reserved in memblock before anything can allocate over it."},
    Explanation{"e820__memory_setup", "arch/x86/kernel/e820.c",
                "The firmware's memory map is copied, sorted and de-overlapped (e820__update_table) and printed as "
                "the BIOS-e820 lines."},
    Explanation{"parse_early_param", "init/main.c",
                "The command line's early options take effect: memblock=debug from here on; mem= drops RAM above "
                "a limit and memmap= adds, reserves or replaces e820 ranges (arch/x86/kernel/e820.c)."},
    Explanation{"e820__finish_early_params", "arch/x86/kernel/e820.c",
                "If mem= or memmap= changed the map, it is sanitized again and printed as the user-defined "
                "physical RAM map."},
    Explanation{"trim_bios_range", "arch/x86/kernel/setup.c",
                "Page 0 is marked reserved and 640K-1M removed from RAM: BIOSes use them whatever e820 says."},
    Explanation{"mtrr_trim_uncached_memory", "arch/x86/kernel/cpu/mtrr/cleanup.c",
                "RAM that the CPU's MTRRs leave uncached is turned into reserved e820 space, so max_pfn may shrink."},
    Explanation{"e820__memblock_setup", "arch/x86/kernel/e820.c",
                "Every usable e820 range is added to memblock.memory, the boot allocator that serves the kernel "
                "until the buddy allocator exists."},
    Explanation{"reserve_bios_regions", "arch/x86/kernel/ebda.c",
                "The BIOS data area and EBDA, from the end of base memory up to 1 MiB, are reserved in memblock."},
    Explanation{"reserve_real_mode", "arch/x86/realmode/init.c",
                "24 KiB (28 KiB in 6.1) below 1 MiB are taken for the real-mode trampoline the other CPUs start "
                "in; from v5.13 the whole first MiB is reserved too."},
    Explanation{"memmap_init", "mm/page_alloc.c",
                "6.1: once every node is set up, each memblock range gets its struct pages zone by zone, and each "
                "gap between ranges gets reserved struct pages of the zone after it."},
    Explanation{"preallocate_vmalloc_pages", "arch/x86/mm/init_64.c",
                "From v5.9: right after memblock_free_all(), one page-table page per 512 GiB of the vmalloc area "
                "(64 with 4-level paging) comes from the buddy allocator, so vmalloc mappings never need syncing."},
    Explanation{"memblock_trace", "sim/boot/memblock_trace.cpp",
                "pginit, not the kernel: a scenario imported from a memblock=debug log replays the kernel's own "
                "memblock.reserved here, just before memblock_free_all(), so mm_init and the deferred phase see "
                "exactly what the real kernel had reserved."},
    Explanation{"free_area_init", "mm/page_alloc.c",
                "6.1: a possible node without memory gets its pg_data_t from memblock and stays offline."},
    Explanation{"trim_low_memory_range", "arch/x86/kernel/setup.c",
                "The first 64 KiB (CONFIG_X86_RESERVE_LOW) are reserved: some BIOSes corrupt them."},
    Explanation{"initmem_init", "arch/x86/mm/numa_64.c",
                "NUMA setup: which node each range of memory belongs to."},
    Explanation{"x86_numa_init", "arch/x86/mm/numa.c",
                "The ACPI SRAT gives each range a node; the blocks are cleaned up and merged, and if they do not "
                "cover the RAM a single fake node is used instead."},
    Explanation{"numa_register_memblks", "arch/x86/mm/numa.c",
                "memblock regions get their node ids, and nodes with enough memory go online."},
    Explanation{"numa_clear_kernel_node_hotplug", "arch/x86/mm/numa.c",
                "What is already reserved gets a node id too, so that node-local allocations see it."},
    Explanation{"alloc_node_data", "arch/x86/mm/numa.c",
                "Each node's pg_data_t, from the node's own memory if it fits (top-down, below the direct map's "
                "end), else from any node: 'NODE_DATA(n) allocated [mem ...]'."},
    Explanation{"init_mem_mapping", "arch/x86/mm/init.c",
                "The direct map is built over all RAM: the ISA range, then top-down in growing steps; the page "
                "tables come from a small brk buffer, then from memblock, and stay reserved."},
    Explanation{"memory_map_top_down", "arch/x86/mm/init.c",
                "Maps RAM from the top down, 2 MiB first, each step 256 times the last, so that every step's "
                "page tables fit in memory the earlier steps mapped."},
    Explanation{"memory_map_bottom_up", "arch/x86/mm/init.c",
                "Maps RAM from above the kernel upwards (memblock allocating bottom-up), growing steps as top-down."},
    Explanation{"init_range_memory_mapping", "arch/x86/mm/init.c",
                "Maps the RAM of memblock.memory inside one step; a piece that holds the unused brk buffer must "
                "take its page tables from memblock."},
    Explanation{"init_memory_mapping", "arch/x86/mm/init.c",
                "One RAM range: split at 2 MiB/1 GiB boundaries into ranges of one page size, each mapped."},
    Explanation{"kernel_physical_mapping_init", "arch/x86/mm/init_64.c",
                "Fills the page tables for one range: a PUD, PMD or PTE table for every empty entry it needs."},
    Explanation{"alloc_low_pages", "arch/x86/mm/init.c",
                "One page-table page: from the brk buffer while it has room and may be used, else from memblock "
                "in what is mapped already; panics when neither has one."},
    Explanation{"memblock_find_dma_reserve", "arch/x86/mm/init.c",
                "Counts the pages below 16 MiB memblock has already handed out: ZONE_DMA's 'pages reserved'."},
    Explanation{"paging_init", "arch/x86/mm/init_64.c",
                "Builds the memmap (sparse_init) and then the nodes and zones (zone_sizes_init), where the first "
                "struct pages are initialized."},
    Explanation{"sparse_memory_present_with_active_regions", "mm/page_alloc.c",
                "Marks present every 128 MiB section that holds memory, remembering its node."},
    Explanation{"memory_present", "mm/sparse.c",
                "One memory range's sections become present; the mem_section root table and its pages are "
                "allocated from memblock on first use."},
    Explanation{"sparse_index_alloc", "mm/sparse.c",
                "A new page of 256 mem_section entries, node-local, for the sections it covers."},
    Explanation{"sparse_init", "mm/sparse.c",
                "Allocates the pageblock bitmaps (usemaps) and the memmap of every present section, node by node, "
                "from memblock: raw memory, not initialized struct pages."},
    Explanation{"sparse_init_nid", "mm/sparse.c",
                "One node (v4.19 on): its usemaps next to its pg_data_t, then one block for all its memmaps, "
                "which the vmemmap takes its 2 MiB pieces from; what is left goes back to memblock."},
    Explanation{"sparse_early_usemaps_alloc_node", "mm/sparse.c",
                "One run of sections' pageblock bitmaps in one zeroed block (until v4.18)."},
    Explanation{"alloc_usemap_and_memmap", "mm/sparse.c",
                "Walks the present sections in runs that share a node and allocates for each run in one go."},
    Explanation{"sparse_mem_maps_populate_node", "mm/sparse.c",
                "One node's run of memmaps: a contiguous raw block (classic SPARSEMEM) or a vmemmap buffer carved "
                "into 2 MiB pieces (SPARSEMEM_VMEMMAP)."},
    Explanation{"sparse_mem_map_populate", "mm/sparse.c",
                "The fallback when a run's block cannot be had: one zeroed memmap per section."},
    Explanation{"vmemmap_populate", "arch/x86/mm/init_64.c",
                "Maps a section's 2 MiB of struct pages into the virtual memmap with one PMD, so that "
                "pfn_to_page() is vmemmap + pfn."},
    Explanation{"vmemmap_p4d_populate", "mm/sparse-vmemmap.c",
                "A new page-table page (a PUD page) for 512 GiB of vmemmap, zeroed."},
    Explanation{"vmemmap_pud_populate", "mm/sparse-vmemmap.c",
                "A new page-table page (a PMD page) for 1 GiB of vmemmap, zeroed."},
    Explanation{"vmemmap_alloc_block_zero", "mm/sparse-vmemmap.c",
                "A zeroed page for the vmemmap's page tables, straight from memblock above 16 MiB."},
    Explanation{"vmemmap_alloc_block", "mm/sparse-vmemmap.c",
                "A 2 MiB memmap piece the node's block could not give: straight from memblock, above 16 MiB, "
                "without zeroing."},
    Explanation{"zone_sizes_init", "arch/x86/mm/init.c",
                "x86's zone limits: DMA below 16 MiB, DMA32 below 4 GiB, Normal above."},
    Explanation{"free_area_init_nodes", "mm/page_alloc.c",
                "Prints the zone ranges and node ranges, then for each node computes spanned, present and managed "
                "pages and initializes struct pages: the early phase."},
    Explanation{"free_area_init_node", "mm/page_alloc.c",
                "One node's totals; with FLATMEM its mem_map is allocated here."},
    Explanation{"alloc_node_mem_map", "mm/page_alloc.c",
                "FLATMEM: one zeroed struct page array for the whole node, MAX_ORDER-aligned."},
    Explanation{"memmap_init_zone", "mm/page_alloc.c",
                "Early phase: __init_single_page() for every pfn of the zone, holes included, on the boot CPU. "
                "With deferred init the node's highest zone stops at first_deferred_pfn."},
    Explanation{"do_initcalls", "init/main.c",
                "After boot: the drivers' initcalls run, and the ones for pmem and GPUs hot-add their device memory "
                "(machine.device_memory)."},
    Explanation{"devm_memremap_pages", "kernel/memremap.c (mm/memremap.c from v5.1)",
                "A driver asks for struct pages for its device memory: the range gets sections, a memmap and the "
                "node's ZONE_DEVICE; every page points back at the device's dev_pagemap."},
    Explanation{"hmm_devmem_add", "mm/hmm.c",
                "Before v4.20, HMM device memory (device-private or device-public) gets its struct pages here, "
                "through hmm_devmem_pages_create(): the same steps as devm_memremap_pages()."},
    Explanation{"arch_add_memory", "arch/x86/mm/init_64.c",
                "Adds the range's sections (memmap and usemap, from the altmap when the device has one) and maps "
                "the range in the direct map: the CPU can address it."},
    Explanation{"add_pages", "arch/x86/mm/init_64.c",
                "Device-private memory: sections and struct pages, but no direct mapping, since the CPU cannot "
                "address the memory."},
    Explanation{"move_pfn_range_to_zone", "mm/memory_hotplug.c",
                "Grows ZONE_DEVICE and the node over the range; before v4.20 it also initializes every struct page "
                "there (memmap_init_zone with MEMMAP_HOTPLUG)."},
    Explanation{"memmap_init_zone_device", "mm/page_alloc.c",
                "v4.20 on: one pass over the device's pages outside the hotplug lock: ZONE_DEVICE, PG_reserved, "
                "page->pgmap, MIGRATE_MOVABLE pageblocks; devices on different nodes run at once."},
    Explanation{"page_address", "include/linux/mm.h",
                "The kernel virtual address of a page's memory: __va() of its pfn. Device-private memory has none "
                "that works: it is not in the direct map."},
    Explanation{"kmap", "include/linux/highmem.h",
                "Map a page for the kernel: on x86_64 (no highmem) page_address()."},
    Explanation{"zero_resv_unavail", "mm/page_alloc.c",
                "Struct pages that no init pass will reach (reserved ranges outside memory, or every gap from v4.19) "
                "are zeroed rather than left as garbage."},
    Explanation{"setup_per_cpu_areas", "mm/percpu.c, arch/x86/kernel/setup_percpu.c",
                "The per-cpu first chunk is allocated from memblock: embedded in the direct map (SMP), page by page "
                "and vmalloc-mapped (percpu_alloc=page), or one block while static per-cpu data stays in the "
                "kernel image (UP)."},
    Explanation{"memblock_virt_alloc_from_nopanic", "include/linux/bootmem.h",
                "UP: the first chunk, one zeroed memblock block above 16 MiB."},
    Explanation{"pcpu_embed_first_chunk", "mm/percpu.c",
                "SMP: one 2 MiB-aligned block per node holds every CPU's unit; per-cpu addresses are direct-map "
                "addresses."},
    Explanation{"pcpu_page_first_chunk", "mm/percpu.c",
                "percpu_alloc=page: every page of every unit is allocated alone and the chunk is mapped with vmalloc."},
    Explanation{"pcpu_fc_alloc", "arch/x86/kernel/setup_percpu.c",
                "A piece of the first chunk from memblock, on the CPU's node, above 16 MiB."},
    Explanation{"build_all_zonelists", "mm/page_alloc.c",
                "Each node's fallback order of zones for allocations; prints the total of managed pages."},
    Explanation{"trap_init", "arch/x86/kernel/traps.c",
                "Sets up the CPU's exception handling. In v4.17 it runs before mm_init(): deferred struct pages are "
                "not initialized yet."},
    Explanation{"setup_cpu_entry_areas", "arch/x86/mm/cpu_entry_area.c",
                "Maps, for every possible CPU, the pages the CPU needs on entry from user space, among them its GDT."},
    Explanation{"setup_cpu_entry_area", "arch/x86/mm/cpu_entry_area.c",
                "One CPU's entry area: its GDT, entry stack, TSS, exception stacks and (Intel) perf debug store are "
                "mapped from their per-cpu copies, each page's physical address from per_cpu_ptr_to_phys()."},
    Explanation{"get_cpu_gdt_paddr", "arch/x86/include/asm/desc.h",
                "per_cpu_ptr_to_phys() of the CPU's gdt_page."},
    Explanation{"cea_map_percpu_pages", "arch/x86/mm/cpu_entry_area.c",
                "Maps N pages of a per-cpu object into the entry area: one per_cpu_ptr_to_phys() per page."},
    Explanation{"percpu_setup_exception_stacks", "arch/x86/mm/cpu_entry_area.c",
                "v5.2+: maps each IST exception stack (DF, NMI, DB, MCE, ...) by itself, between guard pages."},
    Explanation{"percpu_setup_debug_store", "arch/x86/mm/cpu_entry_area.c",
                "Intel CPUs: maps the CPU's perf debug store (cpu_debug_store, one page) for PEBS/BTS."},
    Explanation{"per_cpu_ptr_to_phys", "mm/percpu.c",
                "A per-cpu address to a physical one: __pa() inside an embedded first chunk, otherwise through the "
                "struct page (page_to_phys), which classic SPARSEMEM finds by reading page->flags."},
    Explanation{"pcpu_addr_to_page", "mm/percpu-km.c",
                "percpu-km (UP): virt_to_page() of the address."},
    Explanation{"virt_to_page", "arch/x86/include/asm/page.h",
                "pfn_to_page(__pa(addr) >> PAGE_SHIFT): reads mem_section, not the struct page."},
    Explanation{"vmalloc_to_page", "mm/vmalloc.c",
                "Walks the page tables of a vmalloc address to the struct page of the page behind it."},
    Explanation{"page_to_phys", "arch/x86/include/asm/io.h",
                "page_to_pfn() << PAGE_SHIFT. Under classic SPARSEMEM page_to_pfn() reads page->flags: an "
                "uninitialized struct page gives a wrong section, or a NULL one."},
    Explanation{"mm_init", "init/main.c",
                "The memory allocators come up: mem_init hands memblock's free memory to the buddy allocator."},
    Explanation{"mem_init", "arch/x86/mm/init_64.c", "x86: free_all_bootmem(), then the 'Memory:' line."},
    Explanation{"free_all_bootmem", "mm/nobootmem.c",
                "The mm_init phase: reserved ranges become PageReserved (their deferred struct pages are "
                "initialized now), free ranges below first_deferred_pfn go to the buddy allocator."},
    Explanation{"free_low_memory_core_early", "mm/nobootmem.c",
                "reserve_bootmem_region() over memblock.reserved, then __free_pages_memory() over the free ranges."},
    Explanation{"reserve_bootmem_region", "mm/page_alloc.c",
                "Each valid pfn of a reserved range: init_reserved_page() if it is deferred, then SetPageReserved."},
    Explanation{"__alloc_pages_nodemask", "mm/page_alloc.c",
                "An allocation request: the zones of the node, highest first, then the other nodes'."},
    Explanation{"get_page_from_freelist", "mm/page_alloc.c",
                "Takes a block from a zone's free lists; if the zone is short and deferred pages remain, grows it."},
    Explanation{"deferred_grow_zone", "mm/page_alloc.c",
                "The on-demand phase: initializes and frees whole sections (v4.17) or MAX_ORDER steps (v5.2) of the "
                "zone's deferred pages, enough for the request."},
    Explanation{"rest_init", "init/main.c", "Starts the init task; the boot CPU becomes idle."},
    Explanation{"kernel_init", "init/main.c", "The init task: kernel_init_freeable(), then user space."},
    Explanation{"kernel_init_freeable", "init/main.c",
                "Brings up the other CPUs (smp_init), then page_alloc_init_late."},
    Explanation{"page_alloc_init_late", "mm/page_alloc.c",
                "The deferred phase: a pgdatinit thread per node (or padata chunks over its CPUs) initializes and "
                "frees every deferred struct page; then on-demand growth is switched off."},
    Explanation{"set_zone_contiguous", "mm/page_alloc.c",
                "Checks each pageblock of a zone with __pageblock_pfn_to_page(): its first and last struct page must "
                "be in this zone, else the zone is not contiguous and compaction checks block by block."},
    Explanation{"kpageflags_read", "fs/proc/page.c",
                "/proc/kpageflags: the flags of every valid pfn, read from its struct page (stable_page_flags())."},
    Explanation{"show_valid_zones", "drivers/base/memory.c",
                "sysfs valid_zones of a memory block: which zones it could be onlined to, or the one it is in."},
    Explanation{"test_pages_in_a_zone", "mm/memory_hotplug.c",
                "Whether a pfn range lies in one zone: page_zone() of one struct page per MAX_ORDER block."},
    Explanation{"memblock_virt_alloc_internal", "mm/memblock.c",
                "memblock's allocator: the node first, then any node, then from address 0; the block is reserved."},
    Explanation{"memblock_alloc_range_nid", "mm/memblock.c", "Finds a free range and reserves it."},
    Explanation{"memblock_free", "mm/memblock.c",
                "Gives a boot-time block back to memblock (6.1: by its virtual address, through memblock_phys_free)."},
    Explanation{"memblock_script", "(pginit: sim/script/memblock_script.cpp)",
                "Not a kernel function: pginit's memblock script runner, which calls the memblock function each "
                "line names, as a caller the memblock=debug lines can print."},
    Explanation{"memblock_double_array", "mm/memblock.c",
                "memblock's region array is full: a twice-as-large one is allocated from memblock itself."},
};

}  // namespace

const Explanation* find_explanation(std::string_view function)
{
  auto it = std::find_if(kExplanations.begin(), kExplanations.end(),
                         [&](const Explanation& e) { return e.function == function; });
  return it == kExplanations.end() ? nullptr : &*it;
}

}  // namespace pginit
