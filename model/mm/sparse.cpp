// SPDX-License-Identifier: MIT
// sparse.cpp - memory_present, sparse_init (classic and vmemmap; the
// whole-machine one of v4.15 - v4.18 and sparse_init_nid() of v4.19 on) and
// alloc_node_mem_map.
#include "mm/sparse.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "include/linux/panic.h"

namespace pginit {

namespace {

constexpr std::byte POISON_BYTE{0xff};
constexpr std::byte ZERO_BYTE{0x00};
constexpr unsigned NR_PAGEBLOCK_BITS = 4;
// 1 << INTERNODE_CACHE_SHIFT (= L1_CACHE_SHIFT on x86_64 without VSMP).
constexpr phys_addr_t INTERNODE_CACHE_BYTES = 64;
// __pa(MAX_DMA_ADDRESS): memmaps are kept above ZONE_DMA.
constexpr phys_addr_t MAX_DMA_ADDRESS_PA = PFN_PHYS(MAX_DMA_PFN);
// One section's memmap: 32768 struct pages, 2 MiB.
constexpr std::uint64_t SECTION_MEMMAP_BYTES = PAGES_PER_SECTION * sizeof(page);

bool present_section_nr(const MemoryModel& mm, std::uint64_t nr)
{
  return present_section(mm.sections().__nr_to_section(nr));
}

// A run of present sections on one node, as alloc_usemap_and_memmap() groups them.
struct SectionRun {
  std::uint64_t begin;
  std::uint64_t end;  // exclusive
  std::uint64_t count;
  int nid;
};

std::vector<SectionRun> present_section_runs(const MemoryModel& mm)
{
  std::vector<SectionRun> runs;
  const std::uint64_t last = mm.sections().highest_present_section_nr();
  for (std::uint64_t pnum = 0; pnum <= last; pnum++) {
    if (!present_section_nr(mm, pnum)) continue;
    const int nid = sparse_early_nid(mm.sections().flags(), *mm.sections().__nr_to_section(pnum));
    if (!runs.empty() && runs.back().nid == nid) {
      runs.back().count++;
      runs.back().end = pnum + 1;
      continue;
    }
    if (!runs.empty()) runs.back().end = pnum;
    runs.push_back(SectionRun{pnum, pnum + 1, 1, nid});
  }
  return runs;
}

// One block for a run, cut into `size` slices, one per present section in
// order: how both the usemaps and the classic memmaps of a run are split.
void hand_out_per_section(const MemoryModel& mm, const SectionRun& run, phys_addr_t block, std::uint64_t size,
                          std::vector<kva_t>& per_section)
{
  for (std::uint64_t pnum = run.begin; pnum < run.end; pnum++) {
    if (!present_section_nr(mm, pnum)) continue;
    per_section[pnum] = mm.vm().__va(block);
    block += size;
  }
}

// sparse_init_one_section(): from here on pfn_to_page() works for the
// section. Clearing the coded map's bits keeps every bit below
// SECTION_MAP_LAST_BIT, including the node id's where they overlap a flag
// (v5.3 - v5.17). Every caller here is sparse_init()'s, so the section is
// marked SECTION_IS_EARLY, as sparse_init_nid() does from v5.3 (0 before,
// where the flag does not exist; hotplug has its own path).
void sparse_init_one_section(MemoryModel& mm, std::uint64_t pnum, kva_t mem_map, kva_t usemap)
{
  mem_section* ms = mm.sections().__nr_to_section(pnum);
  if (!present_section(ms)) return;
  const SectionFlags& f = mm.sections().flags();
  ms->section_mem_map &= ~f.map_mask();
  ms->section_mem_map |= sparse_encode_mem_map(mem_map, pnum) | SECTION_HAS_MEM_MAP | f.is_early;
  ms->pageblock_flags = usemap;
  mm.add_section_shadow(pnum);
}

// The vmemmap page tables above the PMDs. With 4-level paging the p4d level
// is folded into the pgd, so vmemmap_p4d_populate() allocates the PUD page
// of each 512 GiB of vmemmap and vmemmap_pud_populate() the PMD page of each
// 1 GiB; the pgd itself is static.
struct VmemmapTables {
  std::set<std::uint64_t> p4d_populated;
  std::set<std::uint64_t> pud_populated;
};

// The memmap buffer a run (v4.15 - v4.18: vmemmap_buf) or a node
// (sparse_buffer_init(), v4.19 on) hands blocks out of.
struct SparseBuffer {
  phys_addr_t next = 0;
  phys_addr_t end = 0;
  // sparse_buffer_alloc() gives back the gap an aligned block leaves (5.7 on).
  bool frees_gap = false;
};

// vmemmap_alloc_block_buf() / sparse_buffer_alloc(): the next `size`-aligned
// block of the buffer, or 0 when it does not fit.
phys_addr_t buffer_alloc(memblock& mb, SparseBuffer& buf, std::uint64_t size)
{
  if (buf.next == 0) return 0;
  const phys_addr_t block = round_up(buf.next, size);
  if (block + size > buf.end) return 0;
  if (buf.frees_gap && block > buf.next) memblock_free_early(mb, buf.next, block - buf.next);
  buf.next = block + size;
  return block;
}

// vmemmap_alloc_block() early: __earlyonly_bootmem_alloc(), a raw block
// aligned to its size, above ZONE_DMA.
phys_addr_t vmemmap_alloc_block(memblock& mb, std::uint64_t size, int node)
{
  return memblock_virt_alloc_try_nid_raw(mb, size, size, MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, node);
}

// vmemmap_alloc_block_zero(PAGE_SIZE): a page-table page. Debian's 6.1
// build inlines vmemmap_alloc_block() and __earlyonly_bootmem_alloc() into
// it, so its lines name vmemmap_alloc_block_zero (".constprop.0": a GCC
// clone suffix, which pginit does not print).
bool vmemmap_alloc_table(memblock& mb, int node)
{
  KernelFrame f(mb.stack, "vmemmap_alloc_block_zero");
  return vmemmap_alloc_block(mb, PAGE_SIZE, node) != 0;
}

// vmemmap_populate() with PSE (vmemmap_populate_hugepages): one 2 MiB block
// per PMD; false if a block could not be had.
bool vmemmap_populate(MemoryModel& mm, memblock& mb, VmemmapTables& tables, SparseBuffer& buf, kva_t start, kva_t end,
                      int node)
{
  KernelFrame frame(mb.stack, "vmemmap_populate");
  for (kva_t addr = start; addr < end; addr += PMD_SIZE) {
    if (tables.p4d_populated.insert(addr >> PGDIR_SHIFT).second) {
      KernelFrame f(mb.stack, "vmemmap_p4d_populate");
      if (!vmemmap_alloc_table(mb, node)) return false;
    }
    if (tables.pud_populated.insert(addr >> PUD_SHIFT).second) {
      KernelFrame f(mb.stack, "vmemmap_pud_populate");
      if (!vmemmap_alloc_table(mb, node)) return false;
    }
    if (mm.vmemmap_pmd_mapped(addr)) continue;
    // vmemmap_alloc_block_buf(PMD_SIZE): from the buffer while it lasts.
    phys_addr_t block = buffer_alloc(mb, buf, PMD_SIZE);
    if (block == 0) {
      KernelFrame f(mb.stack, "vmemmap_alloc_block");
      block = vmemmap_alloc_block(mb, PMD_SIZE, node);
      if (block == 0) return false;
      mm.back_memmap(block, PMD_SIZE, POISON_BYTE);
    }
    mm.vmemmap_set_pmd(addr, block);
  }
  return true;
}

// section_map_size(): one section's memmap, PMD-aligned with SPARSEMEM_VMEMMAP.
std::uint64_t section_map_size(const MemoryModel& mm)
{
  return mm.kind() == MemoryModelKind::sparsemem_vmemmap ? round_up(SECTION_MEMMAP_BYTES, PMD_SIZE)
                                                         : PAGE_ALIGN(SECTION_MEMMAP_BYTES);
}

// The node's memory sparse_early_usemaps_alloc_pgdat_section() aims at:
// early_pfn_to_nid() of the goal (the first node with a pg_data_t for a hole).
int early_nid_of(const memblock& mb, const sparse_nodes& nodes, phys_addr_t pa)
{
  for (const memblock_region& r : mb.memory.regions)
    if (r.size != 0 && r.base <= pa && pa < r.end()) return r.nid;
  return nodes.pgdat_phys.empty() ? 0 : nodes.pgdat_phys.begin()->first;
}

// sparse_early_usemaps_alloc_pgdat_section(): with MEMORY_HOTREMOVE, from
// the section that holds the node's pg_data_t if it can (so that neither
// keeps the other's section from being removed), else anywhere; without it
// (or without a modelled pg_data_t), memblock_*alloc_node*().
phys_addr_t usemaps_alloc_pgdat_section(memblock& mb, const sparse_init_rules& rules, const sparse_nodes& nodes,
                                        int nid, std::uint64_t size)
{
  const auto pgdat = nodes.pgdat_phys.find(nid);
  if (!nodes.memory_hotremove || pgdat == nodes.pgdat_phys.end())
    return memblock_virt_alloc_try_nid_nopanic(mb, size, rules.node_alloc_align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
  const phys_addr_t goal = pgdat->second & ~(PFN_PHYS(PAGES_PER_SECTION) - 1);
  const phys_addr_t limit = goal + PFN_PHYS(PAGES_PER_SECTION);
  const int goal_nid = early_nid_of(mb, nodes, goal);
  const phys_addr_t p = memblock_virt_alloc_try_nid_nopanic(mb, size, SMP_CACHE_BYTES, goal, limit, goal_nid);
  if (p != 0) return p;
  return memblock_virt_alloc_try_nid_nopanic(mb, size, SMP_CACHE_BYTES, goal, MEMBLOCK_ALLOC_ACCESSIBLE, goal_nid);
}

void report_backing_failed(Printk& log)
{
  log.printk(LogLevel::err,
             "sparse_mem_maps_populate_node: sparsemem memory map backing failed some memory will not be available");
}

// --- v4.15 - v4.18: alloc_usemap_and_memmap() over the whole machine ---

// sparse_mem_maps_populate_node(), SPARSEMEM_VMEMMAP version.
void populate_node_vmemmap(MemoryModel& mm, memblock& mb, VmemmapTables& tables, const SectionRun& run,
                           std::vector<kva_t>& map_map, Printk& log)
{
  const std::uint64_t size = section_map_size(mm);
  SparseBuffer buf;
  // __earlyonly_bootmem_alloc(), static: inlined here.
  buf.next = memblock_virt_alloc_try_nid_raw(mb, size * run.count, PMD_SIZE, MAX_DMA_ADDRESS_PA,
                                             MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
  const phys_addr_t buf_start = buf.next;
  if (buf.next != 0) {
    buf.end = buf.next + size * run.count;
    mm.back_memmap(buf.next, size * run.count, POISON_BYTE);
  }
  for (std::uint64_t pnum = run.begin; pnum < run.end; pnum++) {
    if (!present_section_nr(mm, pnum)) continue;
    // sparse_mem_map_populate(): the section's slice of the virtual memmap.
    const kva_t map = mm.vm().vmemmap_base + section_nr_to_pfn(pnum) * sizeof(page);
    if (vmemmap_populate(mm, mb, tables, buf, map, map + SECTION_MEMMAP_BYTES, run.nid)) {
      map_map[pnum] = map;
      continue;
    }
    report_backing_failed(log);
    mm.sections().__nr_to_section(pnum)->section_mem_map = 0;
  }
  // Whatever the run did not use goes back to memblock: the kernel calls
  // memblock_free_early() whenever it had a buffer, so a used-up one prints
  // an empty range ([base-base-1]).
  if (buf_start != 0) memblock_free_early(mb, buf.next, buf.end - buf.next);
}

// sparse_mem_maps_populate_node(), classic SPARSEMEM version: one raw block
// for the whole run, else one zeroed block per section.
void populate_node_classic(MemoryModel& mm, memblock& mb, const SectionRun& run, std::vector<kva_t>& map_map)
{
  const std::uint64_t size = section_map_size(mm);
  const phys_addr_t map = memblock_virt_alloc_try_nid_raw(mb, size * run.count, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                          MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
  if (map != 0) {
    mm.back_memmap(map, size * run.count, POISON_BYTE);
    hand_out_per_section(mm, run, map, size, map_map);
    return;
  }
  for (std::uint64_t pnum = run.begin; pnum < run.end; pnum++) {
    if (!present_section_nr(mm, pnum)) continue;
    KernelFrame f(mb.stack, "sparse_mem_map_populate");
    const phys_addr_t one = memblock_virt_alloc_try_nid(mb, size, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                        MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
    mm.back_memmap(one, size, ZERO_BYTE);
    map_map[pnum] = mm.vm().__va(one);
  }
}

// sparse_early_usemaps_alloc_node(): one zeroed block of usemaps per run.
void usemaps_alloc_node(MemoryModel& mm, memblock& mb, const sparse_init_rules& rules, const sparse_nodes& nodes,
                        const SectionRun& run, std::uint64_t size, std::vector<kva_t>& usemap_map, Printk& log)
{
  KernelFrame frame(mb.stack, "sparse_early_usemaps_alloc_node");
  const phys_addr_t usemap = usemaps_alloc_pgdat_section(mb, rules, nodes, run.nid, size * run.count);
  if (usemap == 0) {
    log.printk(LogLevel::warning, "sparse_early_usemaps_alloc_node: allocation failed");
    return;
  }
  mm.back_phys(usemap, size * run.count, ZERO_BYTE);
  hand_out_per_section(mm, run, usemap, size, usemap_map);
}

void sparse_init_whole_machine(MemoryModel& mm, memblock& mb, unsigned pageblock_order, Printk& log,
                               const sparse_init_rules& rules, const sparse_nodes& nodes)
{
  const std::vector<SectionRun> runs = present_section_runs(mm);

  // Two temporary NR_MEM_SECTIONS-long pointer arrays: usemap_map and, with
  // SPARSEMEM_ALLOC_MEM_MAP_TOGETHER (x86_64), map_map.
  const std::uint64_t map_array_bytes = sizeof(void*) * NR_MEM_SECTIONS;
  std::vector<kva_t> usemap_map(mm.sections().highest_present_section_nr() + 1, 0);
  std::vector<kva_t> map_map(usemap_map.size(), 0);

  const phys_addr_t usemap_map_pa = memblock_virt_alloc(mb, map_array_bytes, 0);
  {
    KernelFrame f(mb.stack, "alloc_usemap_and_memmap");
    for (const SectionRun& run : runs)
      usemaps_alloc_node(mm, mb, rules, nodes, run, usemap_size(pageblock_order), usemap_map, log);
  }
  const phys_addr_t map_map_pa = memblock_virt_alloc(mb, map_array_bytes, 0);
  {
    KernelFrame f(mb.stack, "alloc_usemap_and_memmap");
    VmemmapTables tables;
    for (const SectionRun& run : runs) {
      KernelFrame g(mb.stack, "sparse_mem_maps_populate_node");
      if (mm.kind() == MemoryModelKind::sparsemem_vmemmap)
        populate_node_vmemmap(mm, mb, tables, run, map_map, log);
      else
        populate_node_classic(mm, mb, run, map_map);
    }
  }

  for (std::uint64_t pnum = 0; pnum < usemap_map.size(); pnum++) {
    if (!present_section_nr(mm, pnum) || usemap_map[pnum] == 0 || map_map[pnum] == 0) continue;
    sparse_init_one_section(mm, pnum, map_map[pnum], usemap_map[pnum]);
  }
  memblock_free_early(mb, map_map_pa, map_array_bytes);
  memblock_free_early(mb, usemap_map_pa, map_array_bytes);
}

// --- v4.19 on: sparse_init_nid() per node run ---

// sparse_buffer_fini(): what is left of the buffer goes back.
void sparse_buffer_fini(memblock& mb, SparseBuffer& buf)
{
  if (buf.next != 0 && buf.end > buf.next) memblock_free_early(mb, buf.next, buf.end - buf.next);
  buf = SparseBuffer{};
}

// __populate_section_memmap() / sparse_mem_map_populate() of classic
// SPARSEMEM: a block of the buffer, else one of its own (zeroed and
// PAGE_SIZE-aligned until v5.2, raw and aligned to its size from v5.7).
phys_addr_t populate_section_classic(MemoryModel& mm, memblock& mb, const sparse_init_rules& rules, SparseBuffer& buf,
                                     int nid)
{
  const std::uint64_t size = section_map_size(mm);
  phys_addr_t map = buffer_alloc(mb, buf, size);
  if (map != 0) return map;
  if (rules.exact_buffer) {
    map = memblock_virt_alloc_try_nid_raw(mb, size, size, MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    if (map != 0) mm.back_memmap(map, size, POISON_BYTE);
  } else {
    map = memblock_virt_alloc_try_nid_nopanic(mb, size, PAGE_SIZE, MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
    if (map != 0) mm.back_memmap(map, size, ZERO_BYTE);
  }
  return map;
}

void sparse_init_nid(MemoryModel& mm, memblock& mb, VmemmapTables& tables, const SectionRun& run,
                     unsigned pageblock_order, Printk& log, const sparse_init_rules& rules, const sparse_nodes& nodes)
{
  KernelFrame frame(mb.stack, "sparse_init_nid");
  const bool vmemmap = mm.kind() == MemoryModelKind::sparsemem_vmemmap;
  const std::uint64_t usage_size = mem_section_usage_size(rules, pageblock_order, vmemmap);
  std::uint64_t failed_from = run.begin;
  const phys_addr_t usage = usemaps_alloc_pgdat_section(mb, rules, nodes, run.nid, usage_size * run.count);
  if (usage == 0) {
    log.printk(LogLevel::err, fmt::format("sparse_init_nid: node[{}] usemap allocation failed", run.nid));
  } else {
    mm.back_phys(usage, usage_size * run.count, ZERO_BYTE);
    // sparse_buffer_init() (static: its line names sparse_init_nid).
    const std::uint64_t map_size = section_map_size(mm);
    SparseBuffer buf;
    buf.frees_gap = rules.exact_buffer;
    if (rules.exact_buffer)
      buf.next = memblock_alloc_exact_nid_raw(mb, run.count * map_size, map_size, MAX_DMA_ADDRESS_PA,
                                              MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
    else
      buf.next = memblock_virt_alloc_try_nid_raw(mb, run.count * map_size, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                 MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
    if (buf.next != 0) {
      buf.end = buf.next + run.count * map_size;
      mm.back_memmap(buf.next, run.count * map_size, POISON_BYTE);
    }
    phys_addr_t section_usage = usage;
    bool ok = true;
    for (std::uint64_t pnum = run.begin; pnum < run.end; pnum++) {
      if (!present_section_nr(mm, pnum)) continue;
      kva_t map = 0;
      if (vmemmap) {
        const kva_t want = mm.vm().vmemmap_base + section_nr_to_pfn(pnum) * sizeof(page);
        if (vmemmap_populate(mm, mb, tables, buf, want, want + SECTION_MEMMAP_BYTES, run.nid)) map = want;
      } else {
        const phys_addr_t pa = populate_section_classic(mm, mb, rules, buf, run.nid);
        if (pa != 0) map = mm.vm().__va(pa);
      }
      if (map == 0) {
        log.printk(LogLevel::err,
                   fmt::format("sparse_init_nid: node[{}] memory map backing failed. Some memory will not be available.",
                               run.nid));
        failed_from = pnum;
        if (rules.fini_on_failure) sparse_buffer_fini(mb, buf);
        ok = false;
        break;
      }
      sparse_init_one_section(mm, pnum, map, mm.vm().__va(section_usage));
      section_usage += usage_size;
    }
    if (ok) {
      sparse_buffer_fini(mb, buf);
      return;
    }
  }
  // Every section from the failed one on is no longer present.
  for (std::uint64_t pnum = failed_from; pnum < run.end; pnum++)
    if (present_section_nr(mm, pnum)) mm.sections().__nr_to_section(pnum)->section_mem_map = 0;
}

}  // namespace

unsigned pageblock_order_for(const KconfigValues& config)
{
  return kconfig_enabled(config, "HUGETLB_PAGE") ? 9 : MAX_ORDER - 1;
}

std::uint64_t usemap_size(unsigned pageblock_order)
{
  const std::uint64_t bits = (std::uint64_t{1} << (PFN_SECTION_SHIFT - pageblock_order)) * NR_PAGEBLOCK_BITS;
  return (bits + 63) / 64 * 8;  // BITS_TO_LONGS() * sizeof(unsigned long)
}

std::uint64_t mem_section_usage_size(const sparse_init_rules& rules, unsigned pageblock_order, bool vmemmap)
{
  std::uint64_t header = 0;
  if (rules.usage_rcu_head) header += 16;                // struct rcu_head
  if (rules.usage_subsection_map && vmemmap) header += 8;  // SUBSECTIONS_PER_SECTION (64) bits
  return header + usemap_size(pageblock_order);
}

namespace {

// memory_present() proper: the root table on the first call (memblock_alloc
// with INTERNODE_CACHE_BYTES), a root page per new root (sparse_index_alloc(),
// noinline in every tree read), and the sections marked present.
void mark_present(MemoryModel& mm, memblock& mb, int nid, pfn_t start, pfn_t end, const sparse_init_rules& rules)
{
  SectionTable& table = mm.sections();
  if (table.table_phys == 0) table.table_phys = memblock_virt_alloc(mb, table.root_bytes(), INTERNODE_CACHE_BYTES);
  start &= ~(PAGES_PER_SECTION - 1);
  // mminit_validate_memmodel_limits(): nothing beyond MAX_PHYSMEM_BITS.
  end = std::min(end, pfn_t{1} << (MAX_PHYSMEM_BITS - PAGE_SHIFT));
  for (pfn_t pfn = start; pfn < end; pfn += PAGES_PER_SECTION) {
    const std::uint64_t section = pfn_to_section_nr(pfn);
    if (!table.root_present(section)) {
      KernelFrame f(mb.stack, "sparse_index_alloc");
      table.sparse_index_init(section, memblock_virt_alloc_try_nid(mb, SectionTable::root_page_bytes(),
                                                                   rules.node_alloc_align, 0,
                                                                   MEMBLOCK_ALLOC_ACCESSIBLE, nid));
    }
    mem_section* ms = table.__nr_to_section(section);
    if (ms->section_mem_map == 0) {
      // SECTION_IS_ONLINE from v4.13; before, the nid and PRESENT alone.
      ms->section_mem_map = sparse_encode_early_nid(table.flags(), nid) | table.flags().is_online;
      table.section_mark_present(section);
    }
  }
}

// memblocks_present(): every memblock.memory range, in order.
void memblocks_present(MemoryModel& mm, memblock& mb, const sparse_init_rules& rules, bool frames)
{
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes)) {
    KernelFrame f(frames ? mb.stack : nullptr, "memory_present");
    mark_present(mm, mb, r.nid, r.start_pfn, r.end_pfn, rules);
  }
}

}  // namespace

void memory_present(MemoryModel& mm, memblock& mb, int nid, pfn_t start, pfn_t end, const sparse_init_rules& rules)
{
  KernelFrame frame(mb.stack, "memory_present");
  mark_present(mm, mb, nid, start, end, rules);
}

void sparse_memory_present_with_active_regions(MemoryModel& mm, memblock& mb, const sparse_init_rules& rules)
{
  KernelFrame frame(mb.stack, "sparse_memory_present_with_active_regions");
  memblocks_present(mm, mb, rules, true);
}

void sparse_init(MemoryModel& mm, memblock& mb, unsigned pageblock_order, Printk& log, const sparse_init_rules& rules,
                 const sparse_nodes& nodes)
{
  KernelFrame frame(mb.stack, "sparse_init");
  // 6.1: memblocks_present() and memory_present() are static and inlined.
  if (rules.memblocks_present_in_sparse_init) memblocks_present(mm, mb, rules, false);
  if (mm.sections().table_phys == 0) return;  // no memory was ever present
  if (!rules.per_node) {
    sparse_init_whole_machine(mm, mb, pageblock_order, log, rules, nodes);
    return;
  }
  VmemmapTables tables;
  for (const SectionRun& run : present_section_runs(mm))
    sparse_init_nid(mm, mb, tables, run, pageblock_order, log, rules, nodes);
  // vmemmap_populate_print_last(): x86's lines are pr_debug().
}

void alloc_node_mem_map(MemoryModel& mm, memblock& mb, pglist_data& pgdat)
{
  if (pgdat.node_spanned_pages == 0) return;
  KernelFrame frame(mb.stack, "alloc_node_mem_map");
  // The buddy allocator needs the memmap MAX_ORDER-aligned at both ends.
  const pfn_t start = pgdat.node_start_pfn & ~(MAX_ORDER_NR_PAGES - 1);
  const pfn_t offset = pgdat.node_start_pfn - start;
  const pfn_t end = round_up(pgdat.node_end_pfn(), MAX_ORDER_NR_PAGES);
  const std::uint64_t size = (end - start) * sizeof(page);
  const phys_addr_t map = memblock_virt_alloc_node_nopanic(mb, size, pgdat.node_id);
  if (map == 0) throw KernelPanic(fmt::format("Failed to allocate {} bytes for node {} memory map", size, pgdat.node_id));
  // memblock_virt_alloc_node_nopanic() zeroes: FLATMEM memmaps start as zeroes, not poison.
  mm.back_memmap(map, size, ZERO_BYTE);
  pgdat.node_mem_map = mm.vm().__va(map) + offset * sizeof(page);
  if (pgdat.node_id == 0) {
    // mem_map is moved back so that mem_map + pfn works from pfn 0 (ARCH_PFN_OFFSET).
    mm.set_mem_map(pgdat.node_mem_map - offset * sizeof(page), end);
    for (std::uint64_t sec = pfn_to_section_nr(start); section_nr_to_pfn(sec) < end; sec++) mm.add_section_shadow(sec);
  }
}

}  // namespace pginit
