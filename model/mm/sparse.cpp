// SPDX-License-Identifier: MIT
// memmap_alloc.cpp - memory_present, sparse_init (classic and vmemmap) and
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
    const int nid = sparse_early_nid(*mm.sections().__nr_to_section(pnum));
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

// sparse_init_one_section(): from here on pfn_to_page() works for the section.
void sparse_init_one_section(MemoryModel& mm, std::uint64_t pnum, kva_t mem_map, kva_t usemap)
{
  mem_section* ms = mm.sections().__nr_to_section(pnum);
  if (!present_section(ms)) return;
  ms->section_mem_map &= ~SECTION_MAP_MASK;
  ms->section_mem_map |= sparse_encode_mem_map(mem_map, pnum) | SECTION_HAS_MEM_MAP;
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

// vmemmap_alloc_block(): early, a raw memblock block aligned to its size, above ZONE_DMA.
phys_addr_t vmemmap_alloc_block(memblock& mb, std::uint64_t size, int node)
{
  KernelFrame frame(mb.stack, "__earlyonly_bootmem_alloc");
  return memblock_virt_alloc_try_nid_raw(mb, size, size, MAX_DMA_ADDRESS_PA, MEMBLOCK_ALLOC_ACCESSIBLE, node);
}

// The per-run buffer vmemmap_alloc_block_buf() carves PMD blocks from.
struct VmemmapBuf {
  phys_addr_t next = 0;
  phys_addr_t end = 0;
};

// vmemmap_populate() with PSE (vmemmap_populate_hugepages): one 2 MiB block
// per PMD; false if a block could not be had.
bool vmemmap_populate(MemoryModel& mm, memblock& mb, VmemmapTables& tables, VmemmapBuf& buf, kva_t start, kva_t end,
                      int node)
{
  KernelFrame frame(mb.stack, "vmemmap_populate");
  for (kva_t addr = start; addr < end; addr += PMD_SIZE) {
    // vmemmap_alloc_block_zero(PAGE_SIZE): a raw block, then memset.
    if (tables.p4d_populated.insert(addr >> PGDIR_SHIFT).second) {
      KernelFrame f(mb.stack, "vmemmap_p4d_populate");
      if (vmemmap_alloc_block(mb, PAGE_SIZE, node) == 0) return false;
    }
    if (tables.pud_populated.insert(addr >> PUD_SHIFT).second) {
      KernelFrame f(mb.stack, "vmemmap_pud_populate");
      if (vmemmap_alloc_block(mb, PAGE_SIZE, node) == 0) return false;
    }
    if (mm.vmemmap_pmd_mapped(addr)) continue;
    // vmemmap_alloc_block_buf(PMD_SIZE): from the run's buffer while it lasts.
    phys_addr_t block = round_up(buf.next, PMD_SIZE);
    if (buf.next != 0 && block + PMD_SIZE <= buf.end) {
      buf.next = block + PMD_SIZE;
    } else {
      block = vmemmap_alloc_block(mb, PMD_SIZE, node);
      if (block == 0) return false;
      mm.back_phys(block, PMD_SIZE, POISON_BYTE);
    }
    mm.vmemmap_set_pmd(addr, block);
  }
  return true;
}

void report_backing_failed(Printk& log)
{
  log.printk(LogLevel::err,
             "sparse_mem_maps_populate_node: sparsemem memory map backing failed some memory will not be available");
}

// sparse_mem_maps_populate_node(), SPARSEMEM_VMEMMAP version.
void populate_node_vmemmap(MemoryModel& mm, memblock& mb, VmemmapTables& tables, const SectionRun& run,
                           std::vector<kva_t>& map_map, Printk& log)
{
  const std::uint64_t size = round_up(SECTION_MEMMAP_BYTES, PMD_SIZE);
  VmemmapBuf buf;
  {
    KernelFrame f(mb.stack, "__earlyonly_bootmem_alloc");
    buf.next = memblock_virt_alloc_try_nid_raw(mb, size * run.count, PMD_SIZE, MAX_DMA_ADDRESS_PA,
                                               MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
  }
  if (buf.next != 0) {
    buf.end = buf.next + size * run.count;
    mm.back_phys(buf.next, size * run.count, POISON_BYTE);
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
  // Whatever the run did not use goes back to memblock.
  if (buf.next != 0 && buf.next < buf.end) __memblock_free_early(mb, buf.next, buf.end - buf.next);
}

// sparse_mem_maps_populate_node(), classic SPARSEMEM version: one raw block
// for the whole run, else one zeroed block per section.
void populate_node_classic(MemoryModel& mm, memblock& mb, const SectionRun& run, std::vector<kva_t>& map_map)
{
  const std::uint64_t size = PAGE_ALIGN(SECTION_MEMMAP_BYTES);
  const phys_addr_t map = memblock_virt_alloc_try_nid_raw(mb, size * run.count, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                          MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
  if (map != 0) {
    mm.back_phys(map, size * run.count, POISON_BYTE);
    hand_out_per_section(mm, run, map, size, map_map);
    return;
  }
  for (std::uint64_t pnum = run.begin; pnum < run.end; pnum++) {
    if (!present_section_nr(mm, pnum)) continue;
    KernelFrame f(mb.stack, "sparse_mem_map_populate");
    const phys_addr_t one = memblock_virt_alloc_try_nid(mb, size, PAGE_SIZE, MAX_DMA_ADDRESS_PA,
                                                        MEMBLOCK_ALLOC_ACCESSIBLE, run.nid);
    mm.back_phys(one, size, ZERO_BYTE);
    map_map[pnum] = mm.vm().__va(one);
  }
}

// sparse_early_usemaps_alloc_node(): one zeroed block of usemaps per run.
void usemaps_alloc_node(MemoryModel& mm, memblock& mb, const SectionRun& run, std::uint64_t size,
                        std::vector<kva_t>& usemap_map, Printk& log)
{
  const phys_addr_t usemap = memblock_virt_alloc_node_nopanic(mb, size * run.count, run.nid);
  if (usemap == 0) {
    log.printk(LogLevel::warning, "sparse_early_usemaps_alloc_node: allocation failed");
    return;
  }
  mm.back_phys(usemap, size * run.count, ZERO_BYTE);
  hand_out_per_section(mm, run, usemap, size, usemap_map);
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

void memory_present(MemoryModel& mm, memblock& mb, int nid, pfn_t start, pfn_t end)
{
  KernelFrame frame(mb.stack, "memory_present");
  SectionTable& table = mm.sections();
  if (table.table_phys == 0) table.table_phys = memblock_virt_alloc(mb, table.root_bytes(), INTERNODE_CACHE_BYTES);
  start &= ~(PAGES_PER_SECTION - 1);
  // mminit_validate_memmodel_limits(): nothing beyond MAX_PHYSMEM_BITS.
  end = std::min(end, pfn_t{1} << (MAX_PHYSMEM_BITS - PAGE_SHIFT));
  for (pfn_t pfn = start; pfn < end; pfn += PAGES_PER_SECTION) {
    const std::uint64_t section = pfn_to_section_nr(pfn);
    if (!table.root_present(section)) {
      KernelFrame f(mb.stack, "sparse_index_init");
      memblock_virt_alloc_node(mb, SectionTable::root_page_bytes(), nid);
      table.sparse_index_init(section);
    }
    mem_section* ms = table.__nr_to_section(section);
    if (ms->section_mem_map == 0) {
      ms->section_mem_map = (static_cast<std::uint64_t>(nid) << SECTION_NID_SHIFT) | SECTION_IS_ONLINE;
      table.section_mark_present(section);
    }
  }
}

void sparse_memory_present_with_active_regions(MemoryModel& mm, memblock& mb)
{
  KernelFrame frame(mb.stack, "sparse_memory_present_with_active_regions");
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes)) memory_present(mm, mb, r.nid, r.start_pfn, r.end_pfn);
}

void sparse_init(MemoryModel& mm, memblock& mb, unsigned pageblock_order, Printk& log)
{
  KernelFrame frame(mb.stack, "sparse_init");
  if (mm.sections().table_phys == 0) return;  // no memory was ever present
  const std::vector<SectionRun> runs = present_section_runs(mm);

  // Two temporary NR_MEM_SECTIONS-long pointer arrays: usemap_map and, with
  // SPARSEMEM_ALLOC_MEM_MAP_TOGETHER (x86_64), map_map.
  const std::uint64_t map_array_bytes = sizeof(void*) * NR_MEM_SECTIONS;
  std::vector<kva_t> usemap_map(mm.sections().highest_present_section_nr() + 1, 0);
  std::vector<kva_t> map_map(usemap_map.size(), 0);

  const phys_addr_t usemap_map_pa = memblock_virt_alloc(mb, map_array_bytes, 0);
  {
    KernelFrame f(mb.stack, "alloc_usemap_and_memmap");
    for (const SectionRun& run : runs) usemaps_alloc_node(mm, mb, run, usemap_size(pageblock_order), usemap_map, log);
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
  __memblock_free_early(mb, map_map_pa, map_array_bytes);
  __memblock_free_early(mb, usemap_map_pa, map_array_bytes);
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
  mm.back_phys(map, size, ZERO_BYTE);
  pgdat.node_mem_map = mm.vm().__va(map) + offset * sizeof(page);
  if (pgdat.node_id == 0) {
    // mem_map is moved back so that mem_map + pfn works from pfn 0 (ARCH_PFN_OFFSET).
    mm.set_mem_map(pgdat.node_mem_map - offset * sizeof(page), end);
    for (std::uint64_t sec = pfn_to_section_nr(start); section_nr_to_pfn(sec) < end; sec++) mm.add_section_shadow(sec);
  }
}

}  // namespace pginit
