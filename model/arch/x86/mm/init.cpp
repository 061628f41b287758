// SPDX-License-Identifier: MIT
// init.cpp - the early direct map (arch/x86/mm/init.c: init_mem_mapping,
// memory_map_top_down/bottom_up, init_range_memory_mapping,
// init_memory_mapping, split_mem_range, alloc_low_pages; init_64.c:
// kernel_physical_mapping_init). Written from the behaviour, see init.h.
#include "arch/x86/mm/init.h"

#include <algorithm>

#include "include/linux/panic.h"

namespace pginit {

namespace {

constexpr u64 PUD_SIZE = u64{1} << PUD_SHIFT;

// Is [start, end) inside one region of memblock.memory? (memblock_is_region_memory)
bool region_is_memory(const memblock& mb, u64 start, u64 end)
{
  return std::any_of(mb.memory.regions.begin(), mb.memory.regions.end(), [&](const memblock_region& r) {
    return r.size != 0 && r.base <= start && end <= r.end();
  });
}

void save_mr(std::vector<map_range>& mr, u64 start, u64 end, unsigned mask)
{
  if (start < end) mr.push_back(map_range{start, end, mask});
}

// PMD level: one PTE table per 2M entry that a 4K range needs and that has
// none (an empty entry, or a 2M page that must be split).
u64 phys_pmd_init(memblock& mb, direct_map& dm, u64 start, u64 end, unsigned mask)
{
  u64 last = end;
  for (u64 pos = start; pos < end;) {
    const u64 idx = pos >> PMD_SHIFT;
    const u64 next = (idx + 1) << PMD_SHIFT;
    const auto it = dm.pmd.find(idx);
    if (it != dm.pmd.end() && it->second) {
      last = std::min(end, next);  // a PTE table is there: filled in place
    } else if ((mask & PG_LEVEL_2M_MASK) != 0) {
      dm.pmd[idx] = false;  // a 2M page (kept if one is there already)
      last = next;
    } else {
      alloc_low_pages(mb, dm, 1);
      dm.pages.back().level = 1;
      dm.pmd[idx] = true;
      last = std::min(end, next);
    }
    pos = next;
  }
  return last;
}

// PUD level: one PMD table per 1G entry without one, unless 1G pages map it.
u64 phys_pud_init(memblock& mb, direct_map& dm, u64 start, u64 end, unsigned mask)
{
  u64 last = end;
  for (u64 pos = start; pos < end;) {
    const u64 idx = pos >> PUD_SHIFT;
    const u64 next = (idx + 1) << PUD_SHIFT;
    const auto it = dm.pud.find(idx);
    if (it != dm.pud.end() && it->second) {
      last = phys_pmd_init(mb, dm, pos, std::min(end, next), mask);
    } else if ((mask & PG_LEVEL_1G_MASK) != 0) {
      dm.pud[idx] = false;
      last = next;
    } else {
      alloc_low_pages(mb, dm, 1);
      dm.pages.back().level = 2;
      dm.pud[idx] = true;
      last = phys_pmd_init(mb, dm, pos, std::min(end, next), mask);
    }
    pos = next;
  }
  return last;
}

}  // namespace

unsigned long init_pgd_page_count(bool counts_5level, bool x86_5level, bool randomize_memory)
{
  const unsigned long tables = counts_5level && x86_5level ? 4 : 3;
  return (randomize_memory ? 4 : 2) * tables;
}

void early_alloc_pgt_buf(direct_map& dm, phys_addr_t brk_end, unsigned long pages)
{
  dm.pgt_buf_top = PFN_DOWN(brk_end);
  dm.pgt_buf_start = dm.pgt_buf_top >= pages ? dm.pgt_buf_top - pages : 0;
  dm.pgt_buf_end = dm.pgt_buf_start;
}

phys_addr_t alloc_low_pages(memblock& mb, direct_map& dm, unsigned num)
{
  KernelFrame frame(mb.stack, "alloc_low_pages");
  if (dm.pgt_buf_end + num <= dm.pgt_buf_top && dm.can_use_brk_pgt) {
    const phys_addr_t pa = PFN_PHYS(dm.pgt_buf_end);
    dm.pgt_buf_end += num;
    for (unsigned i = 0; i < num; i++) dm.pages.push_back(pgt_page{pgt_page::From::brk, pa + PFN_PHYS(i), 0});
    return pa;
  }
  phys_addr_t pa = 0;
  // Only memory the direct map already covers can be cleared and linked in.
  if (dm.min_pfn_mapped < dm.max_pfn_mapped)
    pa = memblock_phys_alloc_range(mb, PFN_PHYS(num), PAGE_SIZE, PFN_PHYS(dm.min_pfn_mapped),
                                   PFN_PHYS(dm.max_pfn_mapped));
  if (pa == 0) {
    // The kernel's next resort is extend_brk(), but reserve_brk() has closed
    // the brk area by now: its BUG_ON kills the boot CPU's idle task.
    if (dm.can_use_brk_pgt) throw KernelPanic("Attempted to kill the idle task!");
    throw KernelPanic("alloc_low_pages: can not alloc memory");
  }
  for (unsigned i = 0; i < num; i++) dm.pages.push_back(pgt_page{pgt_page::From::memblock, pa + PFN_PHYS(i), 0});
  return pa;
}

std::vector<map_range> split_mem_range(const memblock& mb, const direct_map& dm, u64 start, u64 end)
{
  const unsigned big = dm.pse ? PG_LEVEL_2M_MASK : 0;
  const unsigned huge = dm.gbpages ? PG_LEVEL_1G_MASK : 0;
  std::vector<map_range> mr;
  const u64 limit = round_down(end, PAGE_SIZE);
  u64 pos = round_down(start, PAGE_SIZE);

  // 4K head up to the first 2M boundary.
  u64 e = std::min(round_up(pos, PMD_SIZE), limit);
  if (pos < e) {
    save_mr(mr, pos, e, 0);
    pos = e;
  }
  // 2M pages up to the first 1G boundary.
  u64 s = round_up(pos, PMD_SIZE);
  e = std::min(round_up(pos, PUD_SIZE), round_down(limit, PMD_SIZE));
  if (s < e) {
    save_mr(mr, s, e, big);
    pos = e;
  }
  // The 1G-aligned middle.
  s = round_up(pos, PUD_SIZE);
  e = round_down(limit, PUD_SIZE);
  if (s < e) {
    save_mr(mr, s, e, big | huge);
    pos = e;
  }
  // 2M pages after the last 1G boundary.
  s = round_up(pos, PMD_SIZE);
  e = round_down(limit, PMD_SIZE);
  if (s < e) {
    save_mr(mr, s, e, big);
    pos = e;
  }
  // 4K tail.
  save_mr(mr, pos, limit, 0);

  // adjust_range_page_size_mask(): a smaller page is promoted when the whole
  // large page around it is RAM.
  for (map_range& r : mr) {
    if (big != 0 && (r.page_size_mask & PG_LEVEL_2M_MASK) == 0 &&
        region_is_memory(mb, round_down(r.start, PMD_SIZE), round_up(r.end, PMD_SIZE)))
      r.page_size_mask |= PG_LEVEL_2M_MASK;
    if (huge != 0 && (r.page_size_mask & PG_LEVEL_1G_MASK) == 0 &&
        region_is_memory(mb, round_down(r.start, PUD_SIZE), round_up(r.end, PUD_SIZE)))
      r.page_size_mask |= PG_LEVEL_1G_MASK;
  }
  // Contiguous ranges of one page size merge.
  std::vector<map_range> out;
  for (const map_range& r : mr) {
    if (!out.empty() && out.back().end == r.start && out.back().page_size_mask == r.page_size_mask)
      out.back().end = r.end;
    else
      out.push_back(r);
  }
  return out;
}

u64 kernel_physical_mapping_init(memblock& mb, direct_map& dm, u64 start, u64 end, unsigned page_size_mask)
{
  KernelFrame frame(mb.stack, "kernel_physical_mapping_init");
  u64 last = end;
  for (u64 pos = start; pos < end;) {
    const u64 idx = pos >> PGDIR_SHIFT;
    const u64 next = (idx + 1) << PGDIR_SHIFT;
    // 4-level paging: the "p4d" page of an empty PGD entry is a PUD table.
    if (dm.pgd.insert(idx).second) {
      alloc_low_pages(mb, dm, 1);
      dm.pages.back().level = 3;
    }
    last = phys_pud_init(mb, dm, pos, std::min(end, next), page_size_mask);
    pos = next;
  }
  return last;
}

pfn_t init_memory_mapping(memblock& mb, direct_map& dm, u64 start, u64 end)
{
  KernelFrame frame(mb.stack, "init_memory_mapping");
  u64 ret = 0;
  for (const map_range& r : split_mem_range(mb, dm, start, end))
    ret = kernel_physical_mapping_init(mb, dm, r.start, r.end, r.page_size_mask);
  // add_pfn_range_mapped()
  dm.max_pfn_mapped = std::max(dm.max_pfn_mapped, PFN_DOWN(ret));
  return PFN_DOWN(ret);
}

u64 init_range_memory_mapping(memblock& mb, direct_map& dm, u64 r_start, u64 r_end)
{
  KernelFrame frame(mb.stack, "init_range_memory_mapping");
  u64 mapped = 0;
  for (const pfn_range& r : mem_pfn_ranges(mb, mb.max_numnodes)) {
    const u64 start = clamp(PFN_PHYS(r.start_pfn), r_start, r_end);
    const u64 end = clamp(PFN_PHYS(r.end_pfn), r_start, r_end);
    if (start >= end) continue;
    // Tables for a range that overlaps the unused part of the brk buffer
    // come from memblock, so that brk stays for what cannot use memblock.
    dm.can_use_brk_pgt = std::max(start, PFN_PHYS(dm.pgt_buf_end)) >= std::min(end, PFN_PHYS(dm.pgt_buf_top));
    init_memory_mapping(mb, dm, start, end);
    mapped += end - start;
    dm.can_use_brk_pgt = true;
  }
  return mapped;
}

namespace {

// get_new_step_size(): the worst case of a step must still fit the tables
// mapped so far, so the step grows by PMD_SHIFT - PAGE_SHIFT - 1 bits.
u64 get_new_step_size(u64 step) { return step << (PMD_SHIFT - PAGE_SHIFT - 1); }

}  // namespace

void memory_map_top_down(memblock& mb, direct_map& dm, u64 map_start, u64 map_end)
{
  KernelFrame frame(mb.stack, "memory_map_top_down");
  // The top PMD_SIZE of RAM is probed (allocated and freed) so that the
  // first step maps memory that memblock can hand out afterwards.
  u64 real_end = 0;
  phys_addr_t addr = 0;
  {
    KernelFrame f(mb.stack, "init_mem_mapping");
    addr = memblock_phys_alloc_range(mb, PMD_SIZE, PMD_SIZE, map_start, map_end);
    if (addr != 0) memblock_free(mb, addr, PMD_SIZE);
  }
  if (addr == 0) {
    mb.log->printk(LogLevel::warning, "Failed to release memory for alloc_low_pages()");
    real_end = std::max(map_start, round_down(map_end, PMD_SIZE));
  } else {
    real_end = addr + PMD_SIZE;
  }

  u64 step = PMD_SIZE;
  dm.max_pfn_mapped = 0;
  dm.min_pfn_mapped = PFN_DOWN(real_end);
  u64 last_start = real_end;
  u64 mapped = 0;
  while (last_start > map_start) {
    u64 start = map_start;
    if (last_start > step) start = std::max(round_down(last_start - 1, step), map_start);
    mapped += init_range_memory_mapping(mb, dm, start, last_start);
    last_start = start;
    dm.min_pfn_mapped = PFN_DOWN(last_start);
    if (mapped >= step) step = get_new_step_size(step);
  }
  if (real_end < map_end) init_range_memory_mapping(mb, dm, real_end, map_end);
}

void memory_map_bottom_up(memblock& mb, direct_map& dm, u64 map_start, u64 map_end)
{
  KernelFrame frame(mb.stack, "memory_map_bottom_up");
  u64 step = PMD_SIZE;
  u64 start = map_start;
  dm.min_pfn_mapped = PFN_DOWN(start);
  u64 mapped = 0;
  while (start < map_end) {
    u64 next = map_end;
    // A step of 0 (it overflowed) maps the rest in one go.
    if (step != 0 && map_end - start > step) next = std::min(round_up(start + 1, step), map_end);
    mapped += init_range_memory_mapping(mb, dm, start, next);
    start = next;
    if (mapped >= step) step = get_new_step_size(step);
  }
}

void init_mem_mapping(memblock& mb, direct_map& dm, pfn_t max_pfn, phys_addr_t kernel_end)
{
  KernelFrame frame(mb.stack, "init_mem_mapping");
  const u64 end = PFN_PHYS(max_pfn);
  // The ISA range is mapped whatever e820 says about it.
  init_memory_mapping(mb, dm, 0, ISA_END_ADDRESS);
  if (mb.bottom_up) {
    // Tables above the kernel first, then they serve the memory below it.
    memory_map_bottom_up(mb, dm, kernel_end, end);
    memory_map_bottom_up(mb, dm, ISA_END_ADDRESS, kernel_end);
  } else {
    memory_map_top_down(mb, dm, ISA_END_ADDRESS, end);
  }
}

}  // namespace pginit
